/**
 * The local-list sync workflow's public surface (workflows/local-list-sync.ts): its id, input and
 * the one signal that wakes it. Pure: imported by the workflow and by its callers (the API after
 * an id tag or access change, the gateway after a boot or reconnect).
 *
 * The signal carries no change: the workflow reads what the station should have from PostgreSQL
 * each time it wakes (level-triggered), so a lost or late signal costs only time, and ten
 * signals cost one pass.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { CommandPolicy } from './charger-command-sender';

export const localListSyncWorkflowType = 'localListSync';

/** One workflow per station. */
export const localListSyncWorkflowId = (stationId: string): string => `local-list_${stationId}`;

export type LocalListWakeReason = 'id_tags_changed' | 'access_changed' | 'boot' | 'reconnect' | 'resync_requested';

export interface LocalListWake {
  reason: LocalListWakeReason;
}

export const localListWakeSignal = defineSignal<[LocalListWake]>('localListWake');

export interface LocalListSyncInput {
  stationId: string;
  policy: CommandPolicy;
  /** Passes read the database at least this often even with no signal (a lost wake-up costs at most this). */
  pollIntervalMs: number;
  /** First retry after Failed / Rejected / a CALLERROR; doubles up to maxRetryMs. */
  retryInitialMs: number;
  maxRetryMs: number;
  /** Passes per run before continue-as-new (default 100; tests lower it). */
  passesPerRun?: number;
}

/** What the last pass did, for the Web UI's query and the tests. */
export interface LocalListPassSummary {
  state: 'in_sync' | 'waiting_for_station' | 'failed' | 'cache_only' | 'gone';
  messagesSent: number;
  cacheCleared: boolean;
  detail?: string;
}

export const localListLastPassQuery = defineQuery<LocalListPassSummary | null>('localListLastPass');
