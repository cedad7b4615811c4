import type { StatusNotificationRequest, StatusNotificationResponse } from '../../../ocpp/ocpp201-messages';
import { recordConnectorStatus } from '../connector-status';
import type { Handler } from '../handler';
import { connectorStatusReport } from './connector-status-report';

/** G01: the connector's status on the CSMS's connector that is the EVSE (./connector-status-report.ts), told to its session too. */
export const statusNotification: Handler<StatusNotificationRequest, StatusNotificationResponse> = async (ctx, request) => {
  await recordConnectorStatus(ctx, connectorStatusReport(request.evseId, request.connectorId, request.connectorStatus, request.timestamp));
  return {};
};
