import type { StatusNotificationRequest, StatusNotificationResponse } from '../../../ocpp/ocpp16-messages';
import { recordConnectorStatus } from '../connector-status';
import type { Handler } from '../handler';

/** Stores the connector's status; a connector with an active session tells the session too (EV full, unplugged, faulted). */
export const statusNotification: Handler<StatusNotificationRequest, StatusNotificationResponse> = async (ctx, request) => {
  await recordConnectorStatus(ctx, request);
  return {};
};
