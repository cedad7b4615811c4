/**
 * After an id tag or access change is committed, wake the local-list sync of every station it
 * may touch. Best effort and not awaited by the API's answer: the change is already in
 * PostgreSQL, and each station's workflow also reads it by itself (its poll interval, and every
 * boot or reconnect), so a wake-up lost here only delays it.
 *
 * Requests are coalesced: the signal carries no change, so one wake-up per station covers every
 * change made before it, and creating 500 drivers in a row wakes each station a few times, not
 * 500 times.
 */
import type { Pool } from '../db/pool';
import type { Logger } from '../logger';
import type { LocalListWakeReason } from '../../workflows/local-list-messages';
import type { LocalListWaker } from './temporal-local-list-sync';

/** Signals in flight at once (a network's stations are woken in waves, not all together). */
const wakeConcurrency = 8;
/** How long requests gather before one round of wake-ups. */
const coalesceMs = 200;

/** Wakes the named stations, or every Accepted station when none are named. */
export async function wakeLocalLists(pool: Pool, wake: LocalListWaker, logger: Logger, reason: LocalListWakeReason, stationIds?: string[]): Promise<void> {
  try {
    const ids =
      stationIds ?? (await pool.query<{ id: string }>(`SELECT id FROM chargers WHERE registration_status = 'Accepted' ORDER BY id`)).rows.map((r) => r.id);
    let next = 0;
    const lane = async () => {
      while (next < ids.length) {
        const stationId = ids[next++]!;
        await wake(stationId, reason).catch((err) => logger.warn({ err, stationId, reason }, 'could not wake the local-list sync (its poll will catch up)'));
      }
    };
    await Promise.all(Array.from({ length: Math.min(wakeConcurrency, ids.length) }, lane));
  } catch (err) {
    logger.warn({ err, reason }, 'could not wake the local-list syncs (their poll will catch up)');
  }
}

export class LocalListWakeups {
  private all: LocalListWakeReason | null = null;
  private readonly stations = new Map<string, LocalListWakeReason>();
  private timer: NodeJS.Timeout | null = null;
  private round: Promise<void> | null = null;

  constructor(private readonly deps: { pool: Pool; wake: LocalListWaker; logger: Logger }) {}

  /** Wake these stations (none named: every station) soon. */
  request(reason: LocalListWakeReason, stationIds?: string[]): void {
    if (!stationIds) this.all = reason;
    else for (const id of stationIds) this.stations.set(id, reason);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.round) return;
    this.timer = setTimeout(() => void this.flush(), coalesceMs);
    this.timer.unref();
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const { pool, wake, logger } = this.deps;
    const all = this.all;
    const stations = [...this.stations];
    this.all = null;
    this.stations.clear();
    this.round = (async () => {
      if (all) await wakeLocalLists(pool, wake, logger, all);
      else {
        const byReason = new Map<LocalListWakeReason, string[]>();
        for (const [id, reason] of stations) byReason.set(reason, [...(byReason.get(reason) ?? []), id]);
        for (const [reason, ids] of byReason) await wakeLocalLists(pool, wake, logger, reason, ids);
      }
    })();
    await this.round;
    this.round = null;
    if (this.all || this.stations.size > 0) this.schedule();
  }
}
