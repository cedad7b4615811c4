/** ReservationError codes (src/reservations/reservation-error.ts) → HTTP status: one table the type checker keeps complete. */
import { ReservationError, type ReservationErrorCode } from '../../reservations/reservation-error';

const statusByCode: Record<ReservationErrorCode, number> = {
  unknown_station: 404,
  unknown_connector: 404,
  station_offline: 409,
  station_not_accepted: 409,
  connector_inoperative: 409,
  connector_reserved: 409,
  driver_has_reservation: 409,
  no_connector_available: 409,
  not_found: 404,
  reservation_not_active: 409,
};

export function asReservationError(err: unknown): { status: number; code: ReservationErrorCode; message: string } | null {
  return err instanceof ReservationError ? { status: statusByCode[err.code], code: err.code, message: err.message } : null;
}
