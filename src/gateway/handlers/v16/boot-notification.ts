import type { BootNotificationRequest, BootNotificationResponse } from '../../../ocpp/ocpp16-messages';
import { forwardStoredStationEvent } from '../../../stations/forward-station-event';
import type { Handler } from '../handler';

/**
 * Stores what the station says about itself; its registration status is the answer (and held on the
 * connection). An Accepted station is due a configuration reconciliation, and a station with a
 * firmware update running tells it the firmwareVersion it booted with (src/stations/).
 */
export const bootNotification: Handler<BootNotificationRequest, BootNotificationResponse> = async (ctx, request) => {
  const status = await ctx.storage.stations.recordBoot(ctx.stationId, request);
  ctx.registration.status = status;
  if (status === 'Accepted') {
    // Not awaited: the boot answer never waits for Temporal (a reconnect storm is thousands of boots).
    // A reconciliation that cannot be started is logged; the next boot or reconnect starts one.
    void ctx.stationEvents
      .stationConfigurationDue({ stationId: ctx.stationId, trigger: 'boot' })
      .catch((err) => ctx.logger.error({ err }, 'could not start the configuration reconciliation after boot'));
    // Profiles do not survive a reboot on every charger: the operator's station profiles are sent again.
    void ctx.stationEvents
      .stationChargingProfilesDue({ stationId: ctx.stationId, trigger: 'boot' })
      .catch((err) => ctx.logger.error({ err }, 'could not start re-sending the station charging profiles after boot'));
    // Likewise the local-list sync (its own poll catches up when this cannot be sent).
    void ctx.stationEvents
      .localListSyncDue({ stationId: ctx.stationId, trigger: 'boot' })
      .catch((err) => ctx.logger.error({ err }, 'could not wake the local-list sync after boot'));
  }
  // A running firmware update ends on the boot that reports the new firmwareVersion; other boots
  // (a reconnect storm) cost no call to Temporal.
  const boot = { stationId: ctx.stationId, firmwareVersion: request.firmwareVersion ?? null, at: new Date().toISOString() };
  await forwardStoredStationEvent(ctx.logger, 'BootNotification', async () => {
    if (await ctx.storage.stations.firmwareUpdateInProgress(ctx.stationId)) await ctx.stationEvents.firmwareBoot(boot);
  });
  // Pending/Rejected: `interval` is when to send BootNotification again.
  return { status, currentTime: new Date().toISOString(), interval: ctx.heartbeatIntervalS };
};
