/**
 * The diagnostics request's contract, shared by the workflow (workflows/diagnostics-request.ts),
 * the gateway's station events and the API (request, upload, download). Pure: imported by workflow code.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CommandPolicy } from './charger-command-sender';

export const diagnosticsRequestWorkflowType = 'diagnosticsRequest';

/** DiagnosticsStatusNotification carries no request id either: one request per station at a time, found by this id. */
export const diagnosticsWorkflowId = (stationId: string): string => `diagnostics:${stationId}`;

/** DiagnosticsStatusNotification.status (OCPP 1.6 §7.24); Idle only in a triggered notification. */
export type DiagnosticsStatus = 'Idle' | 'Uploaded' | 'UploadFailed' | 'Uploading';

export type DiagnosticsOutcome =
  /** The file arrived at the upload URL (and the charger reported Uploaded, or fell silent after the upload). */
  | 'uploaded'
  | 'upload_failed'
  /** The charger answered GetDiagnostics without a fileName: it has no diagnostics. */
  | 'no_file'
  /** The charger reported Uploaded, but no file arrived within DIAGNOSTICS_STATUS_TIMEOUT_MS. */
  | 'file_missing'
  | 'timed_out'
  | 'charger_error'
  | 'unreachable'
  | 'rejected'
  /** Cancelled from outside (the Web UI); the upload URL is spent. */
  | 'cancelled';

export interface DiagnosticsHistoryEntry {
  at: string;
  status: string;
  detail?: string;
}

export interface DiagnosticsRequestInput {
  requestId: string;
  stationId: string;
  /** The upload URL given to the charger (it carries the one-time token). */
  location: string;
  retries?: number;
  retryIntervalS?: number;
  startTime?: string;
  stopTime?: string;
  statusTimeoutMs: number;
  policy: CommandPolicy;
}

export interface DiagnosticsRequestState {
  requestId: string;
  stationId: string;
  status: string;
  outcome: DiagnosticsOutcome | null;
  detail: string | null;
  fileName: string | null;
  history: DiagnosticsHistoryEntry[];
}

export interface DiagnosticsStatusEvent {
  stationId: string;
  status: DiagnosticsStatus;
  at: string;
}

/** Sent by the API once the file is stored. */
export interface DiagnosticsFileEvent {
  requestId: string;
  fileName: string;
  sizeBytes: number;
  at: string;
}

export const diagnosticsStatusSignal = defineSignal<[DiagnosticsStatusEvent]>('diagnosticsStatus');
export const diagnosticsFileSignal = defineSignal<[DiagnosticsFileEvent]>('diagnosticsFileReceived');
export const diagnosticsRequestStateQuery = defineQuery<DiagnosticsRequestState>('diagnosticsRequestState');
