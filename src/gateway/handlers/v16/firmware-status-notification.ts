import type { FirmwareStatusNotificationRequest, FirmwareStatusNotificationResponse } from '../../../ocpp/ocpp16-messages';
import type { Handler } from '../handler';

export const firmwareStatusNotification: Handler<FirmwareStatusNotificationRequest, FirmwareStatusNotificationResponse> = async (ctx, request) => {
  await ctx.storage.stations.recordFirmwareStatus(ctx.stationId, request.status);
  return {};
};
