/**
 * The narrow interface through which the OCPP gateway tells the station layer about station-level
 * events (mirroring src/sessions/session-events.ts for sessions): configuration reconciliation
 * after boot / reconnect, and the firmware and diagnostics notifications for the station
 * workflows. The gateway persists first, then forwards; a forwarding failure is logged, never
 * answered to the station as an error.
 */
import type { DiagnosticsStatusEvent } from '../../workflows/diagnostics-messages';
import type { FirmwareBootEvent, FirmwareStatusEvent } from '../../workflows/firmware-messages';
import type { ReconciliationTrigger } from '../../workflows/station-configuration-activities';

export interface StationConfigurationDueEvent {
  stationId: string;
  /** boot: an Accepted BootNotification; reconnect: a connection without one. */
  trigger: ReconciliationTrigger;
}

/** The station booted (Accepted) or reconnected: its local authorization list and cache are to be checked. */
export interface LocalListSyncDueEvent {
  stationId: string;
  trigger: 'boot' | 'reconnect';
}

export interface StationEventSink {
  /** The station booted (Accepted) or reconnected without booting: reconcile its configuration. */
  stationConfigurationDue(event: StationConfigurationDueEvent): Promise<void>;
  /**
   * The station booted (Accepted) or reconnected without booting: send the operator's station
   * charging profiles again (they do not survive a reboot on every charger).
   */
  stationChargingProfilesDue(event: StationConfigurationDueEvent): Promise<void>;
  /** A FirmwareStatusNotification, for the station's running firmware update. */
  firmwareStatus(event: FirmwareStatusEvent): Promise<void>;
  /** A BootNotification with the firmwareVersion it reports: how a firmware update learns it took. */
  firmwareBoot(event: FirmwareBootEvent): Promise<void>;
  /** A DiagnosticsStatusNotification, for the station's running diagnostics request. */
  diagnosticsStatus(event: DiagnosticsStatusEvent): Promise<void>;
  /** The station booted or reconnected: wake its local-list sync (an offline station catches up). */
  localListSyncDue(event: LocalListSyncDueEvent): Promise<void>;
}

/** For gateways run without the station layer (tests of other parts): every event is dropped. */
export const ignoredStationEvents: StationEventSink = {
  stationConfigurationDue: async () => undefined,
  stationChargingProfilesDue: async () => undefined,
  firmwareStatus: async () => undefined,
  firmwareBoot: async () => undefined,
  diagnosticsStatus: async () => undefined,
  localListSyncDue: async () => undefined,
};
