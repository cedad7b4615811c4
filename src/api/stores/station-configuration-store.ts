/**
 * What the last configuration reconciliation found on a station (station_configuration, written
 * only by the reconciliation workflow's activity), as the API reads it: the feature-profile gate,
 * the read-only check before a ChangeConfiguration, and the station view.
 */
import type { Pool } from '../../db/pool';
import type { DriftEntry } from '../../ocpp/configuration-plan';

type Queryable = Pick<Pool, 'query'>;

export interface StoredStationConfiguration {
  /** null: never read. */
  featureProfiles: string[] | null;
  numberOfConnectors: number | null;
  /** The station's keys as last read; null: never read. */
  keys: Array<{ key: string; readonly: boolean; value?: string }> | null;
  drift: DriftEntry[];
  lastResult: 'in_sync' | 'drift' | 'unreachable' | null;
  lastTrigger: string | null;
  lastWorkflowId: string | null;
  reconciledAt: string | null;
}

export async function readStationConfiguration(db: Queryable, stationId: string): Promise<StoredStationConfiguration | null> {
  const { rows } = await db.query(
    `SELECT supported_feature_profiles, number_of_connectors, keys, drift, last_result, last_trigger, last_workflow_id, reconciled_at
       FROM station_configuration WHERE station_id = $1`,
    [stationId],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    featureProfiles: row.supported_feature_profiles,
    numberOfConnectors: row.number_of_connectors,
    keys: row.keys,
    drift: row.drift,
    lastResult: row.last_result,
    lastTrigger: row.last_trigger,
    lastWorkflowId: row.last_workflow_id,
    reconciledAt: row.reconciled_at === null ? null : new Date(row.reconciled_at).toISOString(),
  };
}
