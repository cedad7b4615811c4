/** Drivers and their id tags (the tags RemoteStartTransaction uses on their behalf). */
import type { Pool } from '../../db/pool';
import { conflict, notFound } from '../http/api-error';
import { issueDriverToken } from './token-store';
import { inTransaction, isPgError, pgErrorCodes } from './transaction';

type Queryable = Pick<Pool, 'query'>;

export interface IdTagView {
  idTag: string;
  status: string;
  expiryDate: string | null;
}

export interface DriverView {
  driverId: string;
  name: string;
  idTags: IdTagView[];
  createdAt: string;
}

interface DriverRow {
  id: string;
  name: string;
  created_at: Date;
  id_tags: Array<{ id_tag: string; status: string; expiry_date: string | null }> | null;
}

const driverSelect = `
  SELECT d.id, d.name, d.created_at,
         (SELECT json_agg(json_build_object('id_tag', t.id_tag, 'status', t.status, 'expiry_date', t.expiry_date) ORDER BY t.created_at, t.id_tag)
            FROM id_tags t WHERE t.driver_id = d.id) AS id_tags
    FROM drivers d`;

function toDriver(row: DriverRow): DriverView {
  return {
    driverId: row.id,
    name: row.name,
    createdAt: row.created_at.toISOString(),
    idTags: (row.id_tags ?? []).map((t) => ({ idTag: t.id_tag, status: t.status, expiryDate: t.expiry_date ? new Date(t.expiry_date).toISOString() : null })),
  };
}

/** Id tags are case-insensitive (OCPP 1.6 CiString20): one spelling per tag (id_tags_id_tag_lower_key, migration 0003). */
function idTagConflict(err: unknown): Error | null {
  const taken = isPgError(err, pgErrorCodes.uniqueViolation, 'id_tags_pkey') || isPgError(err, pgErrorCodes.uniqueViolation, 'id_tags_id_tag_lower_key');
  return taken ? conflict('an id tag in the request already belongs to someone') : null;
}

/** Creates the driver with their id tags and issues their first token, all or nothing. */
export async function createDriver(pool: Pool, input: { driverId: string; name: string; idTags: string[] }): Promise<{ driver: DriverView; token: string }> {
  try {
    return await inTransaction(pool, async (db) => {
      await db.query('INSERT INTO drivers (id, name) VALUES ($1, $2)', [input.driverId, input.name]);
      for (const idTag of input.idTags) {
        await db.query('INSERT INTO id_tags (id_tag, driver_id) VALUES ($1, $2)', [idTag, input.driverId]);
      }
      const token = await issueDriverToken(db, input.driverId);
      const driver = (await getDriver(db, input.driverId))!;
      return { driver, token };
    });
  } catch (err) {
    if (isPgError(err, pgErrorCodes.uniqueViolation, 'drivers_pkey')) throw conflict(`driver ${input.driverId} already exists`);
    throw idTagConflict(err) ?? err;
  }
}

export async function listDrivers(db: Queryable): Promise<DriverView[]> {
  const { rows } = await db.query<DriverRow>(`${driverSelect} ORDER BY d.id`);
  return rows.map(toDriver);
}

export async function getDriver(db: Queryable, driverId: string): Promise<DriverView | null> {
  const { rows } = await db.query<DriverRow>(`${driverSelect} WHERE d.id = $1`, [driverId]);
  return rows[0] ? toDriver(rows[0]) : null;
}

/** Removes the driver, their tokens (cascade) and their id tags, so the tags stop authorising at chargers. */
export async function deleteDriver(pool: Pool, driverId: string): Promise<void> {
  await inTransaction(pool, async (db) => {
    await db.query('DELETE FROM id_tags WHERE driver_id = $1', [driverId]);
    const { rowCount } = await db.query('DELETE FROM drivers WHERE id = $1', [driverId]);
    if (!rowCount) throw notFound(`driver ${driverId}`);
  });
}

export async function addIdTag(db: Queryable, driverId: string, idTag: string): Promise<void> {
  try {
    await db.query('INSERT INTO id_tags (id_tag, driver_id) VALUES ($1, $2)', [idTag, driverId]);
  } catch (err) {
    if (isPgError(err, pgErrorCodes.foreignKeyViolation)) throw notFound(`driver ${driverId}`);
    throw idTagConflict(err) ?? err;
  }
}

export async function removeIdTag(db: Queryable, driverId: string, idTag: string): Promise<void> {
  const { rowCount } = await db.query('DELETE FROM id_tags WHERE lower(id_tag) = lower($1) AND driver_id = $2', [idTag, driverId]);
  if (!rowCount) throw notFound(`id tag ${idTag} of driver ${driverId}`);
}

/** The id tag a start uses: the one asked for (if it is the driver's and usable), else the driver's first usable one. */
export async function usableIdTag(db: Queryable, driverId: string, wanted: string | undefined, now: Date): Promise<string | null> {
  const { rows } = await db.query<{ id_tag: string }>(
    `SELECT id_tag FROM id_tags
      WHERE driver_id = $1 AND status = 'Accepted' AND (expiry_date IS NULL OR expiry_date > $3) AND ($2::text IS NULL OR lower(id_tag) = lower($2))
      ORDER BY created_at, id_tag LIMIT 1`,
    [driverId, wanted ?? null, now],
  );
  return rows[0]?.id_tag ?? null;
}

/** The driver an id tag belongs to (operator starts name a tag), or undefined if the tag is unknown. */
export async function idTagOwner(db: Queryable, idTag: string, now: Date): Promise<{ driverId: string | null; status: string } | undefined> {
  const { rows } = await db.query<{ driver_id: string | null; status: string }>(
    `SELECT driver_id, CASE WHEN status = 'Accepted' AND expiry_date <= $2 THEN 'Expired' ELSE status END AS status FROM id_tags WHERE lower(id_tag) = lower($1)`,
    [idTag, now],
  );
  return rows[0] ? { driverId: rows[0].driver_id, status: rows[0].status } : undefined;
}

export interface IdTagDetail {
  idTag: string;
  driverId: string | null;
  status: 'Accepted' | 'Blocked' | 'Expired' | 'Invalid';
  expiryDate: string | null;
  parentIdTag: string | null;
}

/**
 * Changes an id tag's status, expiry date or parent id tag (undefined: unchanged, null: cleared).
 * A revocation (Accepted → another status, or an expiry date already passed) is recorded by the
 * database itself (migration 0010's trigger) in the same transaction.
 */
export async function updateIdTag(
  db: Queryable,
  idTag: string,
  change: { status?: IdTagDetail['status']; expiryDate?: string | null; parentIdTag?: string | null },
): Promise<IdTagDetail | null> {
  const { rows } = await db.query<{ id_tag: string; driver_id: string | null; status: IdTagDetail['status']; expiry_date: Date | null; parent_id_tag: string | null }>(
    `UPDATE id_tags
        SET status = COALESCE($2, status),
            expiry_date = CASE WHEN $3 THEN $4::timestamptz ELSE expiry_date END,
            parent_id_tag = CASE WHEN $5 THEN $6 ELSE parent_id_tag END
      WHERE lower(id_tag) = lower($1)
      RETURNING id_tag, driver_id, status, expiry_date, parent_id_tag`,
    [idTag, change.status ?? null, change.expiryDate !== undefined, change.expiryDate ?? null, change.parentIdTag !== undefined, change.parentIdTag ?? null],
  );
  const r = rows[0];
  return r ? { idTag: r.id_tag, driverId: r.driver_id, status: r.status, expiryDate: r.expiry_date ? r.expiry_date.toISOString() : null, parentIdTag: r.parent_id_tag } : null;
}
