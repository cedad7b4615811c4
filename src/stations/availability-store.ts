/**
 * connector_availability: the ChangeAvailability requests stations took (migration 0007). The
 * changeAvailability workflow records them after the station's answer (through the worker's
 * recordAvailabilityRequest activity, retried until PostgreSQL answers); the gateway only clears
 * `scheduled` when the station reports the change done (pg-stations.ts, recordConnectorStatus).
 * The station view and the session start read it.
 */
import type { Pool } from '../db/pool';
import { inTransaction } from '../db/transaction';
import type { AvailabilityRequest, AvailabilityType, ConnectorStartState } from './connector-availability';

type Queryable = Pick<Pool, 'query'>;

/**
 * Records a request the station took. Connector 0 changes every connector (§5.2), so it replaces
 * the connectors' own requests.
 */
export async function recordAvailabilityRequest(pool: Pool, r: { stationId: string; connectorId: number; type: AvailabilityType; scheduled: boolean }): Promise<void> {
  await inTransaction(pool, async (db) => {
    if (r.connectorId === 0) await db.query('DELETE FROM connector_availability WHERE station_id = $1 AND connector_id > 0', [r.stationId]);
    await db.query(
      `INSERT INTO connector_availability (station_id, connector_id, requested, scheduled, requested_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (station_id, connector_id) DO UPDATE SET requested = EXCLUDED.requested, scheduled = EXCLUDED.scheduled, requested_at = now()`,
      [r.stationId, r.connectorId, r.type, r.scheduled],
    );
  });
}

interface Row {
  connector_id: number;
  status: string | null;
  requested: AvailabilityRequest['requested'] | null;
  scheduled: boolean | null;
  requested_at: Date | null;
}

const asRequest = (row: Row | undefined): AvailabilityRequest | null =>
  row?.requested ? { requested: row.requested, scheduled: !!row.scheduled, requestedAt: new Date(row.requested_at ?? 0).toISOString() } : null;

/** The connector's and the station's (connector 0) requests and reported statuses. */
export async function connectorStartState(db: Queryable, stationId: string, connectorId: number): Promise<ConnectorStartState> {
  const { rows } = await db.query<Row>(
    `SELECT ids.connector_id, k.status, a.requested, a.scheduled, a.requested_at
       FROM unnest(ARRAY[0, $2::int]) AS ids (connector_id)
       LEFT JOIN connectors k ON k.station_id = $1 AND k.connector_id = ids.connector_id
       LEFT JOIN connector_availability a ON a.station_id = $1 AND a.connector_id = ids.connector_id`,
    [stationId, connectorId],
  );
  const station = rows.find((r) => r.connector_id === 0);
  const connector = rows.find((r) => r.connector_id === connectorId);
  return {
    stationId,
    connectorId,
    connector: { request: asRequest(connector), status: connector?.status ?? null },
    station: { request: asRequest(station), status: station?.status ?? null },
  };
}
