/**
 * The narrow interface through which the OCPP gateway tells the station layer about station-level
 * events (mirroring src/sessions/session-events.ts for sessions). The gateway persists first, then
 * forwards; a forwarding failure is logged, never answered to the station as an error.
 */
import type { ReconciliationTrigger } from '../../workflows/station-configuration-activities';

export interface StationConfigurationDueEvent {
  stationId: string;
  /** boot: an Accepted BootNotification; reconnect: a connection without one. */
  trigger: ReconciliationTrigger;
}

export interface StationEventSink {
  /** The station booted (Accepted) or reconnected without booting: reconcile its configuration. */
  stationConfigurationDue(event: StationConfigurationDueEvent): Promise<void>;
}

/** For gateways run without the station layer (tests of other parts): every event is dropped. */
export const ignoredStationEvents: StationEventSink = {
  stationConfigurationDue: async () => undefined,
};
