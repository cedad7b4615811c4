import type { ReservationStatusUpdateRequest, ReservationStatusUpdateResponse } from '../../../ocpp/ocpp201-messages';
import type { Handler } from '../handler';

/**
 * H04: the station ended a reservation itself. 1.6 has no such message, and the reservation
 * workflow (workflows/reservation.ts) needs none: Expired is its own durable timer, which runs to
 * the same expiryDate and settles the reservation (used, when a transaction carried it, else
 * expired with its fee); Removed (the station dropped it, e.g. the EVSE became Inoperative)
 * leaves the CSMS's reservation held until it is used, cancelled or expires, as a 1.6 charger
 * that lost one would. So the update is only logged, and acknowledged.
 */
export const reservationStatusUpdate: Handler<ReservationStatusUpdateRequest, ReservationStatusUpdateResponse> = async (ctx, request) => {
  const { reservationId, reservationUpdateStatus } = request;
  ctx.logger.info({ stationId: ctx.stationId, reservationId, reservationUpdateStatus }, `the station reports reservation ${reservationId} ${reservationUpdateStatus}`);
  return {};
};
