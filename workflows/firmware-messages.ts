/**
 * The firmware update's contract, shared by the workflow (workflows/firmware-update.ts), the
 * gateway's station events (src/stations/temporal-station-events.ts) and the API's service
 * (src/stations/firmware-service.ts): its input, its signals, its query and what it records.
 * Pure: imported by workflow code.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CommandPolicy } from './charger-command-sender';

export const firmwareUpdateWorkflowType = 'firmwareUpdate';
export const firmwareRolloutWorkflowType = 'firmwareRollout';

/**
 * OCPP 1.6 FirmwareStatusNotification carries no request id, so a station's notifications reach
 * the one firmware update running for it by this id (at most one at a time: a second is refused).
 */
export const firmwareUpdateWorkflowId = (stationId: string): string => `firmware-update:${stationId}`;

/** FirmwareStatusNotification.status (OCPP 1.6 §7.25); Idle only in a triggered notification. */
export type FirmwareStatus = 'Downloaded' | 'DownloadFailed' | 'Downloading' | 'Idle' | 'InstallationFailed' | 'Installing' | 'Installed';

export type FirmwareUpdateOutcome =
  /** The charger reported Installed and booted (with the expected firmwareVersion, when one was given). */
  | 'installed'
  | 'download_failed'
  | 'installation_failed'
  /** No status (or, after Installed, no boot) within FIRMWARE_STATUS_TIMEOUT_MS. */
  | 'timed_out'
  /** The charger answered UpdateFirmware with a CALLERROR (or an answer that breaks the schema). */
  | 'charger_error'
  /** The charger was offline or silent on every attempt: the update was never delivered. */
  | 'unreachable'
  /** The station's registration does not allow commands (Rejected). */
  | 'rejected'
  /** Cancelled from outside (the Web UI): no longer followed; what the station does next is not recorded. */
  | 'cancelled';

export interface FirmwareHistoryEntry {
  at: string;
  /** requested, sent, a FirmwareStatus, booted, or the outcome. */
  status: string;
  detail?: string;
}

export interface FirmwareUpdateInput {
  updateId: string;
  stationId: string;
  location: string;
  /** ISO date-time from which the charger may retrieve the firmware. */
  retrieveDate: string;
  retries?: number;
  retryIntervalS?: number;
  /** When given, only a boot reporting this firmwareVersion counts as installed. */
  expectedVersion?: string;
  rolloutId?: string;
  statusTimeoutMs: number;
  policy: CommandPolicy;
}

export interface FirmwareUpdateState {
  updateId: string;
  stationId: string;
  /** requested → sent → the last FirmwareStatus → the outcome. */
  status: string;
  outcome: FirmwareUpdateOutcome | null;
  detail: string | null;
  history: FirmwareHistoryEntry[];
}

export interface FirmwareStatusEvent {
  stationId: string;
  status: FirmwareStatus;
  at: string;
}

/** A BootNotification of the station, with the firmwareVersion it reported. */
export interface FirmwareBootEvent {
  stationId: string;
  firmwareVersion: string | null;
  at: string;
}

export const firmwareStatusSignal = defineSignal<[FirmwareStatusEvent]>('firmwareStatus');
export const firmwareBootSignal = defineSignal<[FirmwareBootEvent]>('firmwareBoot');
export const firmwareUpdateStateQuery = defineQuery<FirmwareUpdateState>('firmwareUpdateState');

export interface FirmwareRolloutInput {
  rolloutId: string;
  stationIds: string[];
  maxConcurrent: number;
  /** The update each station gets (its own updateId is derived from the rollout's). */
  update: Omit<FirmwareUpdateInput, 'updateId' | 'stationId' | 'rolloutId'>;
}

export interface FirmwareRolloutStationResult {
  stationId: string;
  updateId: string;
  /**
   * `busy`: another firmware update was already running for the station, so none was started;
   * `terminated`: its update workflow was ended from outside (terminated or cancelled in the Web UI).
   */
  outcome: FirmwareUpdateOutcome | 'busy' | 'terminated';
}

/** The update id of a station's update within a rollout. */
export const rolloutUpdateId = (rolloutId: string, index: number): string => `${rolloutId}-${index + 1}`;
