/**
 * Firmware Management profile, charge point side (OCPP 1.6 §5.19 Update Firmware, §4.5 Firmware
 * Status Notification): UpdateFirmware is answered at once; from retrieveDate on the charger walks
 * Downloading → Downloaded → Installing → Installed and reboots with the new firmware version, or
 * fails as scripted. Nothing is downloaded (unless `checkLocation` asks for an HTTP HEAD).
 */
import { ChargePointHost, SilentFault, StatusWalk, runWalk } from './status-walk';

export type FirmwareStatus = 'Downloading' | 'Downloaded' | 'DownloadFailed' | 'Installing' | 'InstallationFailed' | 'Installed';

export interface FirmwareOptions {
  /** How long one download attempt takes (default 200 ms). */
  downloadMs?: number;
  /** How long the installation takes (default 200 ms). */
  installMs?: number;
  /** The first N download attempts fail (Infinity: all of them → DownloadFailed after `retries` attempts). */
  failDownloadAttempts?: number;
  /** The installation fails → InstallationFailed, no reboot, the old version stays. */
  failInstall?: boolean;
  /** Go silent instead of reporting this status. */
  silentAt?: SilentFault<FirmwareStatus>;
  /** The firmwareVersion booted with after installing (default: derived from the location's file name). */
  newVersion?: string;
  /** Download attempts when the request has no `retries` (default 1). */
  defaultRetries?: number;
  /** Seconds between attempts when the request has no `retryInterval` (default 0). */
  defaultRetryIntervalS?: number;
  /**
   * Reboot first and report Installed after the new firmware booted (the spec's "good practice");
   * default false: Installed, then reboot.
   */
  installedAfterReboot?: boolean;
  /** Each download attempt does an HTTP HEAD of an http(s) location; a non-2xx answer or network error fails it (default false). */
  checkLocation?: boolean;
}

export interface UpdateFirmwareRequest {
  location: string;
  retrieveDate: string;
  retries?: number;
  retryInterval?: number;
}

export interface FirmwareHost extends ChargePointHost {
  /** Resolves when no connector has a transaction (installation waits for running sessions). */
  whenIdle(): Promise<void>;
  /** Restarts the charger: socket closed, reconnect, BootNotification with this firmwareVersion. */
  reboot(firmwareVersion: string): Promise<void>;
}

/** A version string from the location's file name: ".../acme-2.1.0.bin" → "2.1.0" (else the bare name). */
export function versionFromLocation(location: string): string {
  let name: string;
  try {
    name = decodeURIComponent(new URL(location).pathname.split('/').pop() ?? '');
  } catch {
    name = location.split('/').pop() ?? '';
  }
  const base = name.replace(/(\.(bin|img|hex|zip|tar|gz|tgz|fw|swu))+$/i, '');
  const version = /\d+(?:\.\d+)+(?:[-+][\w.]+)?/.exec(base)?.[0] ?? base;
  return (version || 'unknown').slice(0, 50); // BootNotification.firmwareVersion: at most 50 characters
}

export class FirmwareUpdater {
  private walk?: StatusWalk<FirmwareStatus>;

  constructor(
    private readonly host: FirmwareHost,
    private readonly options: FirmwareOptions = {},
  ) {}

  /**
   * The status a triggered FirmwareStatusNotification reports: the current step while an update is
   * in progress (or hangs), Idle otherwise (OCPP 1.6: Idle only in a triggered notification, when
   * the charger is not busy with a firmware update).
   */
  get triggerStatus(): FirmwareStatus | 'Idle' {
    return this.walk && !this.walk.finished ? this.walk.status : 'Idle';
  }

  /** Starts an update (a new request supersedes one still in progress); returns the walk's promise. */
  start(request: UpdateFirmwareRequest): Promise<void> {
    this.walk?.cancel();
    const walk = new StatusWalk<FirmwareStatus>(this.host, 'FirmwareStatusNotification', this.options.silentAt);
    this.walk = walk;
    return runWalk(this.host, () => this.run(walk, request));
  }

  cancel(): void {
    this.walk?.cancel();
  }

  private async run(walk: StatusWalk<FirmwareStatus>, request: UpdateFirmwareRequest): Promise<void> {
    const o = this.options;
    // The charger may retrieve the firmware from retrieveDate on.
    await walk.wait(Date.parse(request.retrieveDate) - Date.now());
    // OCPP 1.6 §6.49 "retries: how many times Charge Point must try to download": total attempts.
    const attempts = Math.max(1, request.retries ?? o.defaultRetries ?? 1);
    const retryMs = (request.retryInterval ?? o.defaultRetryIntervalS ?? 0) * this.host.secondMs;
    let downloaded = false;
    for (let attempt = 1; attempt <= attempts && !downloaded; attempt++) {
      if (attempt > 1) await walk.wait(retryMs);
      await walk.report('Downloading');
      await walk.wait(o.downloadMs ?? 200);
      downloaded = attempt > (o.failDownloadAttempts ?? 0) && (await this.locationReachable(request.location));
      this.host.emit('firmwareDownloadAttempt', { attempt, ok: downloaded });
    }
    if (!downloaded) return walk.finish('DownloadFailed');
    await walk.report('Downloaded');
    // §5.19: RECOMMENDED to wait until charging sessions have ended before installing.
    await this.host.whenIdle();
    await walk.report('Installing');
    await walk.wait(o.installMs ?? 200);
    if (o.failInstall) return walk.finish('InstallationFailed');
    const version = o.newVersion ?? versionFromLocation(request.location);
    if (o.installedAfterReboot) {
      await this.host.reboot(version);
      await walk.finish('Installed');
    } else {
      await walk.finish('Installed');
      await this.host.reboot(version);
    }
  }

  private async locationReachable(location: string): Promise<boolean> {
    if (!this.options.checkLocation || !/^https?:/i.test(location)) return true;
    try {
      const res = await fetch(location, { method: 'HEAD', signal: AbortSignal.timeout(5000) });
      return res.ok;
    } catch (err) {
      this.host.logger.debug({ err, location }, 'firmware location not reachable');
      return false;
    }
  }
}
