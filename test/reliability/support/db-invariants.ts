/**
 * Consistency of what the gateway and the session layer stored, checked with SQL after an
 * onslaught: each query lists the rows that break one invariant (all must be empty).
 */
import type { Pool } from 'pg';

export const invariantQueries: Record<string, string> = {
  'a transaction whose session does not point back to it': `
    SELECT t.id, t.session_id, s.transaction_id FROM transactions t JOIN sessions s ON s.id = t.session_id
     WHERE s.transaction_id IS DISTINCT FROM t.id`,
  'a session pointing at a transaction that does not exist': `
    SELECT s.id, s.transaction_id FROM sessions s LEFT JOIN transactions t ON t.id = s.transaction_id
     WHERE s.transaction_id IS NOT NULL AND t.id IS NULL`,
  'a transaction on another charger or connector than its session': `
    SELECT t.id FROM transactions t JOIN sessions s ON s.id = t.session_id
     WHERE s.station_id <> t.station_id OR s.connector_id <> t.connector_id`,
  'a meter sample of a transaction that does not exist': `
    SELECT m.id, m.transaction_id FROM meter_samples m LEFT JOIN transactions t ON t.id = m.transaction_id
     WHERE m.transaction_id IS NOT NULL AND t.id IS NULL`,
  "a meter sample filed under another charger's transaction": `
    SELECT m.id, m.station_id, t.station_id AS transaction_charger FROM meter_samples m JOIN transactions t ON t.id = m.transaction_id
     WHERE t.station_id <> m.station_id`,
  'more than one active session on a connector': `
    SELECT station_id, connector_id, count(*) FROM sessions WHERE active GROUP BY 1, 2 HAVING count(*) > 1`,
  'an inactive failed session still marked as running': `
    SELECT id FROM sessions WHERE status = 'failed' AND active`,
  'a receipt with a negative energy or amount': `
    SELECT session_id FROM receipts WHERE energy_kwh < 0 OR total_cost < 0`,
  'a stopped transaction without its stop timestamp': `
    SELECT id FROM transactions WHERE (meter_stop IS NULL) <> (stop_timestamp IS NULL)`,
};

/** The broken invariants with their offending rows (empty object: all hold). */
export async function brokenInvariants(pool: Pool): Promise<Record<string, unknown[]>> {
  const broken: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(invariantQueries)) {
    const { rows } = await pool.query(sql);
    if (rows.length > 0) broken[name] = rows.slice(0, 5);
  }
  return broken;
}
