import type { DataTransferRequest, DataTransferResponse } from '../../../ocpp/ocpp16-messages';
import type { Handler } from '../handler';

/** Answered by the vendor's registered handler (UnknownVendorId without one), and logged with that answer. */
export const dataTransfer: Handler<DataTransferRequest, DataTransferResponse> = async (ctx, request) => {
  const answer = await ctx.dataTransfers.handle({ stationId: ctx.stationId, ...request });
  await ctx.storage.stations.recordDataTransfer(ctx.stationId, { ...request, status: answer.status });
  return answer.data === undefined ? { status: answer.status } : { status: answer.status, data: answer.data };
};
