/**
 * The local authorization lists in PostgreSQL (migration 0010): which id tags may charge at a
 * station (station access groups; none: every driver's tags), and what each station confirmed.
 * Read by the sync workflow's activities and by the API's station view.
 */
import type { Pool } from '../db/pool';
import type { LocalListEntry } from '../ocpp/local-list-plan';
import type { IdTagInfo } from '../ocpp/ocpp16-messages';
import type { LocalListMode, LocalListSyncState } from '../../workflows/local-list-sync-activities';

type Queryable = Pick<Pool, 'query'>;

interface DesiredRow {
  id_tag: string;
  status: IdTagInfo['status'];
  expiry_date: Date | null;
  parent_id_tag: string | null;
  expired: boolean;
}

/**
 * Every id tag that may charge at the station, as its list entry: drivers' tags (a tag with no
 * driver is not on any list), only the drivers of the station's access groups when it is in any.
 * An Accepted tag whose expiry date passed is Expired (by the database's clock).
 */
export async function desiredLocalList(db: Queryable, stationId: string): Promise<{ entries: LocalListEntry[]; nextChangeAt: string | null }> {
  const { rows } = await db.query<DesiredRow>(
    `SELECT t.id_tag, t.status, t.expiry_date, t.parent_id_tag, (t.status = 'Accepted' AND t.expiry_date <= now()) AS expired
       FROM id_tags t
      WHERE t.driver_id IS NOT NULL
        AND (NOT EXISTS (SELECT 1 FROM station_access_group_stations s WHERE s.station_id = $1)
             OR t.driver_id IN (SELECT g.driver_id FROM station_access_group_drivers g
                                  JOIN station_access_group_stations s ON s.group_id = g.group_id
                                 WHERE s.station_id = $1))
      ORDER BY lower(t.id_tag)`,
    [stationId],
  );
  let next: number | null = null;
  const entries = rows.map((r): LocalListEntry => {
    const idTagInfo: IdTagInfo = { status: r.expired ? 'Expired' : r.status };
    if (r.expiry_date) idTagInfo.expiryDate = r.expiry_date.toISOString();
    if (r.parent_id_tag) idTagInfo.parentIdTag = r.parent_id_tag;
    if (r.status === 'Accepted' && !r.expired && r.expiry_date && (next === null || r.expiry_date.getTime() < next)) next = r.expiry_date.getTime();
    return { idTag: r.id_tag, idTagInfo };
  });
  return { entries, nextChangeAt: next === null ? null : new Date(next).toISOString() };
}

export interface StationLocalListView {
  mode: LocalListMode;
  syncState: LocalListSyncState;
  confirmedVersion: number | null;
  confirmedEntries: number;
  leftOut: number;
  maxListLength: number | null;
  maxPerMessage: number | null;
  fullResyncRequested: boolean;
  /** A revocation the station's cache has not been cleared of yet. */
  cacheClearPending: boolean;
  detail: string | null;
  syncedAt: string | null;
  updatedAt: string | null;
}

interface StateRow {
  mode: LocalListMode;
  sync_state: LocalListSyncState;
  confirmed_version: number | null;
  confirmed_entries: LocalListEntry[];
  left_out: number;
  max_list_length: number | null;
  max_per_message: number | null;
  full_resync_requested: boolean;
  cache_cleared_through: string;
  latest_revocation: string;
  detail: string | null;
  synced_at: Date | null;
  updated_at: Date | null;
}

/** The station's sync state and confirmed list; a station never synced reads as pending. */
export async function stationLocalList(db: Queryable, stationId: string): Promise<{ view: StationLocalListView; entries: LocalListEntry[] }> {
  const { rows } = await db.query<StateRow>(
    `SELECT l.*, (SELECT COALESCE(max(seq), 0) FROM id_tag_revocations)::text AS latest_revocation
       FROM (SELECT $1::text AS station_id) s LEFT JOIN station_local_lists l ON l.station_id = s.station_id`,
    [stationId],
  );
  const r = rows[0]!;
  const known = r.mode !== null && r.mode !== undefined;
  return {
    entries: known ? r.confirmed_entries : [],
    view: {
      mode: known ? r.mode : 'unknown',
      syncState: known ? r.sync_state : 'pending',
      confirmedVersion: known ? r.confirmed_version : null,
      confirmedEntries: known ? r.confirmed_entries.length : 0,
      leftOut: known ? r.left_out : 0,
      maxListLength: known ? r.max_list_length : null,
      maxPerMessage: known ? r.max_per_message : null,
      fullResyncRequested: known ? r.full_resync_requested : false,
      cacheClearPending: known ? BigInt(r.cache_cleared_through) < BigInt(r.latest_revocation) : false,
      detail: known ? r.detail : null,
      syncedAt: known && r.synced_at ? r.synced_at.toISOString() : null,
      updatedAt: known && r.updated_at ? r.updated_at.toISOString() : null,
    },
  };
}

/** A new row starts with every revocation so far counted as cleared: it is the station's first sync. */
export const ensureLocalListRow = (db: Queryable, stationId: string) =>
  db.query(
    `INSERT INTO station_local_lists (station_id, cache_cleared_through)
     SELECT c.id, (SELECT COALESCE(max(seq), 0) FROM id_tag_revocations) FROM chargers c WHERE c.id = $1
     ON CONFLICT (station_id) DO NOTHING`,
    [stationId],
  );

/** The operator's resync: the next pass sends a Full list. */
export async function requestFullResync(db: Queryable, stationId: string): Promise<void> {
  await ensureLocalListRow(db, stationId);
  await db.query(`UPDATE station_local_lists SET full_resync_requested = TRUE, mode = CASE WHEN mode = 'cache_only' THEN 'unknown' ELSE mode END, updated_at = now() WHERE station_id = $1`, [stationId]);
}
