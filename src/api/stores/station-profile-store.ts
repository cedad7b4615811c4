/**
 * The operator's station charging profiles (station_charging_profiles, migration 0012): the API
 * writes declarations and removals (each bumps the version), the stationChargingProfiles workflow
 * records what the station answered (src/stations/smart-charging-activities.ts).
 */
import type { Pool } from '../../db/pool';
import type { DeclaredStationProfile, StationProfilePurpose } from '../../ocpp/owned-charging-profiles';

type Queryable = Pick<Pool, 'query'>;

export interface StationProfileView {
  purpose: StationProfilePurpose;
  declared: DeclaredStationProfile | null;
  declaredAt: string;
  status: string;
  detail: string | null;
  sent: unknown;
  appliedAt: string | null;
  workflowId: string | null;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

export async function declareStationProfile(db: Queryable, stationId: string, purpose: StationProfilePurpose, declared: DeclaredStationProfile): Promise<void> {
  await db.query(
    `INSERT INTO station_charging_profiles (station_id, purpose, declared) VALUES ($1, $2, $3)
     ON CONFLICT (station_id, purpose) DO UPDATE
       SET declared = EXCLUDED.declared, version = station_charging_profiles.version + 1, declared_at = now(), status = 'pending', detail = NULL`,
    [stationId, purpose, JSON.stringify(declared)],
  );
}

/** Marks the profile removed (to be cleared on the station); false when none was declared. */
export async function removeStationProfile(db: Queryable, stationId: string, purpose: StationProfilePurpose): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE station_charging_profiles SET declared = NULL, version = version + 1, declared_at = now(), status = 'pending', detail = NULL
      WHERE station_id = $1 AND purpose = $2`,
    [stationId, purpose],
  );
  return (rowCount ?? 0) > 0;
}

export async function listStationProfiles(db: Queryable, stationId: string): Promise<StationProfileView[]> {
  const { rows } = await db.query(
    `SELECT purpose, declared, declared_at, status, detail, sent, applied_at, workflow_id FROM station_charging_profiles WHERE station_id = $1 ORDER BY purpose`,
    [stationId],
  );
  return rows.map((r) => ({
    purpose: r.purpose,
    declared: r.declared,
    declaredAt: iso(r.declared_at)!,
    status: r.status,
    detail: r.detail,
    sent: r.sent,
    appliedAt: iso(r.applied_at),
    workflowId: r.workflow_id,
  }));
}

/** The transaction running on the connector (a TxProfile needs one); undefined: none. */
export async function runningTransactionOn(db: Queryable, stationId: string, connectorId: number): Promise<number | undefined> {
  const { rows } = await db.query<{ id: number }>(
    'SELECT id FROM transactions WHERE station_id = $1 AND connector_id = $2 AND stopped_at IS NULL ORDER BY created_at DESC LIMIT 1',
    [stationId, connectorId],
  );
  return rows[0]?.id;
}
