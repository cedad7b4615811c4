/** Small PostgreSQL reads shared by the firmware and diagnostics services. */
import type { Pool } from '../db/pool';
import { StationOperationError } from './station-operation-error';

export async function assertStationsKnown(pool: Pool, stationIds: readonly string[]): Promise<void> {
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM chargers WHERE id = ANY($1)', [stationIds]);
  const known = new Set(rows.map((r) => r.id));
  const unknown = stationIds.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new StationOperationError('unknown_station', `station${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} not known`);
}

export const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);
