/**
 * The local-list sync workflow's activities on the session worker (workflows/local-list-sync.ts):
 * one snapshot read per pass, and the writes of what the station confirmed. station_local_lists
 * has this one writer, besides the operator's resync request.
 */
import type { Pool } from '../db/pool';
import type { LocalListEntry } from '../ocpp/local-list-plan';
import type { LocalListSyncActivities } from '../../workflows/local-list-sync-activities';
import { desiredLocalList, ensureLocalListRow } from './local-list-store';

export function createLocalListActivities({ pool }: { pool: Pool }): LocalListSyncActivities {
  return {
    async loadLocalListSnapshot(stationId) {
      await ensureLocalListRow(pool, stationId);
      const { rows } = await pool.query<{
        online: boolean;
        profiles: string[] | null;
        mode: 'unknown' | 'local_list' | 'cache_only';
        confirmed_version: number | null;
        confirmed_entries: LocalListEntry[];
        full_resync_requested: boolean;
        cache_cleared_through: string;
        latest_revocation: string;
      }>(
        `SELECT c.online AND c.gateway_id IS NOT NULL AS online, sc.supported_feature_profiles AS profiles,
                l.mode, l.confirmed_version, l.confirmed_entries, l.full_resync_requested, l.cache_cleared_through::text,
                (SELECT COALESCE(max(seq), 0) FROM id_tag_revocations)::text AS latest_revocation
           FROM chargers c
           JOIN station_local_lists l ON l.station_id = c.id
           LEFT JOIN station_configuration sc ON sc.station_id = c.id
          WHERE c.id = $1`,
        [stationId],
      );
      const r = rows[0];
      if (!r) return null;
      const desired = await desiredLocalList(pool, stationId);
      return {
        stationId,
        online: r.online,
        featureProfiles: r.profiles,
        mode: r.mode,
        confirmed: r.confirmed_version === null ? null : { version: r.confirmed_version, entries: r.confirmed_entries },
        fullResyncRequested: r.full_resync_requested,
        desired: desired.entries,
        nextChangeAt: desired.nextChangeAt,
        // Sequence values fit in a double for longer than any network runs.
        latestRevocation: Number(r.latest_revocation),
        cacheClearedThrough: Number(r.cache_cleared_through),
      };
    },

    async recordLocalListConfirmed({ stationId, version, entries, fullAccepted }) {
      await pool.query(
        `UPDATE station_local_lists
            SET confirmed_version = $2, confirmed_entries = $3::jsonb, mode = 'local_list',
                full_resync_requested = full_resync_requested AND NOT $4, synced_at = now(), updated_at = now()
          WHERE station_id = $1`,
        [stationId, version, JSON.stringify(entries), fullAccepted],
      );
    },

    async recordLocalListState(r) {
      await pool.query(
        `UPDATE station_local_lists
            SET sync_state = $2, workflow_id = $3, detail = $4, mode = COALESCE($5, mode),
                left_out = COALESCE($6, left_out),
                max_list_length = CASE WHEN $9 THEN $7 ELSE max_list_length END,
                max_per_message = CASE WHEN $9 THEN $8 ELSE max_per_message END,
                synced_at = CASE WHEN $2 = 'in_sync' THEN now() ELSE synced_at END, updated_at = now()
          WHERE station_id = $1`,
        [r.stationId, r.state, r.workflowId, r.detail ?? null, r.mode ?? null, r.leftOut ?? null, r.maxListLength ?? null, r.maxPerMessage ?? null, r.maxListLength !== undefined || r.maxPerMessage !== undefined],
      );
    },

    async recordCacheCleared({ stationId, through }) {
      await pool.query('UPDATE station_local_lists SET cache_cleared_through = GREATEST(cache_cleared_through, $2), updated_at = now() WHERE station_id = $1', [stationId, through]);
    },
  };
}
