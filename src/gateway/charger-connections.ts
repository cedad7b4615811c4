/**
 * The live charger connections this gateway process holds (one per charge point id) and the
 * one way to send them a command. ocpp-rpc queues calls per connection (callConcurrency 1), so
 * commands to one charger go out one at a time, in order, as OCPP requires.
 */
import { RPCError, TimeoutError } from 'ocpp-rpc';
import { chargerCommandLatency, connectedChargers } from '../metrics';
import { isInvalidCallResult } from './ocpp16-validator';
import { admits, centralSystemMaySend, type Registration, type RegistrationStatus } from './registration';

/** The part of an ocpp-rpc server-side client the gateway uses. */
export interface OcppConnection {
  identity: string;
  call(method: string, params?: unknown, options?: { callTimeoutMs?: number }): Promise<unknown>;
  handle(method: string | ((args: any) => unknown), handler?: (args: any) => unknown): void;
  on(event: string, listener: (...args: any[]) => void): unknown;
  close(options?: { code?: number; reason?: string; awaitPending?: boolean; force?: boolean }): Promise<unknown>;
}

export interface LiveConnection {
  stationId: string;
  client: OcppConnection;
  /** Settles with the connection epoch once routing is recorded in PostgreSQL. */
  epoch: Promise<number>;
  remoteAddress?: string;
  /** Loaded at authentication, updated by BootNotification and Heartbeat (src/gateway/registration.ts). */
  registration: Registration;
}

export class ChargerNotConnectedError extends Error {
  constructor(readonly stationId: string, detail = 'is not connected to this gateway') {
    super(`charger ${stationId} ${detail}`);
    this.name = 'ChargerNotConnectedError';
  }
}

/** The charger's registration status does not allow the command (OCPP 1.6 §4.2): sending it again will not help. */
export class ChargerNotAcceptedError extends Error {
  constructor(readonly stationId: string, readonly action: string, readonly registrationStatus: RegistrationStatus) {
    super(`charger ${stationId} is ${registrationStatus}, not Accepted: ${action} is not sent to it`);
    this.name = 'ChargerNotAcceptedError';
  }
}

export class ChargerResponseTimeoutError extends Error {
  constructor(readonly stationId: string, readonly action: string, readonly timeoutMs: number, detail = `did not answer ${action} within ${timeoutMs} ms`) {
    super(`charger ${stationId} ${detail}`);
    this.name = 'ChargerResponseTimeoutError';
  }
}

/** The charger answered with a CALLRESULT that breaks the OCPP 1.6 schema: it sent no CALLERROR, and asking again is unlikely to help. */
export class ChargerInvalidResponseError extends Error {
  constructor(
    readonly stationId: string,
    readonly action: string,
    /** The OCPP-J 1.6 code for the violation (TypeConstraintViolation, PropertyConstraintViolation, ...). */
    readonly violation: string,
    readonly violationDescription: string,
    readonly violationDetails: unknown,
  ) {
    super(`charger ${stationId} answered ${action} with a reply that breaks the OCPP 1.6 schema (${violation}: ${violationDescription})`);
    this.name = 'ChargerInvalidResponseError';
  }
}

export class OcppCallError extends Error {
  constructor(
    readonly stationId: string,
    readonly action: string,
    readonly errorCode: string,
    readonly errorDescription: string,
    readonly errorDetails: unknown,
  ) {
    super(`charger ${stationId} answered ${action} with ${errorCode}${errorDescription ? `: ${errorDescription}` : ''}`);
    this.name = 'OcppCallError';
  }
}

/** Sends one OCPP command and returns the charger's answer (strictly validated by ocpp-rpc). */
export interface ChargerCommandTransport {
  /** `deadline` (epoch ms): past it the command is not sent at all, e.g. after its activity has timed out. */
  send(stationId: string, action: string, payload: object, options?: { deadline?: number }): Promise<unknown>;
}

export class ChargerConnections implements ChargerCommandTransport {
  private readonly live = new Map<string, LiveConnection>();
  /**
   * Commands to one charger, one at a time (OCPP allows one outstanding call per direction). Queued
   * here rather than in ocpp-rpc so a command whose deadline passed while it waited is dropped,
   * not sent late (a RemoteStart arriving after its session gave up would start a transaction).
   */
  private readonly queues = new WeakMap<LiveConnection, Promise<unknown>>();

  constructor(
    private readonly commandTimeoutMs: number,
    /** The charger's stored registration status, read before a command is refused for it. */
    private readonly storedRegistration?: (stationId: string) => Promise<RegistrationStatus | null>,
  ) {}

  get(stationId: string): LiveConnection | undefined {
    return this.live.get(stationId);
  }

  /** Holds the new connection; returns the one it replaces, if any. */
  add(connection: LiveConnection): LiveConnection | undefined {
    const previous = this.live.get(connection.stationId);
    this.live.set(connection.stationId, connection);
    connectedChargers.set(this.live.size);
    return previous;
  }

  /** Forgets the connection if it is still the current one for its charger. */
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

  async send(stationId: string, action: string, payload: object, options: { deadline?: number } = {}): Promise<unknown> {
    const connection = this.live.get(stationId);
    if (!connection) throw new ChargerNotConnectedError(stationId);
    const reload = this.storedRegistration && (() => this.storedRegistration!(stationId));
    if (!(await admits(connection.registration, (status) => centralSystemMaySend(status, action), reload))) {
      throw new ChargerNotAcceptedError(stationId, action, connection.registration.status);
    }
    const turn = (this.queues.get(connection) ?? Promise.resolve()).then(() => this.call(connection, action, payload, options.deadline));
    this.queues.set(connection, turn.catch(() => undefined));
    return turn;
  }

  private async call(connection: LiveConnection, action: string, payload: object, deadline: number | undefined): Promise<unknown> {
    const { stationId } = connection;
    const left = deadline === undefined ? Infinity : deadline - Date.now();
    if (left <= 0) throw new ChargerResponseTimeoutError(stationId, action, 0, `was not sent ${action}: its deadline passed while it waited behind another command`);
    const timeoutMs = Math.min(this.commandTimeoutMs, left);
    const started = process.hrtime.bigint();
    let result = 'ok';
    try {
      return await connection.client.call(action, payload, { callTimeoutMs: timeoutMs });
    } catch (err) {
      const mapped = this.mapError(stationId, action, err, timeoutMs);
      result =
        mapped instanceof OcppCallError
          ? mapped.errorCode
          : mapped instanceof ChargerInvalidResponseError
            ? 'invalid_response'
            : mapped instanceof ChargerResponseTimeoutError
              ? 'timeout'
              : 'not_connected';
      throw mapped;
    } finally {
      chargerCommandLatency.observe({ action, result }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  private mapError(stationId: string, action: string, err: unknown, timeoutMs: number): Error {
    if (err instanceof TimeoutError) return new ChargerResponseTimeoutError(stationId, action, timeoutMs);
    if (isInvalidCallResult(err)) return new ChargerInvalidResponseError(stationId, action, err.rpcErrorCode, err.message, err.details);
    if (err instanceof RPCError) {
      const e = err as RPCError & { rpcErrorCode: string; rpcErrorMessage?: string; details?: unknown };
      return new OcppCallError(stationId, action, e.rpcErrorCode, e.message || e.rpcErrorMessage || '', e.details ?? {});
    }
    // The socket closed before the answer came (or the call could not be sent at all).
    return new ChargerNotConnectedError(stationId, `lost its connection during ${action}: ${(err as Error)?.message ?? String(err)}`);
  }
}
