/**
 * GetDiagnostics, charge point side (OCPP 1.6 §5.9 Get Diagnostics, §4.4 Diagnostics Status
 * Notification): the charger answers with the name of the file it will upload, then reports
 * Uploading and, after really uploading a generated diagnostics file to the location, Uploaded — or
 * UploadFailed once `retries` attempts have failed.
 *
 * The location is a directory (§6.33 "location (directory) where the diagnostics file shall be
 * uploaded to"): the file goes to location + "/" + fileName. http(s) locations are uploaded with
 * HTTP PUT (raw body) or POST (multipart/form-data, field "file"); other schemes (ftp://) are not
 * implemented by this charger — see `unsupportedLocation`.
 */
import { ChargePointHost, SilentFault, StatusWalk, runWalk } from './status-walk';

export type DiagnosticsStatus = 'Uploading' | 'Uploaded' | 'UploadFailed';

export interface DiagnosticsOptions {
  /** HTTP method for http(s) locations (default PUT). */
  method?: 'PUT' | 'POST';
  /** Size of the generated file in bytes (default 2048; at least the header). */
  sizeBytes?: number;
  /** The first N upload attempts fail without contacting the server (Infinity: all). */
  failUploadAttempts?: number;
  /** Go silent instead of reporting this status. */
  silentAt?: SilentFault<DiagnosticsStatus>;
  /**
   * A location this charger cannot upload to (not http/https):
   * 'upload_fails' (default): answers with a fileName (diagnostics exist), reports Uploading, and
   *   UploadFailed after the attempts; 'no_file': answers without fileName and reports UploadFailed.
   */
  unsupportedLocation?: 'upload_fails' | 'no_file';
  /** Attempts when the request has no `retries` (default 1). */
  defaultRetries?: number;
  /** Seconds between attempts when the request has no `retryInterval` (default 0). */
  defaultRetryIntervalS?: number;
  /** Timeout of one HTTP upload (default 10 s). */
  uploadTimeoutMs?: number;
}

export interface GetDiagnosticsRequest {
  location: string;
  retries?: number;
  retryInterval?: number;
  startTime?: string;
  stopTime?: string;
}

export interface DiagnosticsHost extends ChargePointHost {
  /** Lines describing the charger's state (firmware, connectors, configuration) for the file. */
  diagnosticsLines(): string[];
}

/** The URL the file is uploaded to: the location (a directory) with the file name appended. */
export function uploadUrl(location: string, fileName: string): URL {
  const url = new URL(location);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${encodeURIComponent(fileName)}`;
  return url;
}

const httpLocation = (location: string) => /^https?:\/\//i.test(location);

export class DiagnosticsUploader {
  private walk?: StatusWalk<DiagnosticsStatus>;

  constructor(
    private readonly host: DiagnosticsHost,
    private readonly options: DiagnosticsOptions = {},
  ) {}

  /** What a triggered DiagnosticsStatusNotification reports: Uploading while uploading (or hung there), else Idle. */
  get triggerStatus(): DiagnosticsStatus | 'Idle' {
    return this.walk && !this.walk.finished ? this.walk.status : 'Idle';
  }

  /**
   * Answers GetDiagnostics and starts the upload in the background (`run`, to be called after the
   * answer is sent). A new request supersedes one in progress.
   */
  prepare(request: GetDiagnosticsRequest): { answer: { fileName?: string }; run: () => Promise<void> } {
    this.walk?.cancel();
    const walk = new StatusWalk<DiagnosticsStatus>(this.host, 'DiagnosticsStatusNotification', this.options.silentAt);
    this.walk = walk;
    const supported = httpLocation(request.location);
    if (!supported && (this.options.unsupportedLocation ?? 'upload_fails') === 'no_file') {
      return { answer: {}, run: () => runWalk(this.host, () => walk.finish('UploadFailed')) };
    }
    const now = new Date();
    const fileName = `${this.host.chargePointId}_diagnostics_${now.toISOString().replace(/[:.]/g, '-')}.log`.slice(0, 255);
    const body = this.file(request, now);
    return { answer: { fileName }, run: () => runWalk(this.host, () => this.upload(walk, request, fileName, body)) };
  }

  cancel(): void {
    this.walk?.cancel();
  }

  /** The generated diagnostics file: a header naming the charger and the requested window, padded to `sizeBytes`. */
  file(request: GetDiagnosticsRequest, generatedAt: Date): Buffer {
    const lines = [
      `# diagnostics of charge point ${this.host.chargePointId}`,
      `# generated ${generatedAt.toISOString()}`,
      `# window ${request.startTime ?? '(oldest)'} .. ${request.stopTime ?? '(latest)'}`,
      ...this.host.diagnosticsLines(),
    ];
    let text = `${lines.join('\n')}\n`;
    const size = this.options.sizeBytes ?? 2048;
    let n = 0;
    while (Buffer.byteLength(text) < size) text += `${generatedAt.toISOString()} log line ${++n}\n`;
    return Buffer.from(text).subarray(0, Math.max(size, Buffer.byteLength(lines.slice(0, 3).join('\n'))));
  }

  private async upload(walk: StatusWalk<DiagnosticsStatus>, request: GetDiagnosticsRequest, fileName: string, body: Buffer): Promise<void> {
    const o = this.options;
    // Same reading as UpdateFirmware: `retries` is the number of attempts.
    const attempts = Math.max(1, request.retries ?? o.defaultRetries ?? 1);
    const retryMs = (request.retryInterval ?? o.defaultRetryIntervalS ?? 0) * this.host.secondMs;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) await walk.wait(retryMs);
      await walk.report('Uploading');
      const ok = attempt > (o.failUploadAttempts ?? 0) && (await this.put(request.location, fileName, body));
      this.host.emit('diagnosticsUploadAttempt', { attempt, ok });
      if (ok) return walk.finish('Uploaded');
    }
    await walk.finish('UploadFailed');
  }

  private async put(location: string, fileName: string, body: Buffer): Promise<boolean> {
    if (!httpLocation(location)) return false;
    const url = uploadUrl(location, fileName);
    const method = this.options.method ?? 'PUT';
    let init: RequestInit;
    if (method === 'POST') {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(body)], { type: 'text/plain' }), fileName);
      init = { method, body: form };
    } else {
      init = { method, body: new Uint8Array(body), headers: { 'content-type': 'text/plain' } };
    }
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(this.options.uploadTimeoutMs ?? 10_000) });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) this.host.logger.debug({ status: res.status, url: url.toString() }, 'diagnostics upload refused');
      return res.ok;
    } catch (err) {
      this.host.logger.debug({ err, url: url.toString() }, 'diagnostics upload failed');
      return false;
    }
  }
}
