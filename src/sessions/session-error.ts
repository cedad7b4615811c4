/**
 * The session layer's refusals, with a code a machine can act on; the API answers each with one
 * HTTP status (src/api/http/session-error-status.ts, a table the type checker keeps complete).
 * Pure: the API imports it without loading Temporal.
 */
import { ChargerCommandErrors, type ChargerCommandErrorCode } from '../ocpp/charger-commands';

export type SessionErrorCode =
  | 'unknown_station'
  | 'unknown_connector'
  | 'station_offline'
  | 'station_not_accepted'
  | 'connector_busy'
  /** The connector (or the whole station) is Inoperative, Unavailable or Faulted: no transaction can start there. */
  | 'connector_inoperative'
  /** Another driver's reservation holds the connector (the message names the reservation). */
  | 'connector_reserved'
  /** The start needs a feature profile the station does not list (limits.maxPowerKw: SmartCharging). */
  | 'feature_profile_not_supported'
  /** A `card` driver has no saved card (POST /v1/me/payment-methods). */
  | 'payment_method_missing'
  /** The card's hold was declined (the message gives the provider's reason); nothing was sent to the charger. */
  | 'payment_declined'
  /** The payment provider did not place the hold within the bounded wait, or none is configured; nothing was sent to the charger. */
  | 'payment_unavailable'
  | 'rejected'
  | 'not_found'
  | 'not_running';

export class SessionError extends Error {
  override readonly name = 'SessionError';
  constructor(
    readonly code: SessionErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** "A command to a station did not work", as the API tells it: one row per code of the command vocabulary. */
export const commandFailureError = {
  [ChargerCommandErrors.NotConnected]: 'station_offline',
  [ChargerCommandErrors.ResponseTimeout]: 'station_offline',
  [ChargerCommandErrors.CallError]: 'rejected',
  [ChargerCommandErrors.InvalidResponse]: 'rejected',
  [ChargerCommandErrors.NotAccepted]: 'station_not_accepted',
} as const satisfies Record<ChargerCommandErrorCode, SessionErrorCode>;

export type CommandFailureErrorCode = (typeof commandFailureError)[ChargerCommandErrorCode];
