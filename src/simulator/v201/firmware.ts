/**
 * Firmware update of OCPP 2.0.1 (L01, without signature checks beyond reporting
 * SignatureVerified when a signature is given): UpdateFirmware is Accepted (AcceptedCanceled when
 * it replaces a running update), then FirmwareStatusNotification with its requestId: Downloading,
 * Downloaded (or DownloadFailed after the retries), SignatureVerified, InstallScheduled while
 * waiting for installDateTime, Installing, InstallRebooting; the station reboots (reason
 * FirmwareUpdate) with the new version, then Installed and a SecurityEventNotification
 * FirmwareUpdated. A scripted install failure reports InstallationFailed.
 */
import type { StationHost } from './features';

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class FirmwareUpdate201 {
  status = 'Idle';
  requestId?: number;
  private generation = 0;
  /** After the reboot of an install: Installed is reported once the boot is accepted. */
  private installedAfterBoot?: { requestId: number };

  constructor(private readonly host: StationHost) {
    host.handle('UpdateFirmware', (p) => this.update(p));
  }

  private update(p: Record<string, any>): { status: string } {
    const running = this.status !== 'Idle' && !['Installed', 'DownloadFailed', 'InstallationFailed', 'InvalidSignature', 'InstallVerificationFailed'].includes(this.status);
    const generation = ++this.generation;
    this.host.emit('updateFirmware', p);
    this.host.later(0, () => this.run(generation, p));
    return { status: running ? 'AcceptedCanceled' : 'Accepted' };
  }

  private async report(generation: number, status: string, requestId: number): Promise<boolean> {
    if (generation !== this.generation) return false;
    this.status = status;
    this.requestId = requestId;
    this.host.emit('firmwareStatus', status);
    await this.host.notify('FirmwareStatusNotification', { status, requestId });
    return generation === this.generation;
  }

  private async run(generation: number, p: Record<string, any>): Promise<void> {
    const stepMs = this.host.options.firmware?.stepMs ?? 200;
    const fail = this.host.options.firmware?.fail;
    const requestId = Number(p.requestId);
    const { firmware } = p;
    const waitUntil = async (iso?: string) => {
      const ms = iso ? Date.parse(iso) - Date.now() : 0;
      if (ms > 0) await delay(Math.min(ms, 2_147_483_647));
    };
    await waitUntil(firmware.retrieveDateTime);
    const attempts = 1 + Math.max(0, Number(p.retries ?? 0));
    for (let attempt = 1; ; attempt++) {
      if (!(await this.report(generation, 'Downloading', requestId))) return;
      await delay(stepMs);
      if (fail !== 'download') break;
      if (attempt >= attempts) {
        await this.report(generation, 'DownloadFailed', requestId);
        return;
      }
      await delay(Math.max(0, Number(p.retryInterval ?? 0)) * this.host.secondMs);
    }
    if (!(await this.report(generation, 'Downloaded', requestId))) return;
    if (firmware.signature && !(await this.report(generation, 'SignatureVerified', requestId))) return;
    if (firmware.installDateTime && Date.parse(firmware.installDateTime) > Date.now()) {
      if (!(await this.report(generation, 'InstallScheduled', requestId))) return;
      await waitUntil(firmware.installDateTime);
    }
    // L01.FR.?: installation waits for the transactions to end.
    await this.host.whenIdle();
    if (!(await this.report(generation, 'Installing', requestId))) return;
    await delay(stepMs);
    if (fail === 'install') {
      await this.report(generation, 'InstallationFailed', requestId);
      return;
    }
    if (!(await this.report(generation, 'InstallRebooting', requestId))) return;
    this.installedAfterBoot = { requestId };
    const version = String(firmware.location).split('/').pop()?.replace(/\.[a-z0-9]+$/i, '') || 'updated';
    this.host.setFirmwareVersion(version.slice(0, 50));
    await this.host.reboot('FirmwareUpdate', `firmware ${version} installed`);
  }

  /** After an install's reboot: Installed, and the security event. */
  async booted(): Promise<void> {
    const done = this.installedAfterBoot;
    if (!done) return;
    this.installedAfterBoot = undefined;
    this.status = 'Installed';
    this.host.emit('firmwareStatus', 'Installed');
    await this.host.notify('FirmwareStatusNotification', { status: 'Installed', requestId: done.requestId });
    await this.host.securityEvent('FirmwareUpdated', `requestId ${done.requestId}`);
  }

  /** TriggerMessage FirmwareStatusNotification (F06.FR.?): the current status; Idle when none runs. */
  async triggered(): Promise<void> {
    const idle = this.status === 'Idle' || this.status === 'Installed';
    await this.host.notify('FirmwareStatusNotification', idle ? { status: 'Idle' } : { status: this.status, requestId: this.requestId });
  }

  cancel(): void {
    this.generation++;
  }
}
