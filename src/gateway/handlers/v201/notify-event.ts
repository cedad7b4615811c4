import type { NotifyEventRequest, NotifyEventResponse } from '../../../ocpp/ocpp201-messages';
import type { Handler } from '../handler';

/**
 * N07 (and the events of B/G/…): every eventData element stored as reported, shown to operators
 * at /v1/operator/stations/{id}/events. A message split over several (tbc) is stored part by part.
 */
export const notifyEvent: Handler<NotifyEventRequest, NotifyEventResponse> = async (ctx, request) => {
  await ctx.storage.reports.recordEvents(ctx.stationId, { generatedAt: request.generatedAt, seqNo: request.seqNo }, request.eventData);
  return {};
};
