import type { BootNotificationRequest, BootNotificationResponse } from '../../../ocpp/ocpp201-messages';
import { afterBoot } from '../boot-effects';
import type { Handler } from '../handler';

/**
 * B01–B03: stores what the station says about itself (in the registry's words) and why it booted;
 * its registration status is the answer and held on the connection; then what follows a boot.
 */
export const bootNotification: Handler<BootNotificationRequest, BootNotificationResponse> = async (ctx, request) => {
  const { chargingStation: station, reason } = request;
  const status = await ctx.storage.stations.recordBoot(ctx.stationId, {
    chargePointVendor: station.vendorName,
    chargePointModel: station.model,
    ...(station.serialNumber === undefined ? {} : { chargePointSerialNumber: station.serialNumber }),
    ...(station.firmwareVersion === undefined ? {} : { firmwareVersion: station.firmwareVersion }),
    ...(station.modem?.iccid === undefined ? {} : { iccid: station.modem.iccid }),
    ...(station.modem?.imsi === undefined ? {} : { imsi: station.modem.imsi }),
    reason,
  });
  ctx.registration.status = status;
  await afterBoot(ctx, status, station.firmwareVersion ?? null);
  // Pending/Rejected: `interval` is when to send BootNotification again (B02.FR.01, B03.FR.01).
  return { status, currentTime: new Date().toISOString(), interval: ctx.heartbeatIntervalS };
};
