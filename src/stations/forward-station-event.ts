/**
 * Forwards a station event the gateway has already stored. A failure (Temporal unreachable) is
 * logged and the charger still gets its answer: the event is in PostgreSQL, and the workflow that
 * missed it times out to a recorded outcome rather than the charger retrying a stored message.
 */
import type { Logger } from '../logger';

export async function forwardStoredStationEvent(logger: Logger, what: string, forward: () => Promise<void>): Promise<void> {
  try {
    await forward();
  } catch (err) {
    logger.warn({ err, event: what }, 'stored station event not forwarded to its workflow');
  }
}
