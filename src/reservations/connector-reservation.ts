/**
 * The reservation that holds a connector now, if any: a session start on it is refused for
 * everyone but the reserving driver (409 connector_reserved), whose start uses it.
 */
import type { Pool } from '../db/pool';

type Queryable = Pick<Pool, 'query'>;

export interface ConnectorReservation {
  reservationId: number;
  driverId: string | null;
  idTag: string;
  expiryDate: string;
}

export async function activeReservationOn(db: Queryable, stationId: string, connectorId: number): Promise<ConnectorReservation | null> {
  const { rows } = await db.query<{ id: number; driver_id: string | null; id_tag: string; expiry_date: Date }>(
    'SELECT id, driver_id, id_tag, expiry_date FROM reservations WHERE station_id = $1 AND connector_id = $2 AND active',
    [stationId, connectorId],
  );
  const r = rows[0];
  return r ? { reservationId: r.id, driverId: r.driver_id, idTag: r.id_tag, expiryDate: r.expiry_date.toISOString() } : null;
}
