/**
 * "A command to a station did not work", in the one vocabulary (ChargerCommandErrorCode, the
 * contract's ApplicationFailure types) from the socket to HTTP: the transport raises it, the
 * activities hand it to Temporal as it is, the workflow reports its code, the session layer
 * maps the code to an API error (src/sessions/session-error.ts).
 */
import { ChargerCommandErrors, type ChargerCommandErrorCode } from '../../ocpp/charger-commands';

/** Whether asking again may help: a station that is gone or silent may come back; an answer stays the answer. */
export const retryable: Record<ChargerCommandErrorCode, boolean> = {
  [ChargerCommandErrors.NotConnected]: true,
  [ChargerCommandErrors.ResponseTimeout]: true,
  [ChargerCommandErrors.CallError]: false,
  [ChargerCommandErrors.InvalidResponse]: false,
  [ChargerCommandErrors.NotAccepted]: false,
};

export class ChargerCommandError extends Error {
  override readonly name = 'ChargerCommandError';
  constructor(
    readonly code: ChargerCommandErrorCode,
    readonly stationId: string,
    message: string,
    /** The contract's details for the code (OcppCallErrorDetails, { registrationStatus }), or none. */
    readonly details?: object,
  ) {
    super(`charger ${stationId} ${message}`);
  }
}
