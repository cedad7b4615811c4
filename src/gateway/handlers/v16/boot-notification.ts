import type { BootNotificationRequest, BootNotificationResponse } from '../../../ocpp/ocpp16-messages';
import type { Handler } from '../handler';

/**
 * Stores what the station says about itself; its registration status is the answer (and held on the
 * connection). An Accepted station is due a configuration reconciliation (src/stations/).
 */
export const bootNotification: Handler<BootNotificationRequest, BootNotificationResponse> = async (ctx, request) => {
  const status = await ctx.storage.stations.recordBoot(ctx.stationId, request);
  ctx.registration.status = status;
  if (status === 'Accepted') {
    // The boot is stored; a reconciliation that cannot be started is logged, the boot still answered.
    await ctx.stationEvents
      .stationConfigurationDue({ stationId: ctx.stationId, trigger: 'boot' })
      .catch((err) => ctx.logger.error({ err }, 'could not start the configuration reconciliation after boot'));
  }
  // Pending/Rejected: `interval` is when to send BootNotification again.
  return { status, currentTime: new Date().toISOString(), interval: ctx.heartbeatIntervalS };
};
