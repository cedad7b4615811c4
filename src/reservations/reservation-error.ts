/**
 * Refusals of reservation requests, with a code a machine can act on; the API answers each with
 * one HTTP status (src/api/http/reservation-error-status.ts). Pure: the API imports it without loading Temporal.
 */
export type ReservationErrorCode =
  | 'unknown_station'
  | 'unknown_connector'
  /** A charger offline cannot be asked to hold a connector: nothing is reserved. */
  | 'station_offline'
  | 'station_not_accepted'
  /** The connector (or the whole station) was made Inoperative with ChangeAvailability. */
  | 'connector_inoperative'
  /** The connector already has an active reservation (PostgreSQL decides between concurrent requests). */
  | 'connector_reserved'
  /** The driver already has an active reservation: one at a time. */
  | 'driver_has_reservation'
  /** "Any connector": none of the station's connectors is free (Available, operative, no session, no reservation). */
  | 'no_connector_available'
  | 'not_found'
  /** Cancel of a reservation that is not held (already cancelled, used, expired, or never accepted). */
  | 'reservation_not_active';

export class ReservationError extends Error {
  override readonly name = 'ReservationError';
  constructor(
    readonly code: ReservationErrorCode,
    message: string,
  ) {
    super(message);
  }
}
