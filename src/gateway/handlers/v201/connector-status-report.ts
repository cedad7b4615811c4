/**
 * A 2.0.1 connector's status as the CSMS stores it, from either way a station reports it (G01):
 * StatusNotification, or NotifyEvent on the device model (component Connector of an EVSE,
 * variable AvailabilityState, N07.FR.19). EVSE = connector: the CSMS's connector_id is the EVSE
 * id, the EVSE's own connector is kept beside it. connectorStatus stays in 2.0.1's words:
 * Available, Reserved, Unavailable and Faulted mean to the availability rules
 * (src/stations/connector-availability.ts) and the session what 1.6's do; Occupied is operative
 * and starts nothing. 2.0.1 has no error code (faults come as events): Faulted is stored as
 * OtherError, anything else as NoError.
 */
import type { ConnectorStatusEnumType, EventDataType } from '../../../ocpp/ocpp201-messages';
import type { ConnectorStatusReport } from '../../storage/ports';

const connectorStatuses: ReadonlySet<string> = new Set<ConnectorStatusEnumType>(['Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted']);

export function connectorStatusReport(evseId: number, connectorId: number | undefined, status: ConnectorStatusEnumType, timestamp: string): ConnectorStatusReport {
  return {
    connectorId: evseId,
    ...(connectorId === undefined ? {} : { evseConnectorId: connectorId }),
    status,
    errorCode: status === 'Faulted' ? 'OtherError' : 'NoError',
    timestamp,
  };
}

/** The connector status an event reports, or null when it is not a Connector's AvailabilityState. */
export function connectorStatusOfEvent(e: EventDataType): ConnectorStatusReport | null {
  if (e.component.name !== 'Connector' || e.variable.name !== 'AvailabilityState' || !e.component.evse) return null;
  if (!connectorStatuses.has(e.actualValue)) return null;
  return connectorStatusReport(e.component.evse.id, e.component.evse.connectorId, e.actualValue as ConnectorStatusEnumType, e.timestamp);
}
