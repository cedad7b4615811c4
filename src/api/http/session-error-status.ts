/**
 * SessionError (src/sessions/session-error.ts) codes → HTTP status, one table the type checker
 * keeps complete; the documented answers of a charger command are derived from the same tables.
 */
import { commandFailureError, SessionError, type CommandFailureErrorCode, type SessionErrorCode } from '../../sessions/session-error';
import { errorResponse, type ResponseSpec } from './endpoint';

const statusByCode: Record<SessionErrorCode, number> = {
  unknown_station: 404,
  unknown_connector: 404,
  station_offline: 503,
  station_not_accepted: 409,
  connector_busy: 409,
  connector_inoperative: 409,
  connector_reserved: 409,
  feature_profile_not_supported: 409,
  payment_method_missing: 409,
  payment_declined: 402,
  payment_unavailable: 503,
  rejected: 422,
  not_found: 404,
  not_running: 409,
};

export interface SessionErrorLike {
  code: SessionErrorCode;
  message: string;
}

export function asSessionError(err: unknown): SessionErrorLike | null {
  return err instanceof SessionError ? { code: err.code, message: err.message } : null;
}

export function sessionErrorStatus(code: SessionErrorCode): number {
  return statusByCode[code];
}

/** How the API documents each way a one-off charger command (SoC, reset, unlock) can fail besides its result. */
const commandFailureDescription: Record<CommandFailureErrorCode | 'unknown_station', string> = {
  unknown_station: 'Unknown station',
  station_not_accepted: 'The network has not accepted the station (Rejected)',
  rejected: 'The charger answered with a CALLERROR',
  station_offline: 'The station is offline or did not answer',
};

export const chargerCommandErrorResponses: Record<number, ResponseSpec> = Object.fromEntries(
  (['unknown_station', ...Object.values(commandFailureError)] as const).map((code) => [statusByCode[code], errorResponse(commandFailureDescription[code])]),
);
