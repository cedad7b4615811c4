import type { NotifyEventRequest, NotifyEventResponse } from '../../../ocpp/ocpp201-messages';
import { recordConnectorStatus } from '../connector-status';
import type { Handler } from '../handler';
import { connectorStatusOfEvent } from './connector-status-report';

/**
 * N07/N08: every eventData element stored as reported, shown to operators at
 * /v1/operator/stations/{id}/events (a message split over several, tbc, is stored part by part).
 * An event on a Connector's AvailabilityState is also that connector's status (G01, N07.FR.19),
 * stored as a StatusNotification's would be.
 */
export const notifyEvent: Handler<NotifyEventRequest, NotifyEventResponse> = async (ctx, request) => {
  await ctx.storage.reports.recordEvents(ctx.stationId, { generatedAt: request.generatedAt, seqNo: request.seqNo }, request.eventData);
  for (const e of request.eventData) {
    const status = connectorStatusOfEvent(e);
    if (status) await recordConnectorStatus(ctx, status);
  }
  return {};
};
