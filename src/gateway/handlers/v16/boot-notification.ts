import type { BootNotificationRequest, BootNotificationResponse } from '../../../ocpp/ocpp16-messages';
import { afterBoot } from '../boot-effects';
import type { Handler } from '../handler';

/**
 * Stores what the station says about itself; its registration status is the answer (and held on the
 * connection), then what follows a boot (src/gateway/handlers/boot-effects.ts).
 */
export const bootNotification: Handler<BootNotificationRequest, BootNotificationResponse> = async (ctx, request) => {
  const status = await ctx.storage.stations.recordBoot(ctx.stationId, request);
  ctx.registration.status = status;
  await afterBoot(ctx, status, request.firmwareVersion ?? null);
  // Pending/Rejected: `interval` is when to send BootNotification again.
  return { status, currentTime: new Date().toISOString(), interval: ctx.heartbeatIntervalS };
};
