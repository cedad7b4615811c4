/**
 * The site load manager's reads (SiteActivities): which site a station is in, and one query per
 * poll for the stations' state and the transactions' latest Power.Active.Import. The gateway
 * stores every reading and connection change before answering, so reading PostgreSQL every few
 * seconds costs one indexed query per site instead of a signal per reading.
 */
import type { Pool } from '../db/pool';
import { ampsToWatts, type StationElectrics } from '../ocpp/charging-rate';
import type { LimitUnit } from '../load-management/allocation-rounds';
import type { SiteActivities } from '../../workflows/site-activities';

export type { SiteActivities };

/** IEC 61851 / type 2: 32 A per phase, the most a charger's connector carries without its own maximum declared. */
const hardwareMaxAmps = 32;

/** A charger whose ChargingScheduleAllowedChargingRateUnit lists Power takes W; otherwise (Current only, or not read yet) A, which every smart charger takes. */
export function limitUnitOf(allowedUnits: string | null): LimitUnit {
  return allowedUnits !== null && allowedUnits.split(',').map((u) => u.trim()).includes('Power') ? 'W' : 'A';
}

export function createSiteActivities({ pool }: { pool: Pool }): SiteActivities {
  return {
    async siteOfStation(stationId) {
      const { rows } = await pool.query<{ site_id: string }>('SELECT site_id FROM site_stations WHERE station_id = $1', [stationId]);
      return rows[0]?.site_id ?? null;
    },

    async readSiteTelemetry({ stationIds, transactionIds }) {
      const stations = await pool.query<{ id: string; online: boolean; booted_at: Date | null; phases: number; nominal_voltage_v: number; max_power_kw: string | null; units: string | null }>(
        `SELECT c.id, c.online, c.booted_at, c.phases, c.nominal_voltage_v, s.max_power_kw,
                (SELECT k->>'value' FROM jsonb_array_elements(COALESCE(sc.keys, '[]'::jsonb)) k WHERE k->>'key' = 'ChargingScheduleAllowedChargingRateUnit' LIMIT 1) AS units
           FROM chargers c
           LEFT JOIN site_stations s ON s.station_id = c.id
           LEFT JOIN station_configuration sc ON sc.station_id = c.id
          WHERE c.id = ANY($1)`,
        [stationIds],
      );
      // The latest total (no phase) reading of each transaction; kW normalised to W.
      const power = transactionIds.length === 0 ? { rows: [] } : await pool.query<{ transaction_id: number; value: string; unit: string | null; timestamp: Date }>(
        `SELECT DISTINCT ON (transaction_id) transaction_id, value, unit, timestamp
           FROM meter_samples
          WHERE transaction_id = ANY($1) AND measurand = 'Power.Active.Import' AND phase IS NULL
          ORDER BY transaction_id, timestamp DESC, id DESC`,
        [transactionIds],
      );
      return {
        stations: stations.rows.map((r) => {
          const electrics: StationElectrics = { phases: r.phases === 1 ? 1 : 3, voltageV: r.nominal_voltage_v };
          return {
            stationId: r.id,
            online: r.online,
            bootedAt: r.booted_at?.toISOString() ?? null,
            electrics,
            unit: limitUnitOf(r.units),
            chargerMaxW: r.max_power_kw !== null ? Math.round(Number(r.max_power_kw) * 1000) : ampsToWatts(hardwareMaxAmps, electrics),
          };
        }),
        power: power.rows
          .map((r) => ({ transactionId: r.transaction_id, powerW: Math.round(Number(r.value) * (r.unit === 'kW' ? 1000 : 1)), at: r.timestamp.toISOString() }))
          .filter((p) => Number.isFinite(p.powerW) && p.powerW >= 0),
      };
    },
  };
}
