/**
 * The live station connections this gateway process holds (one per station id) and the one
 * way to send them a command. Commands to one station go out one at a time, in order, as OCPP
 * requires (one outstanding call per direction).
 */
import { RPCError, TimeoutError } from 'ocpp-rpc';
import { chargerCommandLatency, connectedChargers } from '../../metrics';
import { ChargerCommandErrors, type OcppCallErrorDetails } from '../../ocpp/charger-commands';
import { ChargerCommandError } from '../commands/command-errors';
import type { ProtocolVersion, TranslatedCommand } from '../handlers/protocol-version';
import { isInvalidCallResult } from '../handlers/schema-validator';
import { admits, type Registration } from '../rules/registration';
import type { GatewayStorage } from '../storage/ports';
import type { StationClient } from './station-client';

export interface LiveConnection {
  stationId: string;
  client: StationClient;
  version: ProtocolVersion;
  /** Settles with the connection epoch once routing is recorded in PostgreSQL. */
  epoch: Promise<number>;
  remoteAddress?: string;
  /** Loaded at authentication, updated by BootNotification and Heartbeat (src/gateway/rules/registration.ts). */
  registration: Registration;
}

/** Sends one OCPP command and returns the station's answer (strictly validated by ocpp-rpc); fails with a ChargerCommandError. */
export interface ChargerCommandTransport {
  /** `deadline` (epoch ms): past it the command is not sent at all, e.g. after its activity has timed out. */
  send(stationId: string, action: string, payload: object, options?: { deadline?: number }): Promise<unknown>;
}

/** The command latency metric's result label for a failure. */
const resultLabel = (err: ChargerCommandError): string =>
  ({
    [ChargerCommandErrors.CallError]: (err.details as OcppCallErrorDetails | undefined)?.errorCode ?? 'GenericError',
    [ChargerCommandErrors.InvalidResponse]: 'invalid_response',
    [ChargerCommandErrors.ResponseTimeout]: 'timeout',
    [ChargerCommandErrors.NotConnected]: 'not_connected',
    [ChargerCommandErrors.NotAccepted]: 'not_accepted',
  })[err.code];

export class LiveConnections implements ChargerCommandTransport {
  private readonly live = new Map<string, LiveConnection>();
  /**
   * Commands to one station, one at a time. Queued here rather than in ocpp-rpc so a command
   * whose deadline passed while it waited is dropped, not sent late (a RemoteStart arriving
   * after its session gave up would start a transaction).
   */
  private readonly queues = new WeakMap<LiveConnection, Promise<unknown>>();

  constructor(
    private readonly commandTimeoutMs: number,
    /** The station's stored registration status, read before a command is refused for it; what a version's command translation reads. */
    private readonly storage: GatewayStorage,
  ) {}

  /** Holds the new connection; returns the one it replaces, if any. */
  add(connection: LiveConnection): LiveConnection | undefined {
    const previous = this.live.get(connection.stationId);
    this.live.set(connection.stationId, connection);
    connectedChargers.set(this.live.size);
    return previous;
  }

  /** Forgets the connection if it is still the current one for its station. */
  remove(connection: LiveConnection): boolean {
    if (this.live.get(connection.stationId) !== connection) return false;
    this.live.delete(connection.stationId);
    connectedChargers.set(this.live.size);
    return true;
  }

  isCurrent(connection: LiveConnection): boolean {
    return this.live.get(connection.stationId) === connection;
  }

  all(): LiveConnection[] {
    return [...this.live.values()];
  }

  /** `action` and `payload` are the contract's (1.6 words); the connection's version translates them. */
  async send(stationId: string, action: string, payload: object, options: { deadline?: number } = {}): Promise<unknown> {
    const connection = this.live.get(stationId);
    if (!connection) throw new ChargerCommandError(ChargerCommandErrors.NotConnected, stationId, 'is not connected to this gateway');
    const { registration, version } = connection;
    const command: TranslatedCommand = version.translateCommand
      ? await version.translateCommand(action, payload, { stationId, storage: this.storage })
      : { action, payload, answer: (reply) => reply };
    const storedRegistration = () => this.storage.stations.registrationStatus(stationId);
    if (!(await admits(registration, (status) => version.centralSystemMaySend(status, command.action), storedRegistration))) {
      throw new ChargerCommandError(ChargerCommandErrors.NotAccepted, stationId, `is ${registration.status}, not Accepted: ${command.action} is not sent to it`, {
        registrationStatus: registration.status,
      });
    }
    if (command.unsentAnswer) return command.unsentAnswer.value;
    const turn = (this.queues.get(connection) ?? Promise.resolve()).then(() => this.call(connection, command.action, command.payload, options.deadline));
    this.queues.set(connection, turn.catch(() => undefined));
    return command.answer(await turn);
  }

  private async call(connection: LiveConnection, action: string, payload: object, deadline: number | undefined): Promise<unknown> {
    const { stationId, version } = connection;
    const left = deadline === undefined ? Infinity : deadline - Date.now();
    if (left <= 0) {
      throw new ChargerCommandError(ChargerCommandErrors.ResponseTimeout, stationId, `was not sent ${action}: its deadline passed while it waited behind another command`);
    }
    const timeoutMs = Math.min(this.commandTimeoutMs, left);
    const started = process.hrtime.bigint();
    let result = 'ok';
    try {
      return await connection.client.call(action, payload, { callTimeoutMs: timeoutMs });
    } catch (err) {
      const failure = commandFailure(stationId, version.subprotocol, action, err, timeoutMs);
      result = resultLabel(failure);
      throw failure;
    } finally {
      chargerCommandLatency.observe({ action, result }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }
}

/** What went wrong with a call, in the command vocabulary. */
function commandFailure(stationId: string, subprotocol: string, action: string, err: unknown, timeoutMs: number): ChargerCommandError {
  if (err instanceof TimeoutError) return new ChargerCommandError(ChargerCommandErrors.ResponseTimeout, stationId, `did not answer ${action} within ${timeoutMs} ms`);
  if (isInvalidCallResult(err)) {
    const details: OcppCallErrorDetails = {
      errorCode: err.rpcErrorCode,
      errorDescription: `the charger's answer breaks the ${subprotocol} schema: ${err.message}`,
      errorDetails: err.details,
    };
    return new ChargerCommandError(
      ChargerCommandErrors.InvalidResponse,
      stationId,
      `answered ${action} with a reply that breaks the ${subprotocol} schema (${err.rpcErrorCode}: ${err.message})`,
      details,
    );
  }
  if (err instanceof RPCError) {
    const e: RPCError & { rpcErrorCode?: string; rpcErrorMessage?: string; details?: unknown } = err;
    const errorCode = e.rpcErrorCode ?? 'GenericError';
    const errorDescription = e.message || e.rpcErrorMessage || '';
    const details: OcppCallErrorDetails = { errorCode, errorDescription, errorDetails: e.details ?? {} };
    return new ChargerCommandError(ChargerCommandErrors.CallError, stationId, `answered ${action} with ${errorCode}${errorDescription ? `: ${errorDescription}` : ''}`, details);
  }
  // The socket closed before the answer came (or the call could not be sent at all).
  const reason = err instanceof Error ? err.message : String(err);
  return new ChargerCommandError(ChargerCommandErrors.NotConnected, stationId, `lost its connection during ${action}: ${reason}`);
}
