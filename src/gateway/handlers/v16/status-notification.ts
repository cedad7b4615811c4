import type { StatusNotificationRequest, StatusNotificationResponse } from '../../../ocpp/ocpp16-messages';
import type { Handler } from '../handler';

/** Stores the connector's status; a connector with an active session tells the session too (EV full, unplugged, faulted). */
export const statusNotification: Handler<StatusNotificationRequest, StatusNotificationResponse> = async (ctx, request) => {
  await ctx.storage.stations.recordConnectorStatus(ctx.stationId, request);
  if (request.connectorId === 0) return {};
  const sessionId = await ctx.storage.sessions.onConnector(ctx.stationId, request.connectorId);
  if (sessionId) {
    await ctx.sessionEvents.connectorStatus({
      sessionId,
      stationId: ctx.stationId,
      connectorId: request.connectorId,
      status: request.status,
      errorCode: request.errorCode,
      at: request.timestamp ?? new Date().toISOString(),
    });
  }
  return {};
};
