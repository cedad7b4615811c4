/**
 * After an id tag or access change is committed, wake the local-list sync of every station it
 * may touch. Best effort and not awaited by the API's answer: the change is already in
 * PostgreSQL, and each station's workflow also reads it by itself (its poll interval, and every
 * boot or reconnect), so a wake-up lost here only delays it.
 */
import type { Pool } from '../db/pool';
import type { Logger } from '../logger';
import type { LocalListWakeReason } from '../../workflows/local-list-messages';
import type { LocalListWaker } from './temporal-local-list-sync';

/** Signals in flight at once (a network's stations are woken in waves, not all together). */
const wakeConcurrency = 8;

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
