import type { DiagnosticsStatusNotificationRequest, DiagnosticsStatusNotificationResponse } from '../../../ocpp/ocpp16-messages';
import { forwardStoredStationEvent } from '../../../stations/forward-station-event';
import type { Handler } from '../handler';

/** Stored on the station, then told to its running diagnostics request (if any). */
export const diagnosticsStatusNotification: Handler<DiagnosticsStatusNotificationRequest, DiagnosticsStatusNotificationResponse> = async (ctx, request) => {
  await ctx.storage.stations.recordDiagnosticsStatus(ctx.stationId, request.status);
  const event = { stationId: ctx.stationId, status: request.status, at: new Date().toISOString() };
  await forwardStoredStationEvent(ctx.logger, 'DiagnosticsStatusNotification', () => ctx.stationEvents.diagnosticsStatus(event));
  return {};
};
