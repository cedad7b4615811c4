/** chargers.phases / nominal_voltage_v (migration 0009): how a station is wired, for W ↔ A. */
import type { Pool } from '../db/pool';
import { defaultStationElectrics, type StationElectrics } from '../ocpp/charging-rate';

type Queryable = Pick<Pool, 'query'>;

/** The station's wiring; the defaults for a station not registered yet. */
export async function loadStationElectrics(db: Queryable, stationId: string): Promise<StationElectrics> {
  const { rows } = await db.query<{ phases: number; nominal_voltage_v: number }>('SELECT phases, nominal_voltage_v FROM chargers WHERE id = $1', [stationId]);
  const row = rows[0];
  return row ? { phases: row.phases === 1 ? 1 : 3, voltageV: row.nominal_voltage_v } : defaultStationElectrics;
}

export async function saveStationElectrics(db: Queryable, stationId: string, e: StationElectrics): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE chargers SET phases = $2, nominal_voltage_v = $3 WHERE id = $1', [stationId, e.phases, e.voltageV]);
  return (rowCount ?? 0) > 0;
}
