/**
 * What follows a BootNotification, whatever the version: an Accepted station is due a
 * configuration reconciliation, its station charging profiles and its local-list sync; a station
 * with a firmware update running tells that update the firmware version it booted with.
 */
import { forwardStoredStationEvent } from '../../stations/forward-station-event';
import type { RegistrationStatus } from '../rules/registration';
import type { HandlerContext } from './handler';

export async function afterBoot(ctx: HandlerContext, status: RegistrationStatus, firmwareVersion: string | null): Promise<void> {
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
  // A running firmware update ends on the boot that reports the new firmware version; other boots
  // (a reconnect storm) cost no call to Temporal.
  const boot = { stationId: ctx.stationId, firmwareVersion, at: new Date().toISOString() };
  await forwardStoredStationEvent(ctx.logger, 'BootNotification', async () => {
    if (await ctx.storage.stations.firmwareUpdateInProgress(ctx.stationId)) await ctx.stationEvents.firmwareBoot(boot);
  });
}
