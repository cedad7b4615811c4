/**
 * One OCPP version as the connection lifecycle sees it: its WebSocket subprotocol, its schema
 * validator and CALLERROR spellings, its handler table, and which messages each side may send
 * under each registration status. src/gateway/handlers/v16/index.ts is OCPP 1.6-J.
 */
import type { Validator } from 'ocpp-rpc/lib/validator';
import type { RegistrationStatus } from '../rules/registration';
import type { HandlerContext } from './handler';

/** A handler as the table holds it: its request was validated against the action's schema before it is called. */
interface ValidatedHandler {
  handle(ctx: HandlerContext, request: object): Promise<object>;
}

export interface ProtocolVersion {
  /** Sec-WebSocket-Protocol, e.g. 'ocpp1.6'. */
  subprotocol: string;
  validator(): Validator;
  /** By action name: every message a station sends that this version answers. */
  handlers: Readonly<Record<string, ValidatedHandler['handle']>>;
  /** Recognised, but only ever sent by the central system: answered NotSupported. */
  centralSystemActions: readonly string[];
  /** The version's spelling of a CALLERROR code ocpp-rpc puts into a reply. */
  errorCode(code: string): string;
  stationMaySend(status: RegistrationStatus, action: string): boolean;
  centralSystemMaySend(status: RegistrationStatus, action: string): boolean;
}
