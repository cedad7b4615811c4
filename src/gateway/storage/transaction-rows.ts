/** A transaction with its session, read one way wherever the gateway needs it. */
import { isFollowed } from '../rules/transaction-session';
import type { StationTransaction } from './ports';

export interface TransactionRow {
  id: number;
  session_id: string;
  connector_id: number;
  station_id: string;
  active: boolean;
  status: string;
}

export const transactionRowsSql = `SELECT t.id, t.session_id, t.connector_id, t.station_id, s.active, s.status FROM transactions t JOIN sessions s ON s.id = t.session_id`;

/** The transaction if it was issued to `stationId`: a station never reaches another's transaction. */
export function transactionOfStation(row: TransactionRow | undefined, stationId: string): StationTransaction | null {
  if (!row || row.station_id !== stationId) return null;
  return { transactionId: row.id, sessionId: row.session_id, connectorId: row.connector_id, followed: isFollowed(row) };
}
