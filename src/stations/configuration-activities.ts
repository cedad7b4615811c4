/**
 * The station-configuration workflow's activities on the session worker: what is desired for a
 * station (network defaults and the operator's entries) and storing what a run found. The
 * station_configuration table has this one writer.
 */
import type { Config } from '../config/config';
import type { Pool } from '../db/pool';
import { mergeDesired, type DesiredSetting, type DesiredSource } from '../ocpp/configuration-plan';
import type { StationConfigurationActivities } from '../../workflows/station-configuration-activities';
import { networkConfigurationDefaults } from './network-configuration-defaults';

export function createStationConfigurationActivities({ pool, config }: { pool: Pool; config: Config }): StationConfigurationActivities {
  return {
    async loadDesiredConfiguration(stationId) {
      // Least specific first (all, group by vendor or model, group by both, station): the last entry for a key wins.
      const { rows } = await pool.query<{ scope: DesiredSource; key: string; value: string }>(
        `SELECT d.scope, d.key, d.value
           FROM desired_configuration d JOIN chargers c ON c.id = $1
          WHERE d.scope = 'all'
             OR (d.scope = 'station' AND d.station_id = c.id)
             OR (d.scope = 'group' AND (d.vendor IS NULL OR d.vendor = c.vendor) AND (d.model IS NULL OR d.model = c.model))
          ORDER BY CASE d.scope WHEN 'all' THEN 0 WHEN 'group' THEN 1 ELSE 3 END + (d.vendor IS NOT NULL AND d.model IS NOT NULL)::int, d.id`,
        [stationId],
      );
      const entries: DesiredSetting[] = rows.map((r) => ({ key: r.key, value: r.value, source: r.scope }));
      return mergeDesired([...networkConfigurationDefaults(config), ...entries]);
    },

    async recordConfigurationReconciliation(record) {
      // A station removed meanwhile has nothing to record on (INSERT … SELECT finds no charger).
      await pool.query(
        `INSERT INTO station_configuration (station_id, supported_feature_profiles, number_of_connectors, keys, drift, last_result, last_trigger, last_workflow_id, reconciled_at)
         SELECT c.id, $2::text[], $3::int, $4::jsonb, $5::jsonb, $6, $7, $8, $9 FROM chargers c WHERE c.id = $1
         ON CONFLICT (station_id) DO UPDATE SET
           supported_feature_profiles = CASE WHEN $10 THEN EXCLUDED.supported_feature_profiles ELSE station_configuration.supported_feature_profiles END,
           number_of_connectors = CASE WHEN $10 THEN EXCLUDED.number_of_connectors ELSE station_configuration.number_of_connectors END,
           keys = COALESCE(EXCLUDED.keys, station_configuration.keys),
           -- An unreachable station keeps the drift found when it was last read.
           drift = CASE WHEN $10 THEN EXCLUDED.drift ELSE station_configuration.drift END,
           last_result = EXCLUDED.last_result, last_trigger = EXCLUDED.last_trigger,
           last_workflow_id = EXCLUDED.last_workflow_id, reconciled_at = EXCLUDED.reconciled_at`,
        [
          record.stationId,
          record.facts?.featureProfiles ?? null,
          record.facts?.numberOfConnectors ?? null,
          record.keys ? JSON.stringify(record.keys) : null,
          JSON.stringify(record.drift),
          record.result,
          record.trigger,
          record.workflowId,
          record.at,
          record.facts !== null,
        ],
      );
    },
  };
}
