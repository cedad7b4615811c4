/**
 * The tariff a session is billed by, read once when the session starts: the charger's own
 * tariff, else the network's default, at its current version, with the charger's time zone
 * (for time-of-use periods). Shared with the API's tariff store (same row mapping).
 */
import type { Pool } from '../db/pool';
import type { TariffSnapshot } from '../billing/tariff';
import { tariffColumns, toTariff, toTariffSnapshot } from './tariff-rows';

/**
 * `at` is when the session starts; tariffs have no validity periods yet, so today it only
 * documents the question being asked (and keeps the activity signature stable when they do).
 */
export async function loadTariffSnapshotForCharger(pool: Pick<Pool, 'query'>, stationId: string, _at: string): Promise<TariffSnapshot | null> {
  const { rows } = await pool.query(
    `SELECT ${tariffColumns.split(', ').map((c) => `t.${c}`).join(', ')},
            (SELECT time_zone FROM chargers WHERE id = $1) AS station_time_zone
       FROM tariffs t
      WHERE t.id = (SELECT tariff_id FROM chargers WHERE id = $1) OR t.is_default
      ORDER BY (t.id = (SELECT tariff_id FROM chargers WHERE id = $1)) DESC NULLS LAST
      LIMIT 1`,
    [stationId],
  );
  if (!rows[0]) return null;
  return toTariffSnapshot(toTariff(rows[0]), rows[0].station_time_zone ?? 'UTC');
}
