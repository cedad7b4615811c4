import type { HeartbeatRequest, HeartbeatResponse } from '../../../ocpp/ocpp16-messages';
import type { Handler } from '../handler';

/**
 * Answered even when the database is down: a heartbeat carries nothing to lose, and the station
 * uses the answer to keep its clock and to know the central system is there.
 */
export const heartbeat: Handler<HeartbeatRequest, HeartbeatResponse> = async (ctx) => {
  const status = await ctx.storage.stations.recordHeartbeat(ctx.stationId).catch((err) => ctx.logger.warn({ err }, 'could not record the heartbeat'));
  if (status) ctx.registration.status = status;
  return { currentTime: new Date().toISOString() };
};
