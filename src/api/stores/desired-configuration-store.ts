/** The operator's desired configuration entries (desired_configuration): list, declare (upsert), remove. */
import type { Pool } from '../../db/pool';
import { notFound } from '../http/api-error';
import { isPgError, pgErrorCodes } from './transaction';

type Queryable = Pick<Pool, 'query'>;

export interface DesiredConfigurationEntry {
  id: string;
  scope: 'all' | 'group' | 'station';
  vendor: string | null;
  model: string | null;
  stationId: string | null;
  key: string;
  value: string;
  updatedAt: string;
}

const columns = `id::text, scope, vendor, model, station_id AS "stationId", key, value, updated_at AS "updatedAt"`;

const toEntry = (row: DesiredConfigurationEntry & { updatedAt: Date | string }): DesiredConfigurationEntry => ({ ...row, updatedAt: new Date(row.updatedAt).toISOString() });

export async function listDesiredConfiguration(db: Queryable): Promise<DesiredConfigurationEntry[]> {
  const { rows } = await db.query(`SELECT ${columns} FROM desired_configuration ORDER BY key, scope, id`);
  return rows.map(toEntry);
}

/** Declares the key's value for the target; declaring it again replaces the value (same entry id). */
export async function declareDesiredConfiguration(
  db: Queryable,
  entry: { scope: DesiredConfigurationEntry['scope']; vendor: string | null; model: string | null; stationId: string | null; key: string; value: string },
): Promise<DesiredConfigurationEntry> {
  try {
    const { rows } = await db.query(
      `INSERT INTO desired_configuration (scope, vendor, model, station_id, key, value) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (scope, COALESCE(vendor, ''), COALESCE(model, ''), COALESCE(station_id, ''), key)
       DO UPDATE SET value = EXCLUDED.value, updated_at = now()
       RETURNING ${columns}`,
      [entry.scope, entry.vendor, entry.model, entry.stationId, entry.key, entry.value],
    );
    return toEntry(rows[0]);
  } catch (err) {
    if (isPgError(err, pgErrorCodes.foreignKeyViolation)) throw notFound(`station ${entry.stationId}`);
    throw err;
  }
}

export async function removeDesiredConfiguration(db: Queryable, id: string): Promise<void> {
  const { rowCount } = await db.query('DELETE FROM desired_configuration WHERE id = $1::bigint', [id]);
  if (!rowCount) throw notFound(`desired configuration entry ${id}`);
}
