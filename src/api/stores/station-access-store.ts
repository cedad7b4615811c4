/**
 * Station access groups (migration 0010): the drivers whose id tags may charge at a set of
 * stations. A station in no group admits every driver; in one or more, only their drivers.
 */
import type { Pool } from '../../db/pool';
import { ApiError, type FieldProblem } from '../http/api-error';
import { inTransaction } from './transaction';

type Queryable = Pick<Pool, 'query'>;

export interface StationAccessGroupView {
  groupId: string;
  name: string;
  stationIds: string[];
  driverIds: string[];
  createdAt: string;
}

const groupSelect = `
  SELECT g.id, g.name, g.created_at,
         COALESCE((SELECT array_agg(s.station_id ORDER BY s.station_id) FROM station_access_group_stations s WHERE s.group_id = g.id), '{}') AS station_ids,
         COALESCE((SELECT array_agg(d.driver_id ORDER BY d.driver_id) FROM station_access_group_drivers d WHERE d.group_id = g.id), '{}') AS driver_ids
    FROM station_access_groups g`;

interface GroupRow {
  id: string;
  name: string;
  created_at: Date;
  station_ids: string[];
  driver_ids: string[];
}

const toGroup = (r: GroupRow): StationAccessGroupView => ({ groupId: r.id, name: r.name, stationIds: r.station_ids, driverIds: r.driver_ids, createdAt: r.created_at.toISOString() });

export async function listStationAccessGroups(db: Queryable): Promise<StationAccessGroupView[]> {
  return (await db.query<GroupRow>(`${groupSelect} ORDER BY g.id`)).rows.map(toGroup);
}

export async function getStationAccessGroup(db: Queryable, groupId: string): Promise<StationAccessGroupView | null> {
  const row = (await db.query<GroupRow>(`${groupSelect} WHERE g.id = $1`, [groupId])).rows[0];
  return row ? toGroup(row) : null;
}

/** The access groups a station is in (empty: every driver may charge there). */
export async function accessGroupsOfStation(db: Queryable, stationId: string): Promise<string[]> {
  const { rows } = await db.query<{ group_id: string }>('SELECT group_id FROM station_access_group_stations WHERE station_id = $1 ORDER BY group_id', [stationId]);
  return rows.map((r) => r.group_id);
}

/** Unknown stations or drivers are a 404 naming each, before anything is written. */
async function checkMembers(db: Queryable, stationIds: string[], driverIds: string[]): Promise<void> {
  const missing = async (table: 'chargers' | 'drivers', ids: string[]) =>
    (await db.query<{ id: string }>(`SELECT x.id FROM unnest($1::text[]) WITH ORDINALITY AS x(id, n) WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.id = x.id) ORDER BY x.n`, [ids])).rows.map((r) => r.id);
  const problems: FieldProblem[] = [
    ...(await missing('chargers', stationIds)).map((id) => ({ field: `body.stationIds[${stationIds.indexOf(id)}]`, problem: `unknown station ${id}` })),
    ...(await missing('drivers', driverIds)).map((id) => ({ field: `body.driverIds[${driverIds.indexOf(id)}]`, problem: `unknown driver ${id}` })),
  ];
  if (problems.length) throw new ApiError(404, 'not_found', problems.map((p) => p.problem).join('; '), problems);
}

/** Creates the group or replaces it whole; answers whether it was created. */
export async function putStationAccessGroup(pool: Pool, input: { groupId: string; name: string; stationIds: string[]; driverIds: string[] }): Promise<{ group: StationAccessGroupView; created: boolean }> {
  return inTransaction(pool, async (db) => {
    await checkMembers(db, input.stationIds, input.driverIds);
    const { rows } = await db.query<{ created: boolean }>(
      `INSERT INTO station_access_groups (id, name) VALUES ($1, $2)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name RETURNING (xmax = 0) AS created`,
      [input.groupId, input.name],
    );
    await db.query('DELETE FROM station_access_group_stations WHERE group_id = $1', [input.groupId]);
    await db.query('DELETE FROM station_access_group_drivers WHERE group_id = $1', [input.groupId]);
    await db.query('INSERT INTO station_access_group_stations (group_id, station_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [input.groupId, input.stationIds]);
    await db.query('INSERT INTO station_access_group_drivers (group_id, driver_id) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [input.groupId, input.driverIds]);
    return { group: (await getStationAccessGroup(db, input.groupId))!, created: rows[0]!.created };
  });
}

/** Removes the group; answers the stations it covered (their lists change), or null for an unknown group. */
export async function deleteStationAccessGroup(pool: Pool, groupId: string): Promise<string[] | null> {
  return inTransaction(pool, async (db) => {
    const group = await getStationAccessGroup(db, groupId);
    if (!group) return null;
    await db.query('DELETE FROM station_access_groups WHERE id = $1', [groupId]);
    return group.stationIds;
  });
}
