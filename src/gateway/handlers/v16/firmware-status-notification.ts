import type { FirmwareStatusNotificationRequest, FirmwareStatusNotificationResponse } from '../../../ocpp/ocpp16-messages';
import { forwardStoredStationEvent } from '../../../stations/forward-station-event';
import type { Handler } from '../handler';

/** Stored on the station, then told to its running firmware update (if any). */
export const firmwareStatusNotification: Handler<FirmwareStatusNotificationRequest, FirmwareStatusNotificationResponse> = async (ctx, request) => {
  await ctx.storage.stations.recordFirmwareStatus(ctx.stationId, request.status);
  const event = { stationId: ctx.stationId, status: request.status, at: new Date().toISOString() };
  await forwardStoredStationEvent(ctx.logger, 'FirmwareStatusNotification', () => ctx.stationEvents.firmwareStatus(event));
  return {};
};
