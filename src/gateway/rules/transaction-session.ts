/**
 * Which session a StartTransaction belongs to. The transaction is always stored (the station
 * did start it) and gets its id once:
 * - a replay (same station, connector, id tag, meterStart and timestamp: the transactions
 *   replay key) is the stored transaction, answered with the same id;
 * - an active session on the connector waiting for its transaction (an app start): that session;
 * - an active session on the connector that already has a transaction: a new session row,
 *   inactive and 'failed', that no workflow follows (one session, one transaction);
 * - otherwise (an RFID start at the station): a new active session, origin 'charger'.
 */

/** The active session on the connector, as the StartTransaction finds it. */
export interface ConnectorSession {
  sessionId: string;
  transactionId: number | null;
  driverId: string | null;
}

export type SessionForTransaction =
  | { kind: 'awaited'; sessionId: string; driverId: string | null }
  | { kind: 'conflict'; failureReason: string }
  | { kind: 'station_started' };

const conflictPrefix = 'connector already in transaction';

export function sessionForTransaction(active: ConnectorSession | null): SessionForTransaction {
  if (!active) return { kind: 'station_started' };
  if (active.transactionId === null) return { kind: 'awaited', sessionId: active.sessionId, driverId: active.driverId };
  return { kind: 'conflict', failureReason: `${conflictPrefix} ${active.transactionId}` };
}

/** Whether a stored session is one a conflicting StartTransaction created (a replay of it is not forwarded either). */
export function isConflictSession(session: { active: boolean; status: string; failureReason: string | null }): boolean {
  return !session.active && session.status === 'failed' && (session.failureReason ?? '').startsWith(conflictPrefix);
}

/** A transaction whose session is failed and inactive is followed by no workflow: nothing about it is forwarded. */
export function isFollowed(session: { active: boolean; status: string }): boolean {
  return !(session.status === 'failed' && !session.active);
}

/** isFollowed as an SQL condition on a row with the session's `active` and `status` columns. */
export const isFollowedSql = (row: string): string => `NOT (${row}.status = 'failed' AND NOT ${row}.active)`;
