/**
 * The activities the firmware and diagnostics workflows call on the session worker (implemented
 * in src/worker/station-activities.ts): they mirror each workflow's state into PostgreSQL, where
 * the API reads status and history. Types only: workflow code imports them with `import type`.
 */
import type { DiagnosticsRequestState } from './diagnostics-messages';
import type { FirmwareRolloutStationResult, FirmwareUpdateInput, FirmwareUpdateState } from './firmware-messages';

export interface StationActivities {
  /** Inserts the update's row (a rollout's child has none yet) or brings it up to date; `finished` closes it. */
  recordFirmwareUpdate(update: { input: Omit<FirmwareUpdateInput, 'policy' | 'statusTimeoutMs'>; state: FirmwareUpdateState; finished: boolean }): Promise<void>;
  /**
   * What PostgreSQL holds of the station since the update was created (the gateway stores every
   * notification before forwarding it, so a signal lost while Temporal was unreachable is here):
   * its last firmware status, and its last boot when that came after the status.
   */
  storedFirmwareReport(updateId: string): Promise<{ status: string | null; statusAt: string | null; boot: { firmwareVersion: string | null; at: string } | null }>;
  recordFirmwareRollout(update: { rolloutId: string; results: FirmwareRolloutStationResult[]; finished: boolean }): Promise<void>;
  /** `finished` also spends the upload token, so a late upload is refused (410). */
  recordDiagnosticsRequest(update: { state: DiagnosticsRequestState; finished: boolean }): Promise<void>;
  /** The station's last DiagnosticsStatusNotification stored since the request was created (PostgreSQL's clock), if any. */
  storedDiagnosticsStatus(requestId: string): Promise<string | null>;
  /** The stored file of the request, if it arrived (the upload's signal may have been lost). */
  diagnosticsFileStored(requestId: string): Promise<{ fileName: string; sizeBytes: number } | null>;
}
