/**
 * Log upload of OCPP 2.0.1 (N01 GetLog): Accepted (AcceptedCanceled when it replaces a running
 * upload) with the file name, then LogStatusNotification with the requestId: Uploading, then
 * Uploaded or UploadFailure. An http(s) remoteLocation really receives the file (HTTP PUT); other
 * schemes (ftp, sftp) are taken as uploaded. A scripted failure reports UploadFailure.
 */
import type { StationHost } from './features';

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class LogUpload201 {
  status = 'Idle';
  requestId?: number;
  private generation = 0;

  constructor(
    private readonly host: StationHost,
    private readonly lines: () => string[],
  ) {
    host.handle('GetLog', (p) => this.getLog(p));
  }

  private getLog(p: Record<string, any>): { status: string; filename: string } {
    const running = this.status === 'Uploading';
    const generation = ++this.generation;
    const filename = `${p.logType === 'SecurityLog' ? 'security' : 'diagnostics'}-${p.requestId}.log`;
    this.host.emit('getLog', { ...p, filename });
    this.host.later(0, () => this.run(generation, p, filename));
    return { status: running ? 'AcceptedCanceled' : 'Accepted', filename };
  }

  private async report(generation: number, status: string, requestId: number): Promise<boolean> {
    if (generation !== this.generation) return false;
    this.status = status;
    this.requestId = requestId;
    this.host.emit('logStatus', status);
    await this.host.notify('LogStatusNotification', { status, requestId });
    return generation === this.generation;
  }

  private async run(generation: number, p: Record<string, any>, filename: string): Promise<void> {
    const requestId = Number(p.requestId);
    if (!(await this.report(generation, 'Uploading', requestId))) return;
    await delay(this.host.options.logs?.stepMs ?? 100);
    const ok = !this.host.options.logs?.fail && (await this.upload(String(p.log.remoteLocation), filename));
    await this.report(generation, ok ? 'Uploaded' : 'UploadFailure', requestId);
  }

  private async upload(location: string, filename: string): Promise<boolean> {
    if (!/^https?:\/\//i.test(location)) return true;
    try {
      const url = location.endsWith('/') ? location + filename : location;
      const res = await fetch(url, { method: 'PUT', body: this.lines().join('\n') + '\n', signal: AbortSignal.timeout(5000) });
      return res.ok;
    } catch (err) {
      this.host.logger.debug({ err, location }, 'log upload failed');
      return false;
    }
  }

  /** TriggerMessage LogStatusNotification: Uploading with its requestId while an upload runs, else Idle. */
  async triggered(): Promise<void> {
    await this.host.notify('LogStatusNotification', this.status === 'Uploading' ? { status: 'Uploading', requestId: this.requestId } : { status: 'Idle' });
  }

  cancel(): void {
    this.generation++;
  }
}
