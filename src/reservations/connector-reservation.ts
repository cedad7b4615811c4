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
  /** The reserved id tag's parent: a tag with the same parent may use the reservation (§5.13). */
  parentIdTag: string | null;
  expiryDate: string;
}

export async function activeReservationOn(db: Queryable, stationId: string, connectorId: number): Promise<ConnectorReservation | null> {
  const { rows } = await db.query<{ id: number; driver_id: string | null; id_tag: string; parent_id_tag: string | null; expiry_date: Date }>(
    `SELECT r.id, r.driver_id, r.id_tag, t.parent_id_tag, r.expiry_date
       FROM reservations r LEFT JOIN id_tags t ON lower(t.id_tag) = lower(r.id_tag)
      WHERE r.station_id = $1 AND r.connector_id = $2 AND r.active`,
    [stationId, connectorId],
  );
  const r = rows[0];
  return r ? { reservationId: r.id, driverId: r.driver_id, idTag: r.id_tag, parentIdTag: r.parent_id_tag, expiryDate: r.expiry_date.toISOString() } : null;
}

/** Whether a start by this driver with this id tag may use the reservation: the reserving driver, the reserved tag, or a tag of the same parent. */
export async function mayUseReservation(db: Queryable, reservation: ConnectorReservation, start: { driverId: string | null; idTag: string }): Promise<boolean> {
  if (reservation.driverId !== null && reservation.driverId === start.driverId) return true;
  if (reservation.idTag.toLowerCase() === start.idTag.toLowerCase()) return true;
  if (reservation.parentIdTag === null) return false;
  const { rows } = await db.query<{ parent_id_tag: string | null }>('SELECT parent_id_tag FROM id_tags WHERE lower(id_tag) = lower($1)', [start.idTag]);
  return rows[0]?.parent_id_tag === reservation.parentIdTag;
}
