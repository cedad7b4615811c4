/**
 * The OCPP 1.6-J gateway: holds charger connections (ocpp-rpc, strict schema validation both ways),
 * authenticates chargers (security profile 1: HTTP Basic; profile 2 when TLS is configured),
 * persists what they report and forwards what matters to the session layer, records which gateway
 * holds which charger (routing, with a connection epoch), and serves the charger command
 * activities on its own Temporal task queue.
 *
 * One identity, one live connection: a new authenticated connection for a charge point id
 * replaces the old one, which is closed with code 1000 and reason "Replaced by a new connection";
 * routing moves to the new connection's (higher) epoch and the session layer sees no offline event.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Pool } from 'pg';
import { RPCServer, createRPCError } from 'ocpp-rpc';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Config } from '../config/config';
import type { Logger } from '../logger';
import { ocppMessages, registry } from '../metrics';
import { gatewayTaskQueue, type ChargerCommandActivities } from '../ocpp/charger-commands';
import { hashPassword, verifyPassword } from '../security/password';
import type { SessionEventSink } from '../sessions/session-events';
import { createChargerCommandActivities } from './commands/charger-command-activities';
import { FailedAuthLimiter, type AuthRateLimitOptions } from './auth-rate-limit';
import { ChargerConnections, type LiveConnection, type OcppConnection } from './charger-connections';
import { DataTransferRegistry } from './data-transfer-registry';
import { GatewayStore } from './gateway-store';
import { centralSystemActions, ocppHandlers, type HandlerContext } from './handlers';
import { Ocpp16Validator } from './ocpp16-validator';
import { admits, chargerMaySend, type RegistrationStatus } from './registration';

export interface GatewayDeps {
  config: Config;
  pool: Pool;
  logger: Logger;
  sessionEvents: SessionEventSink;
  /** When given, the command activities are served by a Temporal worker on gatewayTaskQueue(config.GATEWAY_ID). */
  temporal?: { connection: NativeConnection; namespace: string };
  /** Vendor DataTransfer handlers (default: none, every DataTransfer answers UnknownVendorId). */
  dataTransfers?: DataTransferRegistry;
  /**
   * How long after a connection without BootNotification the gateway asks the charger for its
   * connector statuses (TriggerMessage StatusNotification); default STATUS_TRIGGER_DELAY_MS, 0: never.
   */
  statusTriggerDelayMs?: number;
  /** Failed-authentication limits (defaults: 5 per charger id from one address, and 20 per address, in 60 s). */
  authRateLimit?: { perCharger?: AuthRateLimitOptions; perAddress?: AuthRateLimitOptions };
}

export interface RunningGateway {
  /** e.g. ws://127.0.0.1:9000/ocpp */
  url: string;
  port: number;
  gatewayId: string;
  taskQueue: string;
  /** The same implementation the activities use, callable directly. */
  commands: ChargerCommandActivities;
  dataTransfers: DataTransferRegistry;
  close(): Promise<void>;
}

const PROTOCOL = 'ocpp1.6';
/** A charger that reconnects without booting is asked for its connector statuses this long after connecting. */
export const STATUS_TRIGGER_DELAY_MS = 5_000;
const chargePointIdPattern = /^[\x21-\x7e]{1,64}$/;
/** Bad-frame error codes ocpp-rpc uses (OCPP 2.0.1 names) that OCPP 1.6 calls FormationViolation. */
const formationErrors = new Set(['RpcFrameworkError', 'MessageTypeNotSupported', 'FormatViolation']);
/** The CALLERROR codes OCPP 1.6-J §4.2.3 defines (OccurenceConstraintViolation: one 'r', kept by the 1.6 errata §5). */
const ocpp16ErrorCodes = new Set([
  'NotImplemented',
  'NotSupported',
  'InternalError',
  'ProtocolError',
  'SecurityError',
  'FormationViolation',
  'PropertyConstraintViolation',
  'OccurenceConstraintViolation',
  'TypeConstraintViolation',
  'GenericError',
]);

/** The OCPP 1.6 name for an error code ocpp-rpc may put in a CALLERROR (it also speaks OCPP 2.0.1). */
function ocpp16ErrorCode(code: string): string {
  if (ocpp16ErrorCodes.has(code)) return code;
  // ocpp-rpc turns the 1.6 spelling into the OCPP 2.x one for ocpp1.6 connections.
  if (code === 'OccurrenceConstraintViolation') return 'OccurenceConstraintViolation';
  return formationErrors.has(code) ? 'FormationViolation' : 'GenericError';
}

interface AuthSession {
  stationId: string;
  remoteAddress?: string;
  registrationStatus?: RegistrationStatus;
}

function rejectUpgrade(socket: Duplex, code: number, message: string, headers: Record<string, string> = {}): void {
  if (socket.writable) {
    const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    socket.write(
      `HTTP/1.1 ${code} ${STATUS_CODES[code]}\r\nConnection: close\r\n${extra}Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
    );
  }
  socket.destroy();
}

/** The charge point id from `${prefix}/<id>`, or undefined for any other path. */
function chargePointIdFromPath(rawUrl: string | undefined, prefix: string): string | undefined {
  try {
    const { pathname } = new URL('http://localhost' + (rawUrl || '/'));
    const base = prefix.replace(/\/+$/, '');
    if (!pathname.startsWith(base + '/')) return undefined;
    const rest = pathname.slice(base.length + 1);
    if (rest.includes('/')) return undefined;
    const id = decodeURIComponent(rest);
    return chargePointIdPattern.test(id) && !id.includes('/') ? id : undefined;
  } catch {
    return undefined;
  }
}

export async function startGateway(deps: GatewayDeps): Promise<RunningGateway> {
  const { config, logger, sessionEvents } = deps;
  const gatewayId = config.GATEWAY_ID;
  const taskQueue = gatewayTaskQueue(gatewayId);
  const store = new GatewayStore(deps.pool);
  // A gateway that crashed (or lost PostgreSQL before it could say goodbye) left its chargers
  // marked online; none of them is connected to this new process yet.
  await store.markGatewayOffline(gatewayId);
  const dataTransfers = deps.dataTransfers ?? new DataTransferRegistry();
  const connections = new ChargerConnections(config.GATEWAY_COMMAND_TIMEOUT_MS, (stationId) => store.registrationStatus(stationId));
  const commands = createChargerCommandActivities({ transport: connections });
  const perCharger = new FailedAuthLimiter(deps.authRateLimit?.perCharger ?? { maxFailures: 5, windowMs: 60_000 });
  const perAddress = new FailedAuthLimiter(deps.authRateLimit?.perAddress ?? { maxFailures: 20, windowMs: 60_000 });
  // Every upgrade attempt counts here, successful or not: a connection flood from one address.
  const connectsPerAddress = new FailedAuthLimiter({ maxFailures: config.GATEWAY_CONNECTS_PER_ADDRESS_PER_MINUTE, windowMs: 60_000 });
  const pending = new Set<Promise<unknown>>();
  let closing: Promise<void> | undefined;

  /** Background work (routing, connection events) that close() waits for; failures are logged, never thrown. */
  const track = (what: string, work: Promise<unknown>): void => {
    const p = work.catch((err) => logger.error({ err }, `gateway: ${what} failed`));
    pending.add(p);
    void p.finally(() => pending.delete(p));
  };

  const rpc = new RPCServer({
    protocols: [PROTOCOL],
    strictMode: true,
    // OCPP-J 1.6 error codes for schema violations (ocpp-rpc's own validator uses FormatViolation for most).
    strictModeValidators: [new Ocpp16Validator()],
    callTimeoutMs: config.GATEWAY_COMMAND_TIMEOUT_MS,
    callConcurrency: 1,
    // A charger that vanishes without closing its socket misses a pong and is dropped within one heartbeat interval.
    pingIntervalMs: Math.max(250, Math.floor((config.GATEWAY_HEARTBEAT_INTERVAL_S * 1000) / 2)),
    respondWithDetailedErrors: false,
    wssOptions: { maxPayload: config.GATEWAY_MAX_FRAME_BYTES },
  } as unknown as ConstructorParameters<typeof RPCServer>[0]);
  rpc.on('error', (err: Error) => logger.error({ err }, 'gateway: websocket server error'));

  rpc.auth(async (accept: (session?: AuthSession, protocol?: string) => void, reject: (code: number, message: string) => void, handshake: any) => {
    const stationId: string = handshake.identity;
    const remoteAddress: string = handshake.remoteAddress ?? 'unknown';
    const log = logger.child({ stationId, remoteAddress });
    try {
      if (connectsPerAddress.isLimited([remoteAddress])) {
        log.warn('connection refused: too many connection attempts from this address');
        return reject(429, 'Too many connection attempts from this address');
      }
      connectsPerAddress.recordFailure([remoteAddress]);
      if (!(handshake.protocols as Set<string>).has(PROTOCOL)) {
        log.info('connection refused: the ocpp1.6 subprotocol was not offered');
        return reject(400, `Sec-WebSocket-Protocol must offer ${PROTOCOL}`);
      }
      // Per charger id *from this address*: guesses from elsewhere cannot lock the charger itself out.
      const chargerKey = [`${stationId} ${remoteAddress}`];
      const addressKey = [remoteAddress];
      if (perCharger.isLimited(chargerKey) || perAddress.isLimited(addressKey)) {
        log.warn('connection refused: too many failed authentication attempts');
        return reject(429, 'Too many failed authentication attempts');
      }
      const password: string | undefined = handshake.password ? (handshake.password as Buffer).toString('utf8') : undefined;
      const fail = async (reason: string) => {
        perCharger.recordFailure(chargerKey);
        perAddress.recordFailure(addressKey);
        log.warn({ reason }, 'charger authentication failed');
        reject(401, 'Unauthorized');
        await store.recordConnectionEvent({ stationId, gatewayId, epoch: 0, event: 'auth_failed', reason, remoteAddress }).catch((err) => log.error({ err }, 'could not record auth failure'));
      };
      let charger = await store.chargerCredentials(stationId);
      if (!charger) {
        if (!config.GATEWAY_AUTO_REGISTER) return await fail('unknown charger');
        if (!password) return await fail('no password (auto-registration needs one)');
        await store.registerPendingCharger(stationId, await hashPassword(password));
        log.info('unknown charger auto-registered as Pending');
        charger = await store.chargerCredentials(stationId);
        if (!charger) return await fail('auto-registration failed');
      }
      if (!password) return await fail('no password');
      if (!charger.passwordHash || !(await verifyPassword(password, charger.passwordHash))) return await fail('wrong password');
      accept({ stationId, remoteAddress, registrationStatus: charger.registrationStatus }, PROTOCOL);
    } catch (err) {
      log.error({ err }, 'charger authentication error');
      reject(500, 'Internal error');
    }
  });

  function attach(client: OcppConnection & { session?: AuthSession; handshake?: { remoteAddress?: string } }): void {
    const stationId = client.identity;
    const remoteAddress = client.session?.remoteAddress ?? client.handshake?.remoteAddress;
    const log = logger.child({ stationId });
    const registration = { status: client.session?.registrationStatus ?? 'Pending' };
    const connection: LiveConnection = { stationId, client, remoteAddress, registration, epoch: store.newConnectionEpoch() };
    connection.epoch.catch(() => undefined);
    const previous = connections.add(connection);

    client.on('error', (err: Error) => log.warn({ err }, 'charger connection error'));
    client.on('socketError', (err: Error & { code?: string }) => {
      // ws closes the connection with 1009 after a frame above GATEWAY_MAX_FRAME_BYTES.
      if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
        log.warn({ maxFrameBytes: config.GATEWAY_MAX_FRAME_BYTES }, 'charger sent a frame above GATEWAY_MAX_FRAME_BYTES: connection closed (1009)');
      } else log.info({ err }, 'charger socket error');
    });
    client.on('callResult', ({ method }: { method: string }) => ocppMessages.inc({ action: actionLabel(method), result: 'ok' }));
    client.on('callError', ({ method, error }: { method: string; error: { rpcErrorCode?: string } }) =>
      ocppMessages.inc({ action: actionLabel(method), result: error?.rpcErrorCode ?? 'GenericError' }),
    );
    client.on('badMessage', ({ error, response }: { error: Error & { rpcErrorCode?: string }; response: unknown[] | null }) => {
      // OCPP 1.6-J: a frame that is not JSON or not a well-formed message is a FormationViolation.
      if (response) response[2] = ocpp16ErrorCode(String(response[2]));
      ocppMessages.inc({ action: 'invalid_frame', result: response ? String(response[2]) : 'ignored' });
      log.info({ err: error }, 'malformed frame from charger');
    });
    // Replies to well-formed CALLs can carry ocpp-rpc's own codes too (a second CALL with the id of one
    // still being processed is answered RpcFrameworkError): the payload is rewritten before it is sent.
    client.on('response', ({ outbound, payload }: { outbound: boolean; payload: unknown[] }) => {
      if (outbound && payload[0] === 4) payload[2] = ocpp16ErrorCode(String(payload[2]));
    });
    client.on('strictValidationFailure', (e: { method: string; outbound: boolean; error: Error }) => {
      if (e.outbound) log.error({ method: e.method, err: e.error }, 'gateway message failed OCPP schema validation');
      else log.info({ method: e.method, err: e.error }, 'charger message failed OCPP schema validation');
    });

    const ctx: HandlerContext = { stationId, registration, config, store, sessionEvents, dataTransfers, logger: log };
    for (const [action, handler] of Object.entries(ocppHandlers)) {
      client.handle(action, async ({ params }: { params: unknown }) => {
        // What a Pending or Rejected charger may send: src/gateway/registration.ts.
        if (!(await admits(registration, (status) => chargerMaySend(status, action), () => store.registrationStatus(stationId)))) {
          log.info({ action, registrationStatus: registration.status }, 'OCPP message refused: the charger is not Accepted');
          throw createRPCError('SecurityError', `${action} is not accepted from a charge point whose registration is ${registration.status}`, {});
        }
        try {
          return await handler(ctx, params);
        } catch (err) {
          if (isUnstorableValue(err)) {
            // Valid by the OCPP schema, but not storable (NUL in a string, an integer beyond 32 bits, a
            // connector id below 0): the charger's data is at fault, so retrying the message cannot help.
            log.warn({ err, action }, 'OCPP message with a value the central system cannot store');
            throw createRPCError('PropertyConstraintViolation', 'A value in the message is outside what the central system accepts', {});
          }
          log.error({ err, action }, 'OCPP message could not be processed');
          throw createRPCError('InternalError', 'The central system could not process the message', {});
        }
      });
    }
    // Recognised OCPP 1.6 actions that only the central system sends.
    for (const action of centralSystemActions) {
      client.handle(action, () => {
        throw createRPCError('NotSupported', `${action} is sent by the central system, not by a charge point`, {});
      });
    }

    client.on('close', ({ code, reason }: { code?: number; reason?: string }) => track('disconnect', onClosed(connection, code, reason)));
    if (previous) track('replacement', replace(previous));
    track('connect', onConnected(connection));

    // markOffline left the connectors Unknown; a charger that reconnects without booting may not report them again.
    let booted = false;
    client.on('call', ({ outbound, payload }: { outbound: boolean; payload: unknown[] }) => {
      if (!outbound && payload[2] === 'BootNotification') booted = true;
    });
    const statusTriggerDelayMs = deps.statusTriggerDelayMs ?? STATUS_TRIGGER_DELAY_MS;
    if (statusTriggerDelayMs > 0) {
      const timer = setTimeout(() => {
        if (!booted && connections.isCurrent(connection) && !closing) track('status request', requestStatuses(stationId));
      }, statusTriggerDelayMs);
      timer.unref();
      client.on('close', () => clearTimeout(timer));
    }
  }

  /** Best effort: TriggerMessage(StatusNotification) for every connector; a failure is logged. */
  async function requestStatuses(stationId: string): Promise<void> {
    try {
      const { status } = await commands.triggerMessage({ stationId, requestedMessage: 'StatusNotification' });
      logger.info({ stationId, status }, 'no BootNotification after connecting: asked the charger for StatusNotification');
    } catch (err) {
      logger.warn({ err, stationId }, 'no BootNotification after connecting: could not ask the charger for StatusNotification');
    }
  }

  async function replace(previous: LiveConnection): Promise<void> {
    logger.info({ stationId: previous.stationId }, 'charger connection replaced by a new one');
    await closeConnection(previous, 1000, 'Replaced by a new connection');
    const epoch = await previous.epoch;
    await store.recordConnectionEvent({ stationId: previous.stationId, gatewayId, epoch, event: 'replaced', remoteAddress: previous.remoteAddress });
  }

  async function onConnected(connection: LiveConnection): Promise<void> {
    let epoch: number;
    try {
      epoch = await connection.epoch;
    } catch (err) {
      logger.error({ err, stationId: connection.stationId }, 'could not record the connection: closing it');
      await closeConnection(connection, 1011, 'Central system unavailable');
      return;
    }
    const routed = await store.markOnline(connection.stationId, gatewayId, epoch);
    await store.recordConnectionEvent({ stationId: connection.stationId, gatewayId, epoch, event: 'connected', remoteAddress: connection.remoteAddress });
    logger.info({ stationId: connection.stationId, epoch, routed }, 'charger connected');
    if (routed && connections.isCurrent(connection)) await notifySessions(connection.stationId, true, epoch);
  }

  async function onClosed(connection: LiveConnection, code?: number, reason?: string): Promise<void> {
    const current = connections.remove(connection);
    const epoch = await connection.epoch;
    await store.recordConnectionEvent({
      stationId: connection.stationId,
      gatewayId,
      epoch,
      event: 'disconnected',
      reason: `${code ?? ''} ${reason ?? ''}`.trim() || undefined,
      remoteAddress: connection.remoteAddress,
    });
    logger.info({ stationId: connection.stationId, epoch, code, reason }, 'charger disconnected');
    // A replaced connection leaves routing to its successor.
    if (!current) return;
    if (await store.markOffline(connection.stationId, epoch)) await notifySessions(connection.stationId, false, epoch);
  }

  async function notifySessions(stationId: string, online: boolean, connectionEpoch: number): Promise<void> {
    const at = new Date().toISOString();
    for (const s of await store.activeSessions(stationId)) {
      await sessionEvents
        .chargerConnection({ sessionId: s.sessionId, stationId, online, connectionEpoch, at })
        .catch((err) => logger.error({ err, stationId, sessionId: s.sessionId }, 'could not forward the charger connection event'));
    }
  }

  async function closeConnection(connection: LiveConnection, code: number, reason: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const graceful = connection.client.close({ code, reason }).catch(() => undefined);
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), 2000);
    });
    const outcome = await Promise.race([graceful, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') await connection.client.close({ force: true }).catch(() => undefined);
  }

  rpc.on('client', (client: any) => {
    try {
      attach(client);
    } catch (err) {
      logger.error({ err }, 'could not attach a charger connection');
      void client.close({ force: true }).catch(() => undefined);
    }
  });

  // Worker first: a gateway that cannot serve commands should not accept chargers.
  let worker: Worker | undefined;
  let workerRunning: Promise<void> | undefined;
  if (deps.temporal) {
    const { Worker } = await import('@temporalio/worker');
    worker = await Worker.create({
      connection: deps.temporal.connection,
      namespace: deps.temporal.namespace,
      taskQueue,
      activities: commands as unknown as Record<string, (...args: any[]) => Promise<unknown>>,
    });
    workerRunning = worker.run().catch((err) => logger.error({ err }, 'gateway command worker stopped with an error'));
  }

  const tls = Boolean(config.GATEWAY_TLS_CERT_FILE && config.GATEWAY_TLS_KEY_FILE);
  const notWebSocket = (req: IncomingMessage, res: import('node:http').ServerResponse) => {
    // A gateway running as its own process is scraped here: its OCPP and command series live in this process.
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      registry.metrics().then(
        (text) => (res.setHeader('Content-Type', registry.contentType), res.end(text)),
        (err: unknown) => (logger.error({ err }, 'gateway /metrics failed'), (res.statusCode = 500), res.end()),
      );
      return;
    }
    res.statusCode = 426;
    res.setHeader('Upgrade', 'websocket');
    res.end('OCPP 1.6-J WebSocket endpoint');
  };
  let httpServer: Server;
  try {
    httpServer = tls
      ? createHttpsServer({ cert: readFileSync(config.GATEWAY_TLS_CERT_FILE!), key: readFileSync(config.GATEWAY_TLS_KEY_FILE!) }, notWebSocket)
      : createHttpServer(notWebSocket);
  } catch (err) {
    worker?.shutdown();
    await workerRunning;
    throw err;
  }
  httpServer.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    if (closing) return rejectUpgrade(socket, 503, 'Gateway shutting down');
    if (!chargePointIdFromPath(req.url, config.GATEWAY_PATH_PREFIX)) {
      return rejectUpgrade(socket, 404, `Not found: connect to ${config.GATEWAY_PATH_PREFIX.replace(/\/+$/, '')}/<chargePointId>`);
    }
    if (!req.headers.authorization) {
      // Security profile 1 (OCPP-J 1.6 §7, HTTP Basic): a request without credentials is challenged,
      // not counted as a failed login; it is still a connection attempt from its address.
      const address = req.socket.remoteAddress ?? 'unknown';
      if (connectsPerAddress.isLimited([address])) return rejectUpgrade(socket, 429, 'Too many connection attempts from this address');
      connectsPerAddress.recordFailure([address]);
      return rejectUpgrade(socket, 401, 'Unauthorized', { 'WWW-Authenticate': 'Basic realm="ocpp"' });
    }
    Promise.resolve(rpc.handleUpgrade(req, socket as never, head)).catch((err: unknown) => {
      logger.error({ err }, 'websocket upgrade failed');
      rejectUpgrade(socket, 500, 'Internal error');
    });
  });
  httpServer.on('clientError', (_err, socket) => socket.destroy());

  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(config.GATEWAY_PORT, config.GATEWAY_HOST, () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    worker?.shutdown();
    await workerRunning;
    throw err;
  }
  httpServer.on('error', (err) => logger.error({ err }, 'gateway server error'));
  const port = (httpServer.address() as AddressInfo).port;
  const host = config.GATEWAY_HOST === '0.0.0.0' || config.GATEWAY_HOST === '::' ? '127.0.0.1' : config.GATEWAY_HOST;
  const url = `${tls ? 'wss' : 'ws'}://${host.includes(':') ? `[${host}]` : host}:${port}${config.GATEWAY_PATH_PREFIX.replace(/\/+$/, '')}`;
  logger.info({ url, gatewayId, taskQueue, tls, temporal: Boolean(worker) }, 'OCPP gateway listening');

  async function shutdown(): Promise<void> {
    worker?.shutdown();
    const stopped = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    await Promise.all(connections.all().map((c) => closeConnection(c, 1001, 'Gateway shutting down')));
    await rpc.close({ code: 1001, reason: 'Gateway shutting down', force: true });
    httpServer.closeAllConnections();
    await stopped;
    while (pending.size > 0) await Promise.all([...pending]);
    await store.markGatewayOffline(gatewayId).catch((err) => logger.error({ err }, 'could not mark chargers offline'));
    await workerRunning;
    logger.info({ gatewayId }, 'OCPP gateway stopped');
  }

  return {
    url,
    port,
    gatewayId,
    taskQueue,
    commands,
    dataTransfers,
    close() {
      closing ??= shutdown();
      return closing;
    },
  };
}

/**
 * PostgreSQL refused a value itself, not the operation: data exceptions (SQLSTATE class 22: out of
 * range, invalid byte sequence, bad datetime) and check constraints (23514).
 */
function isUnstorableValue(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('22') || code === '23514');
}

const knownActions = new Set(Object.keys(ocppHandlers));
/** Metric label: unknown action names are not used as labels (a charger could send any string). */
function actionLabel(method: string): string {
  return knownActions.has(method) ? method : 'unknown';
}
