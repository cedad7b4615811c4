/** IdTagRegister in PostgreSQL; the two reads the StartTransaction rule also makes inside its own transaction. */
import type { Pool, PoolClient } from 'pg';
import type { RegisteredIdTag } from '../rules/id-tag-authorization';
import type { IdTagRegister } from './ports';

type Db = Pick<Pool | PoolClient, 'query'>;

/**
 * lower() on both sides: idTag is CiString20 (migration 0003). With a station: whether the tag is
 * admitted there (a station in access groups admits only their drivers, migration 0010).
 */
export async function findIdTag(db: Db, idTag: string, stationId?: string): Promise<RegisteredIdTag | null> {
  const { rows } = await db.query(
    `SELECT t.status, t.expiry_date, t.parent_id_tag, t.driver_id, (t.expiry_date IS NOT NULL AND t.expiry_date <= now()) AS expired,
            ($2::text IS NULL
             OR NOT EXISTS (SELECT 1 FROM station_access_group_stations s WHERE s.station_id = $2)
             OR t.driver_id IN (SELECT g.driver_id FROM station_access_group_drivers g
                                  JOIN station_access_group_stations s ON s.group_id = g.group_id WHERE s.station_id = $2)) AS admitted
       FROM id_tags t WHERE lower(t.id_tag) = lower($1)`,
    [idTag, stationId ?? null],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    status: row.status,
    expired: row.expired,
    driverId: row.driver_id ?? null,
    ...(row.admitted ? {} : { admittedHere: false }),
    ...(row.expiry_date ? { expiryDate: new Date(row.expiry_date).toISOString() } : {}),
    ...(row.parent_id_tag ? { parentIdTag: row.parent_id_tag } : {}),
  };
}

/** Is the tag in an active session (other than `exceptSessionId`) that has a transaction? */
export async function idTagInAnotherTransaction(db: Db, idTag: string, exceptSessionId?: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM sessions WHERE active AND lower(id_tag) = lower($1) AND transaction_id IS NOT NULL AND id <> COALESCE($2, '') LIMIT 1`,
    [idTag, exceptSessionId ?? null],
  );
  return rows.length > 0;
}

export class PgIdTagRegister implements IdTagRegister {
  constructor(private readonly pool: Pool) {}

  find(idTag: string, stationId?: string): Promise<RegisteredIdTag | null> {
    return findIdTag(this.pool, idTag, stationId);
  }
}
