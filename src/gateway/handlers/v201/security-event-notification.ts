import type { SecurityEventNotificationRequest, SecurityEventNotificationResponse } from '../../../ocpp/ocpp201-messages';
import type { Handler } from '../handler';

/** A04: stored as reported, shown to operators at /v1/operator/stations/{id}/security-events. */
export const securityEventNotification: Handler<SecurityEventNotificationRequest, SecurityEventNotificationResponse> = async (ctx, request) => {
  await ctx.storage.reports.recordSecurityEvent(ctx.stationId, {
    type: request.type,
    timestamp: request.timestamp,
    ...(request.techInfo === undefined ? {} : { techInfo: request.techInfo }),
  });
  return {};
};
