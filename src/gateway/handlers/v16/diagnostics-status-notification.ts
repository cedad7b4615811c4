import type { DiagnosticsStatusNotificationRequest, DiagnosticsStatusNotificationResponse } from '../../../ocpp/ocpp16-messages';
import type { Handler } from '../handler';

export const diagnosticsStatusNotification: Handler<DiagnosticsStatusNotificationRequest, DiagnosticsStatusNotificationResponse> = async (ctx, request) => {
  await ctx.storage.stations.recordDiagnosticsStatus(ctx.stationId, request.status);
  return {};
};
