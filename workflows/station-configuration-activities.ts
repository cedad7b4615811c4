/**
 * The activities the station-configuration workflow calls on the session worker (implemented in
 * src/stations/configuration-activities.ts). Types only: workflow code imports them with `import type`.
 */
import type { ConfigurationKey } from '../src/ocpp/charger-commands';
import type { DesiredSetting, DriftEntry, StationFacts } from '../src/ocpp/configuration-plan';

/** How a reconciliation run ended: every desired value in force, some not (drift), or the station could not be read. */
export type ReconciliationResult = 'in_sync' | 'drift' | 'unreachable';

export type ReconciliationTrigger = 'boot' | 'reconnect';

export interface ReconciliationRecord {
  stationId: string;
  workflowId: string;
  trigger: ReconciliationTrigger;
  result: ReconciliationResult;
  /** null when the station could not be read (what was stored before stays). */
  facts: StationFacts | null;
  /** The station's keys as read (and as changed by this run); null when not read. */
  keys: ConfigurationKey[] | null;
  drift: DriftEntry[];
  /** Keys this run changed (Accepted). */
  changed: string[];
  at: string;
}

export interface StationConfigurationActivities {
  /** Network defaults and the operator's entries that apply to the station, merged (most specific wins). */
  loadDesiredConfiguration(stationId: string): Promise<DesiredSetting[]>;
  /** Stores the run's outcome on the station (feature profiles, connectors, drift, when, result). */
  recordConfigurationReconciliation(record: ReconciliationRecord): Promise<void>;
}
