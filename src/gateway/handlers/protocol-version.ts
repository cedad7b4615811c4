/**
 * One OCPP version as the connection lifecycle sees it: its WebSocket subprotocol, its schema
 * validator and CALLERROR spellings, its handler table, which messages each side may send under
 * each registration status, and how the charger commands (whose contract is in 1.6's words,
 * src/ocpp/charger-commands.ts) go out in it. src/gateway/handlers/v16/index.ts is OCPP 1.6-J,
 * src/gateway/handlers/v201/index.ts OCPP 2.0.1.
 */
import type { Validator } from 'ocpp-rpc/lib/validator';
import type { RegistrationStatus } from '../rules/registration';
import type { GatewayStorage } from '../storage/ports';
import type { HandlerContext } from './handler';

/** A contract command as this version sends it, and how its answer reads in the contract's words. */
export interface TranslatedCommand {
  action: string;
  payload: object;
  /** The station's (schema-valid) answer in the contract's shape. */
  answer(reply: unknown): unknown;
  /**
   * Present: the command is not sent, this is its answer (the version already knows what the
   * station would say, e.g. 2.0.1's RequestStopTransaction of a transaction the station never had).
   */
  unsentAnswer?: { value: unknown };
}

/** What a translation may look up or record (e.g. 2.0.1's transaction ids and remoteStartIds). */
export interface CommandTranslationContext {
  stationId: string;
  storage: GatewayStorage;
}

/**
 * Translates one contract command (its 1.6 action name and payload) into this version's. Throws
 * a ChargerCommandError (src/gateway/commands/command-errors.ts) for a command the version cannot
 * express. Absent: the version is 1.6, the contract's own words.
 */
export type CommandTranslator = (action: string, payload: object, ctx: CommandTranslationContext) => Promise<TranslatedCommand>;

/** A handler as the table holds it: its request was validated against the action's schema before it is called. */
interface ValidatedHandler {
  handle(ctx: HandlerContext, request: object): Promise<object>;
}

export interface ProtocolVersion {
  /** Sec-WebSocket-Protocol, e.g. 'ocpp1.6'. */
  subprotocol: string;
  /** As chargers.ocpp_version stores it and the API shows it. */
  ocppVersion: '1.6' | '2.0.1';
  validator(): Validator;
  /** By action name: every message a station sends that this version answers. */
  handlers: Readonly<Record<string, ValidatedHandler['handle']>>;
  /** Recognised, but only ever sent by the central system: answered NotSupported. */
  centralSystemActions: readonly string[];
  /** The version's spelling of a CALLERROR code ocpp-rpc puts into a reply. */
  errorCode(code: string): string;
  stationMaySend(status: RegistrationStatus, action: string): boolean;
  centralSystemMaySend(status: RegistrationStatus, action: string): boolean;
  translateCommand?: CommandTranslator;
}
