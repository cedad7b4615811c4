/**
 * The PostgreSQL activities of the local-list sync workflow (implemented in
 * src/stations/local-list-activities.ts). Types only: workflow code imports them with `import type`.
 */
import type { LocalListEntry } from '../src/ocpp/local-list-plan';

export type LocalListMode = 'unknown' | 'local_list' | 'cache_only';
export type LocalListSyncState = 'pending' | 'in_sync' | 'waiting_for_station' | 'failed' | 'cache_only';

export interface LocalListSnapshot {
  stationId: string;
  online: boolean;
  /** The station's SupportedFeatureProfiles as last read (null: never read). */
  featureProfiles: string[] | null;
  mode: LocalListMode;
  confirmed: { version: number; entries: LocalListEntry[] } | null;
  fullResyncRequested: boolean;
  /** What the station should hold (every tag that may charge there, before the length limit). */
  desired: LocalListEntry[];
  /** The next time an entry of `desired` changes by itself (an expiry date passes); ISO 8601. */
  nextChangeAt: string | null;
  /** The newest revocation, and the newest one a ClearCache on the station covers. */
  latestRevocation: number;
  cacheClearedThrough: number;
}

export interface LocalListConfirmation {
  stationId: string;
  version: number;
  entries: LocalListEntry[];
  /** A Full message was accepted: the operator's resync request is done. */
  fullAccepted: boolean;
}

export interface LocalListStateRecord {
  stationId: string;
  workflowId: string;
  state: LocalListSyncState;
  mode?: LocalListMode;
  detail?: string | null;
  leftOut?: number;
  maxListLength?: number | null;
  maxPerMessage?: number | null;
}

export interface LocalListSyncActivities {
  /** null: the station no longer exists (the workflow ends). */
  loadLocalListSnapshot(stationId: string): Promise<LocalListSnapshot | null>;
  recordLocalListConfirmed(confirmation: LocalListConfirmation): Promise<void>;
  recordLocalListState(record: LocalListStateRecord): Promise<void>;
  recordCacheCleared(input: { stationId: string; through: number }): Promise<void>;
}
