/**
 * The OCPP gateway: holds station connections, authenticates them, serves each protocol
 * version's message handlers, records which gateway holds which station (routing, by connection
 * epoch), and serves the charger command activities on its own Temporal task queue. This file
 * only puts the parts together; each part is a module of its own:
 *
 * - connection/: HTTP server and upgrade gate, authentication, live connections and the command
 *   transport, the lifecycle (one identity one connection, epochs, routing), frame-level events;
 * - handlers/: one folder per protocol version, one handler per message, registered in a table;
 * - rules/: registration, id tag authorization, which session a transaction belongs to;
 * - storage/: the ports in domain words and their PostgreSQL implementations;
 * - forwarding/: the session outbox forwarder (MeterValues reach their workflow after the answer);
 * - commands/: the charger command activities and their one error vocabulary.
 */
import type { Pool } from 'pg';
import { RPCServer } from 'ocpp-rpc';
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { Config } from '../config/config';
import type { Logger } from '../logger';
import { gatewayTaskQueue, type ChargerCommandActivities } from '../ocpp/charger-commands';
import type { SessionEventSink } from '../sessions/session-events';
import { ignoredStationEvents, type StationEventSink } from '../stations/station-events';
import { createChargerCommandActivities } from './commands/charger-command-activities';
import { FailedAuthLimiter, type AuthRateLimitOptions } from './connection/auth-rate-limit';
import { createAuthenticator } from './connection/authenticate';
import { watchFrames } from './connection/frame-events';
import { startHttpServer } from './connection/http-server';
import { ConnectionLifecycle } from './connection/lifecycle';
import { LiveConnections } from './connection/live-connections';
import type { StationClient } from './connection/station-client';
import { requestStatusesUnlessBooted } from './connection/status-trigger';
import { DataTransferRegistry } from './data-transfer-registry';
import { SessionOutboxForwarder, type SessionOutboxForwarderOptions } from './forwarding/session-outbox-forwarder';
import type { HandlerContext } from './handlers/handler';
import type { ProtocolVersion } from './handlers/protocol-version';
import { serveMessages } from './handlers/serve';
import { ocpp16 } from './handlers/v16';
import { ocpp201 } from './handlers/v201';
import { createPgGatewayStorage } from './storage';
import type { GatewayStorage } from './storage/ports';

export interface GatewayDeps {
  config: Config;
  pool: Pool;
  logger: Logger;
  sessionEvents: SessionEventSink;
  /** Station-level events (configuration reconciliation after boot / reconnect); default: none forwarded. */
  stationEvents?: StationEventSink;
  /** When given, the command activities are served by a Temporal worker on gatewayTaskQueue(config.GATEWAY_ID). */
  temporal?: { connection: NativeConnection; namespace: string };
  /** Vendor DataTransfer handlers (default: none, every DataTransfer answers UnknownVendorId). */
  dataTransfers?: DataTransferRegistry;
  /**
   * How long after a connection without BootNotification the gateway asks the station for its
   * connector statuses (TriggerMessage StatusNotification); default STATUS_TRIGGER_DELAY_MS, 0: never.
   */
  statusTriggerDelayMs?: number;
  /** Failed-authentication limits (defaults: 5 per station id from one address, and 20 per address, in 60 s). */
  authRateLimit?: { perCharger?: AuthRateLimitOptions; perAddress?: AuthRateLimitOptions };
  /** Session outbox forwarder tuning (tests shorten its sweep and backoff). */
  outbox?: Partial<SessionOutboxForwarderOptions>;
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

/** A station that reconnects without booting is asked for its connector statuses this long after connecting. */
export const STATUS_TRIGGER_DELAY_MS = 5_000;

/** The protocol versions this gateway speaks, by WebSocket subprotocol; the first one a station offers wins (2.0.1 before 1.6). */
const versions: readonly ProtocolVersion[] = [ocpp201, ocpp16];

export async function startGateway(deps: GatewayDeps): Promise<RunningGateway> {
  const { config, logger } = deps;
  const gatewayId = config.GATEWAY_ID;
  const taskQueue = gatewayTaskQueue(gatewayId);
  const storage = createPgGatewayStorage(deps.pool);
  // A gateway that crashed (or lost PostgreSQL before it could say goodbye) left its stations
  // marked online; none of them is connected to this new process yet.
  await storage.routes.markGatewayOffline(gatewayId);
  const dataTransfers = deps.dataTransfers ?? new DataTransferRegistry();
  const connections = new LiveConnections(config.GATEWAY_COMMAND_TIMEOUT_MS, storage);
  const commands = createChargerCommandActivities({ transport: connections });
  const outbox = new SessionOutboxForwarder(storage.outbox, deps.sessionEvents, logger, deps.outbox);
  const work = backgroundWork(logger);
  let closing: Promise<void> | undefined;
  const lifecycle = new ConnectionLifecycle({ gatewayId, connections, routes: storage.routes, sessions: storage.sessions, sessionEvents: deps.sessionEvents, logger, track: work.track });
  const connectsPerAddress = new FailedAuthLimiter({ maxFailures: config.GATEWAY_CONNECTS_PER_ADDRESS_PER_MINUTE, windowMs: 60_000 });
  const rpc = createRpcServer(deps, storage, connectsPerAddress);
  rpc.on('client', attacher({ deps, storage, outbox, dataTransfers, connections, commands, lifecycle, track: work.track, closing: () => Boolean(closing) }));

  // Worker first: a gateway that cannot serve commands should not accept stations.
  const worker = deps.temporal ? await startCommandWorker(deps.temporal, taskQueue, commands) : undefined;
  const workerRunning = worker?.run().catch((err) => logger.error({ err }, 'gateway command worker stopped with an error'));
  const gate = { pathPrefix: config.GATEWAY_PATH_PREFIX, connectsPerAddress, closing: () => Boolean(closing) };
  let http: Awaited<ReturnType<typeof startHttpServer>>;
  try {
    http = await startHttpServer(config, logger, gate, (req, socket, head) => rpc.handleUpgrade(req, socket, head));
  } catch (err) {
    worker?.shutdown();
    await workerRunning;
    throw err;
  }
  const { server } = http;
  outbox.start(); // readings an earlier process acknowledged but did not deliver go first
  logger.info({ url: http.url, gatewayId, taskQueue, tls: http.tls, temporal: Boolean(worker) }, 'OCPP gateway listening');

  async function shutdown(): Promise<void> {
    worker?.shutdown();
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    await Promise.all(connections.all().map((c) => lifecycle.close(c, 1001, 'Gateway shutting down')));
    await rpc.close({ code: 1001, reason: 'Gateway shutting down', force: true });
    server.closeAllConnections();
    await stopped;
    await work.drain();
    await outbox.close();
    await storage.routes.markGatewayOffline(gatewayId).catch((err) => logger.error({ err }, 'could not mark chargers offline'));
    await workerRunning;
    logger.info({ gatewayId }, 'OCPP gateway stopped');
  }

  return {
    url: http.url,
    port: http.port,
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

/** Background work (routing, connection events) that shutdown waits for; failures are logged, never thrown. */
function backgroundWork(logger: Logger) {
  const pending = new Set<Promise<unknown>>();
  return {
    track(what: string, work: Promise<unknown>): void {
      const p = work.catch((err) => logger.error({ err }, `gateway: ${what} failed`));
      pending.add(p);
      void p.finally(() => pending.delete(p));
    },
    async drain(): Promise<void> {
      while (pending.size > 0) await Promise.all([...pending]);
    },
  };
}

/** ocpp-rpc's server: every version's subprotocol and validator, strict both ways, and the authenticator. */
function createRpcServer(deps: GatewayDeps, storage: GatewayStorage, connectsPerAddress: FailedAuthLimiter): RPCServer {
  const { config, logger } = deps;
  const rpc = new RPCServer({
    protocols: versions.map((v) => v.subprotocol),
    strictMode: true,
    // Each version's error codes for schema violations (ocpp-rpc's own validator uses FormatViolation for most).
    strictModeValidators: versions.map((v) => v.validator()),
    callTimeoutMs: config.GATEWAY_COMMAND_TIMEOUT_MS,
    callConcurrency: 1,
    // A station that vanishes without closing its socket misses a pong and is dropped within one heartbeat interval.
    pingIntervalMs: Math.max(250, Math.floor((config.GATEWAY_HEARTBEAT_INTERVAL_S * 1000) / 2)),
    respondWithDetailedErrors: false,
    wssOptions: { maxPayload: config.GATEWAY_MAX_FRAME_BYTES },
  });
  rpc.on('error', (err: Error) => logger.error({ err }, 'gateway: websocket server error'));
  rpc.auth(
    createAuthenticator({
      gatewayId: config.GATEWAY_ID,
      subprotocols: versions.map((v) => v.subprotocol),
      autoRegister: config.GATEWAY_AUTO_REGISTER,
      stations: storage.stations,
      routes: storage.routes,
      connectsPerAddress,
      limits: deps.authRateLimit,
      logger,
    }),
  );
  return rpc;
}

interface AttachDeps {
  deps: GatewayDeps;
  storage: GatewayStorage;
  outbox: SessionOutboxForwarder;
  dataTransfers: DataTransferRegistry;
  connections: LiveConnections;
  commands: ChargerCommandActivities;
  lifecycle: ConnectionLifecycle;
  track(what: string, work: Promise<unknown>): void;
  closing(): boolean;
}

/** What happens to every authenticated connection: frames watched, its version's handlers served, held and routed. */
function attacher({ deps, storage, outbox, dataTransfers, connections, commands, lifecycle, track, closing }: AttachDeps): (client: StationClient) => void {
  const { config, logger } = deps;
  return (client) => {
    try {
      attach(client);
    } catch (err) {
      logger.error({ err }, 'could not attach a charger connection');
      void client.close({ force: true }).catch(() => undefined);
    }
  };

  function attach(client: StationClient): void {
    const stationId = client.identity;
    const version = versions.find((v) => v.subprotocol === client.protocol) ?? versions[0];
    const log = logger.child({ stationId });
    const registration = { status: client.session?.registrationStatus ?? 'Pending' };
    watchFrames(client, version, log, config.GATEWAY_MAX_FRAME_BYTES);
    const stationEvents = deps.stationEvents ?? ignoredStationEvents;
    const ctx: HandlerContext = { stationId, registration, storage, sessionEvents: deps.sessionEvents, sessionOutbox: outbox, stationEvents, dataTransfers, heartbeatIntervalS: config.GATEWAY_HEARTBEAT_INTERVAL_S, logger: log };
    serveMessages(client, ctx, version, () => storage.stations.registrationStatus(stationId));
    const remoteAddress = client.session?.remoteAddress ?? client.handshake?.remoteAddress;
    const connection = lifecycle.open({ stationId, client, version, remoteAddress, registration });
    requestStatusesUnlessBooted(client, stationId, {
      delayMs: deps.statusTriggerDelayMs ?? STATUS_TRIGGER_DELAY_MS,
      commands,
      stationEvents,
      stillCurrent: () => connections.isCurrent(connection) && !closing(),
      logger,
      track,
    });
  }
}

async function startCommandWorker(temporal: NonNullable<GatewayDeps['temporal']>, taskQueue: string, commands: ChargerCommandActivities): Promise<Worker> {
  const { Worker } = await import('@temporalio/worker');
  return Worker.create({ connection: temporal.connection, namespace: temporal.namespace, taskQueue, activities: { ...commands } });
}
