/**
 * A background procedure of the charge point that reports its progress with a status notification
 * (firmware update: FirmwareStatusNotification; diagnostics upload: DiagnosticsStatusNotification),
 * with the waits of its steps and the scripted "go silent" fault shared by both.
 */
import type { Logger } from '../logger';

/** What a procedure needs from its charge point. */
export interface ChargePointHost {
  readonly chargePointId: string;
  readonly logger: Logger;
  /** Wall-clock milliseconds per protocol second (retryInterval and the like are in seconds). */
  readonly secondMs: number;
  /** Sends a CALL when connected; resolves false when it could not be delivered (never throws). */
  notify(action: string, payload: Record<string, unknown>): Promise<boolean>;
  /** Drops off the network: the socket is lost and the charger does not reconnect by itself. */
  goOffline(): void;
  emit(event: string, value: unknown): boolean;
}

/**
 * 'hang': the procedure stops where it is (its status stays, nothing more is sent about it; the
 * rest of the charger keeps working). 'offline': it also drops the connection and stays off.
 */
export type SilentMode = 'hang' | 'offline';

/** Go silent instead of reporting `at` (that notification and everything after it are never sent). */
export interface SilentFault<S extends string> {
  at: S;
  mode?: SilentMode;
}

/** Thrown inside a walk when it was cancelled or went silent; ends it without an error. */
export class WalkStopped extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'WalkStopped';
  }
}

export class StatusWalk<S extends string> {
  /** The status last reached ('Idle' before the first). */
  status: S | 'Idle' = 'Idle';
  /** True once the walk ended by itself (a final status), false while it runs or when it hangs. */
  finished = false;
  private stopped = false;
  private readonly waits = new Set<{ timer: NodeJS.Timeout; reject: (err: Error) => void }>();

  constructor(
    private readonly host: ChargePointHost,
    private readonly action: 'FirmwareStatusNotification' | 'DiagnosticsStatusNotification',
    private readonly silent?: SilentFault<S>,
  ) {}

  /** Reports `status` (or goes silent there, per the script). */
  async report(status: S): Promise<void> {
    this.checkRunning();
    this.status = status;
    if (this.silent?.at === status) {
      this.host.logger.debug({ action: this.action, status, mode: this.silent.mode ?? 'hang' }, 'going silent (scripted)');
      this.stopped = true;
      if (this.silent.mode === 'offline') this.host.goOffline();
      this.host.emit('silent', { action: this.action, status, mode: this.silent.mode ?? 'hang' });
      throw new WalkStopped(`silent at ${status}`);
    }
    this.host.emit(this.action === 'FirmwareStatusNotification' ? 'firmwareStatus' : 'diagnosticsStatus', status);
    const sent = await this.host.notify(this.action, { status });
    if (!sent) this.host.logger.debug({ action: this.action, status }, 'status not delivered (offline)');
  }

  /** Reports a final status: afterwards the procedure is over (a triggered notification says Idle). */
  async finish(status: S): Promise<void> {
    await this.report(status);
    this.finished = true;
  }

  /** Waits `ms` of wall time; rejects with WalkStopped when the walk is cancelled meanwhile. */
  wait(ms: number): Promise<void> {
    this.checkRunning();
    return new Promise<void>((resolve, reject) => {
      const entry = {
        timer: setTimeout(() => {
          this.waits.delete(entry);
          resolve();
        }, Math.min(Math.max(0, ms), 2 ** 31 - 1)), // setTimeout's limit: a retrieveDate weeks ahead must not fire at once
        reject,
      };
      this.waits.add(entry);
    });
  }

  /** Stops the walk (superseded by a new request, or the charger closes). */
  cancel(): void {
    this.stopped = true;
    for (const w of this.waits) {
      clearTimeout(w.timer);
      w.reject(new WalkStopped('cancelled'));
    }
    this.waits.clear();
  }

  get running(): boolean {
    return !this.stopped && !this.finished;
  }

  private checkRunning(): void {
    if (this.stopped) throw new WalkStopped('cancelled');
  }
}

/** Runs a walk's body, treating WalkStopped as a normal end. */
export async function runWalk(host: ChargePointHost, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (err instanceof WalkStopped) return;
    throw err;
  }
}
