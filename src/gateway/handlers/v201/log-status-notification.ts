import type { LogStatusNotificationRequest, LogStatusNotificationResponse } from '../../../ocpp/ocpp201-messages';
import { forwardStoredStationEvent } from '../../../stations/forward-station-event';
import { diagnosticsStatusOf201 } from '../../rules/firmware-log-status-v201';
import type { Handler } from '../handler';

/**
 * N01: stored on the station (in the diagnostics workflow's words, and as reported with its
 * requestId), then told to its running diagnostics request (if any) in the words it follows.
 */
export const logStatusNotification: Handler<LogStatusNotificationRequest, LogStatusNotificationResponse> = async (ctx, request) => {
  const status = diagnosticsStatusOf201[request.status];
  await ctx.storage.stations.recordDiagnosticsStatus(ctx.stationId, status, { status: request.status, requestId: request.requestId });
  const event = { stationId: ctx.stationId, status, at: new Date().toISOString() };
  await forwardStoredStationEvent(ctx.logger, 'LogStatusNotification', () => ctx.stationEvents.diagnosticsStatus(event));
  return {};
};
