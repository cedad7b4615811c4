import type { StatusNotificationRequest, StatusNotificationResponse } from '../../../ocpp/ocpp201-messages';
import { recordConnectorStatus } from '../connector-status';
import type { Handler } from '../handler';

/**
 * G01: a connector's status, stored on the CSMS's connector that is the EVSE (EVSE = connector:
 * connector_id = evseId; the EVSE's own connectorId is logged beside it). connectorStatus is kept
 * in 2.0.1's words: Available, Reserved, Unavailable and Faulted mean what 1.6's do to the
 * availability rules (src/stations/connector-availability.ts) and the session; Occupied is
 * operative and starts nothing. 2.0.1 reports no error code (faults come as NotifyEvent):
 * Faulted is stored as OtherError, anything else as NoError.
 */
export const statusNotification: Handler<StatusNotificationRequest, StatusNotificationResponse> = async (ctx, request) => {
  await recordConnectorStatus(ctx, {
    connectorId: request.evseId,
    evseConnectorId: request.connectorId,
    status: request.connectorStatus,
    errorCode: request.connectorStatus === 'Faulted' ? 'OtherError' : 'NoError',
    timestamp: request.timestamp,
  });
  return {};
};
