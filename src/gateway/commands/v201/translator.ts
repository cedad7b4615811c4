/**
 * How one contract command (src/ocpp/charger-commands.ts speaks OCPP 1.6's words) goes out to an
 * OCPP 2.0.1 station: its 2.0.1 action and payload, and its answer read back in the contract's
 * words. Workflows never see 2.0.1: the translation lives here, below them.
 */
import type { Ocpp16Requests, Ocpp16Responses } from '../../../ocpp/ocpp16-messages';
import type { Ocpp201Requests, Ocpp201Responses } from '../../../ocpp/ocpp201-messages';
import { ChargerCommandErrors, type ContractOnlyRequests, type ContractOnlyResponses, type OcppCallErrorDetails } from '../../../ocpp/charger-commands';
import type { CommandTranslationContext } from '../../handlers/protocol-version';
import { ChargerCommandError } from '../command-errors';

/** The contract's commands by action name: 1.6's, and those 1.6 has no message for. */
export type ContractRequests = Ocpp16Requests & ContractOnlyRequests;
export type ContractResponses = Ocpp16Responses & ContractOnlyResponses;

/** A translated command, typed by its 2.0.1 action so that payload and answer match the schemas. */
export interface Translated201<A201 extends keyof Ocpp201Requests, A16 extends keyof ContractRequests> {
  action: A201;
  payload: Ocpp201Requests[A201];
  answer(reply: Ocpp201Responses[A201]): ContractResponses[A16];
  /** Present: not sent; the contract's answer as the station would give it (answeredHere). */
  unsentAnswer?: { value: ContractResponses[A16] };
}

/** One contract command's translation (the 1.6 request → the 2.0.1 request, and back for the answer). */
export type Translator201<A16 extends keyof ContractRequests> = (
  request: ContractRequests[A16],
  ctx: CommandTranslationContext,
) => Promise<Translated201<keyof Ocpp201Requests, A16>> | Translated201<keyof Ocpp201Requests, A16>;

/** Builds a typed translation (the helper keeps each translator's 2.0.1 action, payload and answer in step). */
export function translated<A201 extends keyof Ocpp201Requests, A16 extends keyof ContractRequests>(
  action: A201,
  payload: Ocpp201Requests[A201],
  answer: (reply: Ocpp201Responses[A201]) => ContractResponses[A16],
): Translated201<keyof Ocpp201Requests, A16> {
  return { action, payload, answer } as unknown as Translated201<keyof Ocpp201Requests, A16>;
}

/**
 * A command whose answer is known without asking the station (a RemoteStop of a transaction the
 * station never reported): not sent, answered as the station would. `action` is the 2.0.1 message
 * it stands for (registration rules still apply to it).
 */
export function answeredHere<A201 extends keyof Ocpp201Requests, A16 extends keyof ContractRequests>(
  action: A201,
  answer: ContractResponses[A16],
): Translated201<keyof Ocpp201Requests, A16> {
  return { action, payload: {}, answer: () => answer, unsentAnswer: { value: answer } } as unknown as Translated201<keyof Ocpp201Requests, A16>;
}

/**
 * A contract command that 2.0.1 cannot express for this station: failed as if the station had
 * answered NotSupported, which every caller already handles (a 1.6 station without the profile).
 */
export function notSupported(stationId: string, action: string, why: string): ChargerCommandError {
  const details: OcppCallErrorDetails = { errorCode: 'NotSupported', errorDescription: `OCPP 2.0.1: ${why}`, errorDetails: {} };
  return new ChargerCommandError(ChargerCommandErrors.CallError, stationId, `cannot be sent ${action} over OCPP 2.0.1: ${why}`, details);
}
