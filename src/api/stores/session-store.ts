/**
 * Read-only views of the sessions table for the API: who owns a session, and the history
 * list (newest first) with keyset-cursor or page paging. Session state itself lives in the
 * workflow; this table is the index the workflow and gateway keep up to date.
 */
import type { Pool } from '../../db/pool';
import { ApiError } from '../http/api-error';
import { plainDecimal, roundToMinorUnit } from '../../billing/money';

type Queryable = Pick<Pool, 'query'>;

export interface SessionRecord {
  sessionId: string;
  stationId: string;
  connectorId: number;
  driverId: string | null;
  origin: 'app' | 'charger';
  status: string;
  active: boolean;
  transactionId: number | null;
  /** OCPP 2.0.1: the station's own transaction id (absent for 1.6). */
  stationTransactionId?: string;
  failureReason: string | null;
  createdAt: string;
  updatedAt: string;
  receipt: { energyKwh: string; totalCost: string; currency: string; endTime: string | null } | null;
}

export interface SessionFilter {
  /** Only this driver's sessions (a driver's scope); undefined = everyone's (operator). */
  driverId?: string;
  stationId?: string;
  status?: string;
  active?: boolean;
}

export type SessionPaging = { cursor?: string; limit: number } | { page: number; limit: number };

/** The owner of a session, or null when there is no such session. */
export async function findSessionOwner(db: Queryable, sessionId: string): Promise<{ driverId: string | null } | null> {
  const { rows } = await db.query<{ driver_id: string | null }>('SELECT driver_id FROM sessions WHERE id = $1', [sessionId]);
  return rows[0] ? { driverId: rows[0].driver_id } : null;
}

/** The active session on a connector, if any (the tutorial's stop by station). */
export async function findActiveSession(db: Queryable, stationId: string, connectorId?: number): Promise<{ sessionId: string; driverId: string | null } | null> {
  const { rows } = await db.query<{ id: string; driver_id: string | null }>(
    `SELECT id, driver_id FROM sessions WHERE active AND station_id = $1 AND ($2::int IS NULL OR connector_id = $2)
     ORDER BY created_at DESC LIMIT 1`,
    [stationId, connectorId ?? null],
  );
  return rows[0] ? { sessionId: rows[0].id, driverId: rows[0].driver_id } : null;
}

/** OCPP 2.0.1: the station's own id of our transaction (ocpp201_transactions); null for a 1.6 transaction, or none. */
export async function stationTransactionIdOf(db: Queryable, transactionId: number | null): Promise<string | null> {
  if (transactionId === null) return null;
  const { rows } = await db.query<{ charger_transaction_id: string }>('SELECT charger_transaction_id FROM ocpp201_transactions WHERE transaction_id = $1', [transactionId]);
  return rows[0]?.charger_transaction_id ?? null;
}

export async function countActiveSessions(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM sessions WHERE active');
  return rows[0].n;
}

/** Cursor = the last row's (created_at, id), exact to the microsecond, opaque to clients. */
interface CursorPosition {
  createdAt: string;
  id: string;
}

function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): CursorPosition {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(createdAt))) return { createdAt, id };
  } catch {
    /* fall through */
  }
  throw new ApiError(400, 'invalid_request', 'query.cursor: not a cursor this API returned', [{ field: 'query.cursor', problem: 'not a cursor this API returned' }]);
}

interface SessionRow {
  id: string;
  station_id: string;
  connector_id: number;
  driver_id: string | null;
  origin: 'app' | 'charger';
  status: string;
  active: boolean;
  transaction_id: number | null;
  charger_transaction_id: string | null;
  failure_reason: string | null;
  created_at: Date;
  created_at_exact: string;
  updated_at: Date;
  energy_kwh: string | null;
  total_cost: string | null;
  currency: string | null;
  end_time: Date | null;
}

function toRecord(row: SessionRow): SessionRecord {
  return {
    sessionId: row.id,
    stationId: row.station_id,
    connectorId: row.connector_id,
    driverId: row.driver_id,
    origin: row.origin,
    status: row.status,
    active: row.active,
    transactionId: row.transaction_id,
    ...(row.charger_transaction_id === null ? {} : { stationTransactionId: row.charger_transaction_id }),
    failureReason: row.failure_reason,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    receipt:
      row.total_cost === null
        ? null
        // The total as the receipt states it, in the currency's minor unit ("1.50", not "1.5"); the stored total is already rounded.
        : { energyKwh: plainDecimal(row.energy_kwh!), totalCost: roundToMinorUnit(row.total_cost, row.currency!), currency: row.currency!, endTime: row.end_time?.toISOString() ?? null },
  };
}

export async function listSessions(db: Queryable, filter: SessionFilter, paging: SessionPaging): Promise<{ sessions: SessionRecord[]; nextCursor: string | null }> {
  const where: string[] = [];
  const values: unknown[] = [];
  const param = (value: unknown): string => {
    values.push(value);
    return `$${values.length}`;
  };
  if (filter.driverId !== undefined) where.push(`s.driver_id = ${param(filter.driverId)}`);
  if (filter.stationId !== undefined) where.push(`s.station_id = ${param(filter.stationId)}`);
  if (filter.status !== undefined) where.push(`s.status = ${param(filter.status)}`);
  if (filter.active !== undefined) where.push(`s.active = ${param(filter.active)}`);
  let offset = 0;
  if ('page' in paging) {
    offset = (paging.page - 1) * paging.limit;
  } else if (paging.cursor) {
    const after = decodeCursor(paging.cursor);
    where.push(`(s.created_at, s.id) < (${param(after.createdAt)}::timestamptz, ${param(after.id)})`);
  }
  // One row more than asked tells whether another page follows.
  const sql = `
    SELECT s.id, s.station_id, s.connector_id, s.driver_id, s.origin, s.status, s.active, s.transaction_id,
           s.failure_reason, s.created_at, s.updated_at,
           to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS created_at_exact,
           r.energy_kwh, r.total_cost, r.currency, r.end_time, m.charger_transaction_id
      FROM sessions s LEFT JOIN receipts r ON r.session_id = s.id
      LEFT JOIN ocpp201_transactions m ON m.transaction_id = s.transaction_id
     ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ORDER BY s.created_at DESC, s.id DESC
     LIMIT ${param(paging.limit + 1)} OFFSET ${param(offset)}`;
  const { rows } = await db.query<SessionRow>(sql, values);
  const more = rows.length > paging.limit;
  const page = rows.slice(0, paging.limit);
  const last = page[page.length - 1];
  return {
    sessions: page.map(toRecord),
    nextCursor: more && last ? encodeCursor({ createdAt: last.created_at_exact, id: last.id }) : null,
  };
}
