/**
 * Delivers the session outbox to the session workflows after the station has had its answer, so
 * a charger's MeterValues wait for one PostgreSQL commit, never for Temporal.
 *
 * A frame's handler wakes its session once the frame (and its outbox entry) is committed, handing
 * over the entry it wrote. The forwarder sends each woken session its entries as one signal
 * (oldest first) and deletes what was delivered in one statement per round. Entries it does not
 * hold (left by another process, or after a failed delivery) it reads from the outbox first. Rounds run one at a time, so a session's frames arrive in order. A session is sent at
 * most one signal per minSignalIntervalMs: a charger metering every few seconds gets each reading
 * through at once, a busy one has its frames batched, and the signals (and workflow tasks) a
 * gateway causes stay bounded by its sessions, not by its frames. Live cost lags by at most that.
 *
 * At least once: an entry is deleted only after the workflow has its signal. A failed delivery is
 * retried with backoff; entries a stopped or killed gateway left behind are found by a sweep (at
 * start, then every sweepIntervalMs). The workflow folds a replayed frame without counting it twice.
 */
import type { Logger } from '../../logger';
import type { SessionEventSink } from '../../sessions/session-events';
import type { OutboxEntry, SessionOutbox } from '../storage/ports';

/** What message handlers see of the forwarder. */
export interface SessionOutboxDelivery {
  /** The session has a new entry (given when known): deliver it soon (never throws, never waits). */
  wake(sessionId: string, entry?: OutboxEntry): void;
  /** Delivers every entry of the session now (a StopTransaction is forwarded only after its session's readings); throws if it cannot. */
  flush(sessionId: string): Promise<void>;
}

export interface SessionOutboxForwarderOptions {
  /** How often to look for entries nobody woke (left by a stopped gateway, or after a failure). */
  sweepIntervalMs: number;
  /** An entry older than this with no delivery under way is swept up. */
  staleMs: number;
  /** Entries read per round (the rest wait for the next one). */
  maxEntriesPerRound: number;
  /** Frames per signal: a long backlog after an outage goes as several signals, each well under Temporal's payload limit. */
  maxFramesPerSignal: number;
  /** At most one signal per session this often (its frames meanwhile go in the next one). */
  minSignalIntervalMs: number;
  /** A session due within this much of a round goes in it: under load, rounds (each a read and a delete) gather many sessions. */
  coalesceMs: number;
  /** Backoff after a failed delivery: doubling from initial to max. */
  retryInitialMs: number;
  retryMaxMs: number;
}

const defaultOutboxOptions: SessionOutboxForwarderOptions = {
  sweepIntervalMs: 5_000,
  staleMs: 3_000,
  maxEntriesPerRound: 5_000,
  maxFramesPerSignal: 200,
  minSignalIntervalMs: 1_000,
  coalesceMs: 100,
  retryInitialMs: 500,
  retryMaxMs: 30_000,
};

export class SessionOutboxForwarder implements SessionOutboxDelivery {
  private readonly options: SessionOutboxForwarderOptions;
  private readonly woken = new Set<string>();
  /** Entries this process wrote and holds, by session, oldest first: delivered without reading them back. */
  private readonly held = new Map<string, OutboxEntry[]>();
  /** Sessions that may have entries not held here: their next delivery reads the outbox. */
  private readonly unheld = new Set<string>();
  /** Sessions waiting out a backoff after a failed delivery: woken by their timer only. */
  private readonly retrying = new Map<string, { failures: number; timer: NodeJS.Timeout | null }>();
  private readonly inFlight = new Map<string, Promise<void>>();
  /** When each session was last sent a signal by a round (forgotten once it is idle for an interval). */
  private readonly lastSignalAt = new Map<string, number>();
  private round: Promise<void> | null = null;
  private sweeper: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly outbox: SessionOutbox,
    private readonly sink: Pick<SessionEventSink, 'meterValues'>,
    private readonly logger: Logger,
    options: Partial<SessionOutboxForwarderOptions> = {},
  ) {
    this.options = { ...defaultOutboxOptions, ...options };
  }

  /** Delivers what earlier processes left (every entry, however young), then sweeps periodically. */
  start(): void {
    void this.sweep(0);
    this.sweeper = setInterval(() => void this.sweep(this.options.staleMs), this.options.sweepIntervalMs);
    this.sweeper.unref();
  }

  wake(sessionId: string, entry?: OutboxEntry): void {
    if (this.closed) return;
    if (!entry) this.unheld.add(sessionId);
    else if (!this.unheld.has(sessionId)) {
      const list = this.held.get(sessionId);
      if (list) list.push(entry);
      else this.held.set(sessionId, [entry]);
    }
    const retry = this.retrying.get(sessionId);
    if (retry?.timer) return; // its timer wakes it; a new frame does not cut the backoff short
    this.woken.add(sessionId);
    this.schedule();
  }

  async flush(sessionId: string): Promise<void> {
    await this.inFlight.get(sessionId);
    this.held.delete(sessionId); // the read below has them all
    const entries = await this.outbox.pending([sessionId], this.options.maxEntriesPerRound);
    await this.send(sessionId, entries);
    await this.outbox.remove(entries.map((e) => e.id));
    if (entries.length === this.options.maxEntriesPerRound) await this.flush(sessionId);
  }

  /** Resolves when nothing is woken or being delivered (sessions in backoff do not count). */
  async idle(): Promise<void> {
    while (this.round) await this.round;
  }

  /** Stops taking work; waits up to `waitMs` for the round under way. What is left stays in the outbox for the next process. */
  async close(waitMs = 5_000): Promise<void> {
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    for (const r of this.retrying.values()) if (r.timer) clearTimeout(r.timer);
    this.retrying.clear();
    this.woken.clear();
    this.held.clear();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise<void>((r) => (timer = setTimeout(r, waitMs)))]);
    clearTimeout(timer);
  }

  private schedule(): void {
    if (this.round || this.closed) return;
    this.round = this.rounds().finally(() => {
      this.round = null;
      if (this.woken.size > 0) this.schedule();
    });
  }

  private async rounds(): Promise<void> {
    while (this.woken.size > 0 && !this.closed) {
      const now = Date.now();
      const due: string[] = [];
      let nextDueAt = Infinity;
      for (const id of this.woken) {
        const at = (this.lastSignalAt.get(id) ?? -Infinity) + this.options.minSignalIntervalMs;
        if (at <= now + this.options.coalesceMs) due.push(id);
        else nextDueAt = Math.min(nextDueAt, at);
      }
      if (due.length === 0) {
        await new Promise((r) => setTimeout(r, nextDueAt - now));
        continue;
      }
      for (const id of due) this.woken.delete(id);
      for (const [id, at] of this.lastSignalAt) if (at + this.options.minSignalIntervalMs <= now) this.lastSignalAt.delete(id);
      await this.deliverRound(due);
    }
  }

  private async deliverRound(sessionIds: string[]): Promise<void> {
    const bySession = new Map<string, OutboxEntry[]>();
    const toRead = sessionIds.filter((id) => this.unheld.has(id));
    for (const id of sessionIds) {
      const list = this.held.get(id);
      this.held.delete(id);
      if (list && !this.unheld.has(id)) bySession.set(id, list);
    }
    if (toRead.length > 0) {
      for (const id of toRead) this.unheld.delete(id);
      let entries: OutboxEntry[];
      try {
        entries = await this.outbox.pending(toRead, this.options.maxEntriesPerRound);
      } catch (err) {
        this.logger.warn({ err, sessions: toRead.length }, 'could not read the session outbox; will retry');
        for (const id of toRead) this.retryLater(id);
        entries = [];
      }
      // A full page may have left entries behind: those sessions go round again, reading.
      if (entries.length === this.options.maxEntriesPerRound) for (const id of toRead) (this.unheld.add(id), this.woken.add(id));
      for (const e of entries) {
        const list = bySession.get(e.sessionId);
        if (list) list.push(e);
        else bySession.set(e.sessionId, [e]);
      }
    }
    const delivered: number[] = [];
    await Promise.all(
      [...bySession].map(([sessionId, list]) => {
        this.lastSignalAt.set(sessionId, Date.now());
        const delivery = this.send(sessionId, list).then(
          () => {
            this.retrying.delete(sessionId);
            for (const e of list) delivered.push(e.id);
          },
          (err) => {
            this.logger.warn({ err, sessionId, frames: list.length }, 'could not deliver readings to the session; will retry');
            this.retryLater(sessionId);
          },
        );
        this.inFlight.set(sessionId, delivery);
        return delivery.finally(() => this.inFlight.delete(sessionId));
      }),
    );
    try {
      await this.outbox.remove(delivered);
    } catch (err) {
      // Delivered but not deleted: the sweep delivers them again, which the workflow folds away.
      this.logger.warn({ err, entries: delivered.length }, 'could not delete delivered outbox entries');
    }
  }

  private async send(sessionId: string, entries: OutboxEntry[]): Promise<void> {
    for (let i = 0; i < entries.length; i += this.options.maxFramesPerSignal) {
      await this.sink.meterValues(entries.slice(i, i + this.options.maxFramesPerSignal).map((e) => e.event));
    }
  }

  /** After a failure the outbox is the truth: the session's next delivery reads it. */
  private retryLater(sessionId: string): void {
    if (this.closed) return;
    this.held.delete(sessionId);
    this.unheld.add(sessionId);
    const failures = (this.retrying.get(sessionId)?.failures ?? 0) + 1;
    const delay = Math.min(this.options.retryInitialMs * 2 ** (failures - 1), this.options.retryMaxMs);
    const entry = { failures, timer: null as NodeJS.Timeout | null };
    entry.timer = setTimeout(() => {
      entry.timer = null;
      this.wake(sessionId);
    }, delay);
    entry.timer.unref();
    this.retrying.set(sessionId, entry);
  }

  private async sweep(olderThanMs: number): Promise<void> {
    try {
      for (const sessionId of await this.outbox.waitingSessions(olderThanMs, 10_000)) {
        if (!this.inFlight.has(sessionId)) this.wake(sessionId);
      }
    } catch (err) {
      this.logger.warn({ err }, 'could not sweep the session outbox');
    }
  }
}
