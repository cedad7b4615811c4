import type { FirmwareStatusNotificationRequest, FirmwareStatusNotificationResponse } from '../../../ocpp/ocpp201-messages';
import { forwardStoredStationEvent } from '../../../stations/forward-station-event';
import { firmwareStatusOf201 } from '../../rules/firmware-log-status-v201';
import type { Handler } from '../handler';

/**
 * L01: stored on the station (in the firmware workflow's words, and as reported with its
 * requestId), then told to its running firmware update (if any) in the words it follows.
 */
export const firmwareStatusNotification: Handler<FirmwareStatusNotificationRequest, FirmwareStatusNotificationResponse> = async (ctx, request) => {
  const status = firmwareStatusOf201[request.status];
  await ctx.storage.stations.recordFirmwareStatus(ctx.stationId, status, { status: request.status, requestId: request.requestId });
  const event = { stationId: ctx.stationId, status, at: new Date().toISOString() };
  await forwardStoredStationEvent(ctx.logger, 'FirmwareStatusNotification', () => ctx.stationEvents.firmwareStatus(event));
  return {};
};
