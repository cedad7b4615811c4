/**
 * SessionError (src/sessions/session-service.ts) codes → HTTP status. Recognised by name and
 * code rather than by class, so the API does not load the session layer to map its errors.
 */
import { errorResponse, type ResponseSpec } from './endpoint';

const statusByCode: Record<string, number> = {
  unknown_station: 404,
  unknown_connector: 404,
  station_offline: 503,
  station_not_accepted: 409,
  connector_busy: 409,
  rejected: 422,
  not_found: 404,
  not_running: 409,
};

export interface SessionErrorLike {
  code: string;
  message: string;
}

export function asSessionError(err: unknown): SessionErrorLike | null {
  if (!(err instanceof Error) || err.name !== 'SessionError' && err.constructor?.name !== 'SessionError') return null;
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && code in statusByCode ? { code, message: err.message } : null;
}

export function sessionErrorStatus(code: string): number {
  return statusByCode[code] ?? 500;
}

/** What a one-off charger command (SoC, reset, unlock) can answer besides its result. */
export const chargerCommandErrorResponses: Record<number, ResponseSpec> = {
  404: errorResponse('Unknown station'),
  409: errorResponse('The network has not accepted the station (Rejected)'),
  422: errorResponse('The charger answered with a CALLERROR'),
  503: errorResponse('The station is offline or did not answer'),
};
