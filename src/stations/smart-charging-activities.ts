/**
 * Smart charging's PostgreSQL reads and writes on the session worker: what a station can take
 * (SupportedFeatureProfiles and the §9.4 keys as the configuration reconciliation last read them,
 * its wiring) and the operator's station profiles. station_charging_profiles' outcome columns
 * have this one writer; the API writes the declarations.
 */
import type { Pool } from '../db/pool';
import { chargerProfileLimits } from '../ocpp/charging-profile-rules';
import type { SmartChargingActivities, SmartChargingContext } from '../../workflows/smart-charging-activities';
import { loadStationElectrics } from './station-electrics-store';

type Queryable = Pick<Pool, 'query'>;

export async function loadSmartChargingContext(db: Queryable, stationId: string): Promise<SmartChargingContext> {
  const { rows } = await db.query<{ profiles: string[] | null; keys: Array<{ key: string; value?: string }> | null }>(
    'SELECT supported_feature_profiles AS profiles, keys FROM station_configuration WHERE station_id = $1',
    [stationId],
  );
  const profiles = rows[0]?.profiles ?? null;
  return {
    smartCharging: profiles === null ? null : profiles.includes('SmartCharging'),
    limits: chargerProfileLimits(rows[0]?.keys),
    electrics: await loadStationElectrics(db, stationId),
  };
}

export function createSmartChargingActivities({ pool }: { pool: Pool }): SmartChargingActivities {
  return {
    loadSmartChargingContext: (stationId) => loadSmartChargingContext(pool, stationId),

    async loadStationProfiles(stationId) {
      const { rows } = await pool.query(
        `SELECT purpose, declared, version FROM station_charging_profiles WHERE station_id = $1 ORDER BY purpose`,
        [stationId],
      );
      // ChargePointMaxProfile sorts first: the station's ceiling is in force before its default.
      return rows.map((r) => ({ purpose: r.purpose, declared: r.declared, version: Number(r.version) }));
    },

    async recordStationProfileOutcome(o) {
      if (o.cleared) {
        await pool.query('DELETE FROM station_charging_profiles WHERE station_id = $1 AND purpose = $2 AND version = $3', [o.stationId, o.purpose, o.version]);
        return;
      }
      await pool.query(
        `UPDATE station_charging_profiles
            SET status = $4, detail = $5, sent = $6, workflow_id = $7, applied_at = CASE WHEN $4 = 'applied' THEN now() ELSE applied_at END
          WHERE station_id = $1 AND purpose = $2 AND version = $3`,
        [o.stationId, o.purpose, o.version, o.status, o.detail, o.sent === null ? null : JSON.stringify(o.sent), o.workflowId],
      );
    },
  };
}
