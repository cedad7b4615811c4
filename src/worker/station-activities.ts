/**
 * The firmware and diagnostics workflows' activities: they mirror each workflow's state into
 * PostgreSQL for the API. Every write is idempotent (a retried activity writes the same state).
 */
import type { Pool } from '../db/pool';
import type { StationActivities } from '../../workflows/station-activities';

export type { StationActivities };

export function createStationActivities({ pool }: { pool: Pool }): StationActivities {
  return {
    async recordFirmwareUpdate({ input, state, finished }) {
      await pool.query(
        // A station removed meanwhile takes its updates with it (ON DELETE CASCADE): nothing to write, and no retry for ever.
        `INSERT INTO firmware_updates (id, station_id, rollout_id, location, retrieve_date, retries, retry_interval_s, expected_version, status, outcome, detail, history, finished_at)
              SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, CASE WHEN $13::boolean THEN now() END
               WHERE EXISTS (SELECT 1 FROM chargers WHERE id = $2)
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, outcome = EXCLUDED.outcome, detail = EXCLUDED.detail, history = EXCLUDED.history,
                                        updated_at = now(), finished_at = COALESCE(firmware_updates.finished_at, EXCLUDED.finished_at)`,
        [
          input.updateId,
          input.stationId,
          input.rolloutId ?? null,
          input.location,
          input.retrieveDate,
          input.retries ?? null,
          input.retryIntervalS ?? null,
          input.expectedVersion ?? null,
          state.status,
          state.outcome,
          state.detail,
          JSON.stringify(state.history),
          finished,
        ],
      );
    },
    async storedFirmwareReport(updateId) {
      // Both times by PostgreSQL's clock: the row's creation against what the gateway stored since.
      const { rows } = await pool.query<{ firmware_status: string | null; firmware_status_at: Date | null; firmware_version: string | null; booted_at: Date | null; status_since: boolean | null; boot_after_status: boolean | null }>(
        `SELECT c.firmware_status, c.firmware_status_at, c.firmware_version, c.booted_at,
                c.firmware_status_at > u.created_at AS status_since,
                c.booted_at > u.created_at AND (c.firmware_status_at IS NULL OR c.booted_at > c.firmware_status_at) AS boot_after_status
           FROM firmware_updates u JOIN chargers c ON c.id = u.station_id WHERE u.id = $1`,
        [updateId],
      );
      const r = rows[0];
      if (!r) return { status: null, statusAt: null, boot: null };
      return {
        status: r.status_since ? r.firmware_status : null,
        statusAt: r.status_since && r.firmware_status_at ? r.firmware_status_at.toISOString() : null,
        boot: r.boot_after_status && r.booted_at ? { firmwareVersion: r.firmware_version, at: r.booted_at.toISOString() } : null,
      };
    },
    async recordFirmwareRollout({ rolloutId, results, finished }) {
      await pool.query(
        `UPDATE firmware_rollouts SET results = $2, status = CASE WHEN $3 THEN 'finished' ELSE status END,
                finished_at = CASE WHEN $3 THEN COALESCE(finished_at, now()) END WHERE id = $1`,
        [rolloutId, JSON.stringify(results), finished],
      );
    },
    async recordDiagnosticsRequest({ state, finished }) {
      // Finishing spends the token: an upload after the request ended is refused (410).
      await pool.query(
        `UPDATE diagnostics_requests SET status = $2, outcome = $3, detail = $4, file_name = COALESCE($5, file_name), history = $6, updated_at = now(),
                finished_at = CASE WHEN $7 THEN COALESCE(finished_at, now()) END,
                upload_expires_at = CASE WHEN $7 THEN LEAST(upload_expires_at, now()) ELSE upload_expires_at END
          WHERE id = $1`,
        [state.requestId, state.status, state.outcome, state.detail, state.fileName, JSON.stringify(state.history), finished],
      );
    },
    async storedDiagnosticsStatus(requestId) {
      const { rows } = await pool.query<{ diagnostics_status: string | null }>(
        `SELECT c.diagnostics_status FROM diagnostics_requests r JOIN chargers c ON c.id = r.station_id
          WHERE r.id = $1 AND c.diagnostics_status_at > r.created_at`,
        [requestId],
      );
      return rows[0]?.diagnostics_status ?? null;
    },
    async diagnosticsFileStored(requestId) {
      const { rows } = await pool.query<{ file_name: string; size_bytes: number }>('SELECT file_name, size_bytes FROM diagnostics_files WHERE request_id = $1', [requestId]);
      return rows[0] ? { fileName: rows[0].file_name, sizeBytes: rows[0].size_bytes } : null;
    },
  };
}
