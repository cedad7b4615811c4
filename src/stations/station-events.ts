/**
 * The narrow interface through which the OCPP gateway tells the station workflows (firmware
 * update, diagnostics request) what a station reported, mirroring src/sessions/session-events.ts.
 * The gateway persists first, then forwards; a Temporal implementation
 * (src/stations/temporal-station-events.ts) turns these into workflow signals.
 */
import type { DiagnosticsStatusEvent } from '../../workflows/diagnostics-messages';
import type { FirmwareBootEvent, FirmwareStatusEvent } from '../../workflows/firmware-messages';

export interface StationEventSink {
  /** A FirmwareStatusNotification, for the station's running firmware update. */
  firmwareStatus(event: FirmwareStatusEvent): Promise<void>;
  /** A BootNotification with the firmwareVersion it reports: how a firmware update learns it took. */
  firmwareBoot(event: FirmwareBootEvent): Promise<void>;
  /** A DiagnosticsStatusNotification, for the station's running diagnostics request. */
  diagnosticsStatus(event: DiagnosticsStatusEvent): Promise<void>;
}

/** For a gateway run without station workflows (tests of other parts): every event is dropped. */
export const noStationEvents: StationEventSink = {
  firmwareStatus: async () => undefined,
  firmwareBoot: async () => undefined,
  diagnosticsStatus: async () => undefined,
};
