/** IdTagRegister in PostgreSQL; the two reads the StartTransaction rule also makes inside its own transaction. */
import type { Pool, PoolClient } from 'pg';
import type { RegisteredIdTag } from '../rules/id-tag-authorization';
import type { IdTagRegister } from './ports';

type Db = Pick<Pool | PoolClient, 'query'>;

/** lower() on both sides: idTag is CiString20 (migration 0003). */
export async function findIdTag(db: Db, idTag: string): Promise<RegisteredIdTag | null> {
  const { rows } = await db.query(
    `SELECT status, expiry_date, parent_id_tag, driver_id, (expiry_date IS NOT NULL AND expiry_date <= now()) AS expired FROM id_tags WHERE lower(id_tag) = lower($1)`,
    [idTag],
  );
  const row = rows[0];
  if (!row) return null;
  return {
    status: row.status,
    expired: row.expired,
    driverId: row.driver_id ?? null,
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

  find(idTag: string): Promise<RegisteredIdTag | null> {
    return findIdTag(this.pool, idTag);
  }
}
