/**
 * The reservation that holds a connector now, if any: a session start on it is refused for
 * everyone but the reserving driver (409 connector_reserved), whose start uses it. A reservation of
 * the charge point as a whole (connector 0, §5.13) keeps one connector free for its id tag: another
 * driver may start only while a connector other than theirs stays free.
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
  /** A charge point reservation that another connector still satisfies: only its own driver's start uses it. */
  keepsFree?: boolean;
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

/**
 * The reservation a start on the connector meets: the connector's own, else the charge point's
 * (connector 0) when the start would take the last free connector. Null: the start is free to go.
 */
export async function reservationInTheWay(db: Queryable, stationId: string, connectorId: number): Promise<ConnectorReservation | null> {
  const own = await activeReservationOn(db, stationId, connectorId);
  if (own) return own;
  const whole = await activeReservationOn(db, stationId, 0);
  if (!whole) return null;
  const { rows } = await db.query<{ free: number }>(
    `SELECT count(*)::int AS free FROM connectors k
      WHERE k.station_id = $1 AND k.connector_id > 0 AND k.connector_id <> $2 AND k.status IN ('Available', 'Reserved')
        AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.active AND s.station_id = k.station_id AND s.connector_id = k.connector_id)
        AND NOT EXISTS (SELECT 1 FROM reservations r WHERE r.active AND r.station_id = k.station_id AND r.connector_id = k.connector_id)`,
    [stationId, connectorId],
  );
  return rows[0].free > 0 ? { ...whole, keepsFree: true } : whole;
}
