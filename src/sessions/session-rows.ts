/**
 * Every write to the `sessions` table: the index of sessions (who, where, which transaction,
 * status) that the API lists and PostgreSQL uses to decide "one active session per connector"
 * (a partial unique index). Three roles write it — the API's session service (an app start), the
 * gateway (a StartTransaction) and the worker (the workflow's status, the receipt) — all through
 * this one module, so the table has one owner. Reads stay with their readers.
 */
import type { Pool, PoolClient } from 'pg';
import type { SessionStatus } from '../../workflows/session-messages';

type Db = Pick<Pool | PoolClient, 'query'>;

const activeStatuses: readonly SessionStatus[] = ['starting', 'awaiting_plug_in', 'charging', 'stopping', 'billing'];

export interface NewSessionRow {
  sessionId: string;
  stationId: string;
  connectorId: number;
  driverId: string | null;
  idTag: string;
}

/** An app start, before its workflow exists; fails with sessions_one_active_per_connector when the connector is busy. */
export async function insertAppSession(db: Db, s: NewSessionRow): Promise<void> {
  await db.query(`INSERT INTO sessions (id, station_id, connector_id, driver_id, id_tag, origin, status) VALUES ($1, $2, $3, $4, $5, 'app', 'starting')`, [
    s.sessionId,
    s.stationId,
    s.connectorId,
    s.driverId,
    s.idTag,
  ]);
}

/**
 * A session the station started itself (RFID): active and charging. With `failureReason` it is
 * a transaction the connector had no room for, stored inactive and 'failed' so no workflow owns it.
 */
export async function insertStationSession(db: Db, s: NewSessionRow & { failureReason?: string }): Promise<void> {
  const failed = s.failureReason !== undefined;
  await db.query(
    `INSERT INTO sessions (id, station_id, connector_id, driver_id, id_tag, origin, status, active, failure_reason)
     VALUES ($1, $2, $3, $4, $5, 'charger', $6, $7, $8)`,
    [s.sessionId, s.stationId, s.connectorId, s.driverId, s.idTag, failed ? 'failed' : 'charging', !failed, s.failureReason ?? null],
  );
}

export async function attachTransaction(db: Db, sessionId: string, transactionId: number): Promise<void> {
  await db.query('UPDATE sessions SET transaction_id = $2, updated_at = now() WHERE id = $1', [sessionId, transactionId]);
}

/** Mirrors the workflow's status (active follows it); idempotent, as activities are retried. */
export async function recordSessionStatus(
  db: Db,
  update: { sessionId: string; status: SessionStatus; transactionId?: number | null; failureReason?: string | null },
): Promise<void> {
  await db.query(
    `UPDATE sessions
        SET status = $2, active = $3,
            transaction_id = COALESCE($4, transaction_id),
            failure_reason = COALESCE($5, failure_reason),
            updated_at = now()
      WHERE id = $1`,
    [update.sessionId, update.status, activeStatuses.includes(update.status), update.transactionId ?? null, update.failureReason ?? null],
  );
}

/** Ends the session for good (its receipt is issued, or its workflow never started): the connector is free again. */
export async function closeSession(db: Db, sessionId: string, status: SessionStatus, failureReason: string | null): Promise<void> {
  await db.query(`UPDATE sessions SET status = $2, active = FALSE, failure_reason = COALESCE($3, failure_reason), updated_at = now() WHERE id = $1`, [
    sessionId,
    status,
    failureReason,
  ]);
}
