import type { NotifyReportRequest, NotifyReportResponse } from '../../../ocpp/ocpp201-messages';
import type { Handler } from '../handler';

/**
 * B07/B08 (the answer to GetBaseReport / GetReport): the device model, each variable of a
 * component upserted per station, shown at /v1/operator/stations/{id}/device-model. A report
 * comes in parts (seqNo from 0, tbc until the last); each part is stored as it arrives.
 */
export const notifyReport: Handler<NotifyReportRequest, NotifyReportResponse> = async (ctx, request) => {
  const frame = { requestId: request.requestId, generatedAt: request.generatedAt, seqNo: request.seqNo };
  await ctx.storage.reports.recordDeviceModel(ctx.stationId, frame, request.reportData ?? []);
  return {};
};
