/**
 * The tariff a session is billed by, read once when the session starts: the charger's own
 * tariff, else the network's default. Shared with the API's tariff store (same row mapping).
 */
import type { Pool } from '../db/pool';
import type { TariffSnapshot } from '../billing/tariff';
import { toTariff } from '../api/stores/tariff-store';

/**
 * `at` is when the session starts; tariffs have no validity periods yet, so today it only
 * documents the question being asked (and keeps the activity signature stable when they do).
 */
export async function loadTariffSnapshotForCharger(pool: Pick<Pool, 'query'>, chargerId: string, _at: string): Promise<TariffSnapshot | null> {
  const { rows } = await pool.query(
    `SELECT t.id, t.name, t.currency, t.rate_per_kwh, t.is_default, t.created_at
       FROM tariffs t
      WHERE t.id = (SELECT tariff_id FROM chargers WHERE id = $1) OR t.is_default
      ORDER BY (t.id = (SELECT tariff_id FROM chargers WHERE id = $1)) DESC NULLS LAST
      LIMIT 1`,
    [chargerId],
  );
  if (!rows[0]) return null;
  const tariff = toTariff(rows[0]);
  return { tariffId: tariff.id, version: 1, name: tariff.name, currency: tariff.currency, energyPricePerKwh: tariff.ratePerKwh };
}
