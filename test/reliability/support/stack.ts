/**
 * The whole stack in one test process, as in test/api/session-flow.stack.test.ts: a
 * time-skipping Temporal server, the session worker, the real gateway, the real API over HTTP,
 * PostgreSQL, and simulated chargers. One per test file.
 *
 * Unlike that test, the API and the gateway get a plain client on the test server's connection,
 * so time passes at wall-clock speed: env.client skips time whenever it waits for a workflow
 * result (the API waits for command workflows), which jumps running sessions years ahead until
 * the test server times them out. Tests that want to skip time use env.client or env.sleep.
 */
import { Client, Connection } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Logger } from 'pino';
import { loadConfig } from '../../../src/config/config';
import { sessionTimingsFromConfig } from '../../../src/sessions/session-timings';
import { createLogger } from '../../../src/logger';
import { ChargerCommandService, SessionService } from '../../../src/sessions/session-service';
import { createTemporalSessionEventSink } from '../../../src/sessions/temporal-session-events';
import { DiagnosticsService } from '../../../src/stations/diagnostics-service';
import { FirmwareService } from '../../../src/stations/firmware-service';
import { ReservationService } from '../../../src/reservations/reservation-service';
import { SiteService } from '../../../src/sites/site-service';
import { siteTimingsFromConfig } from '../../../src/sites/site-timings';
import { createTemporalSiteLoadManager } from '../../../src/sites/temporal-site-load-manager';
import { createTemporalStationEventSink } from '../../../src/stations/temporal-station-events';
import { createLocalListWaker } from '../../../src/stations/temporal-local-list-sync';
import { createSessionWorker } from '../../../src/worker/session-worker';
import { startGateway, type GatewayDeps, type RunningGateway } from '../../../src/gateway/gateway';
import { SimulatedChargePoint, type SimulatedChargePointOptions } from '../../../src/simulator/charge-point';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createTimeSkippingEnv, workflowBundle } from '../../support/temporal';
import { startTestApi, type ApiResponse, type TestApi } from '../../api/support/api-harness';
import { TcpLink } from './tcp-link';
import { gatewayCallDeadlineMs } from '../../../src/temporal/gateway-calls';
import type { PaymentProvider } from '../../../src/payments/payment-provider';
import { PaymentService } from '../../../src/payments/payment-service';
import { cardPaymentFor } from '../../../src/payments/card-payment';

export const chargerPassword = 'reliability-charger-pass';

export interface Stack {
  env: TestWorkflowEnvironment;
  db: TestDatabase;
  api: TestApi;
  gateway: RunningGateway;
  /** With `gatewayTemporalLink`: the connection the gateway's session events take to Temporal, to cut and restore. */
  temporalLink?: TcpLink;
  logger: Logger;
  /** Registers a charger through the operator API. */
  addCharger(id: string, connectors?: number): Promise<void>;
  /** A connected (booted) simulated charger. */
  connectCharger(id: string, options?: Partial<SimulatedChargePointOptions>): Promise<SimulatedChargePoint>;
  /** Polls until `probe` answers something `accept` takes. */
  eventually<T>(what: string, probe: () => Promise<T>, accept: (v: T) => boolean, timeoutMs?: number): Promise<T>;
  /** The receipt of a session once it is issued (as its driver or the operator). */
  receipt(sessionId: string, token?: string, timeoutMs?: number): Promise<any>;
  /** The session a charger's transaction belongs to. */
  sessionOfTransaction(transactionId: number): Promise<string>;
  /**
   * Stops the gateway (its chargers see the connection close), waits `downMs`, and starts a new one
   * with the same id and port, as a redeploy does. `stack.gateway` is the new one afterwards.
   */
  restartGateway(downMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  name: string;
  env?: Record<string, string>;
  /** Where the log lines of the whole stack go (default: nowhere). */
  logger?: Logger;
  /** The gateway signals the session workflows over a TcpLink (stack.temporalLink); the API and worker stay direct. */
  gatewayTemporalLink?: boolean;
  /** Passed to the gateway (e.g. outbox sweep and backoff). */
  gatewayOutbox?: GatewayDeps['outbox'];
  /** Forward station events (configuration reconciliation after boot / reconnect) to Temporal; default off. */
  stationEvents?: boolean;
  /** The gateway's delay before a connection without BootNotification counts as a reconnect (default 5 s). */
  statusTriggerDelayMs?: number;
  /** Card payments through this provider (test/support/stripe.ts: Stripe on localstripe); default none. */
  payments?: PaymentProvider;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const env = await createTimeSkippingEnv();
  const db = await createTestDatabase();
  const config = loadConfig({
    LOG_LEVEL: 'silent',
    API_HOST: '127.0.0.1',
    API_PORT: '0',
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: '0',
    GATEWAY_ID: `gw-${options.name}`,
    TEMPORAL_TASK_QUEUE: `${options.name}-sessions`,
    API_START_WAIT_MS: '10000',
    API_STOP_WAIT_MS: '10000',
    ...options.env,
  });
  const logger = options.logger ?? createLogger(config);
  const namespace = config.TEMPORAL_NAMESPACE;
  const worker = await createSessionWorker({
    connection: env.nativeConnection,
    namespace,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    pool: db.pool,
    logger,
    config,
    workflowBundle: await workflowBundle(),
    payments: options.payments ?? null,
  });
  const workerRunning = worker.run();
  const cardPayments = options.payments ? { provider: options.payments.name } : undefined;
  const client = new Client({ connection: env.connection, namespace });
  const temporalLink = options.gatewayTemporalLink ? await TcpLink.open(env.address) : undefined;
  const linkConnection = temporalLink ? await Connection.connect({ address: temporalLink.address }) : undefined;
  const gatewayClient = linkConnection ? new Client({ connection: linkConnection, namespace }) : client;
  const sessionEvents = createTemporalSessionEventSink({
    client: gatewayClient,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    timings: sessionTimingsFromConfig(config),
    searchAttributes: false,
    ...(cardPayments ? { cardPaymentFor: (driverId: string | null) => cardPaymentFor(db.pool, config, driverId, cardPayments) } : {}),
  });
  const stationEvents = options.stationEvents ? createTemporalStationEventSink({ client: gatewayClient, taskQueue: config.TEMPORAL_TASK_QUEUE, config, searchAttributes: false }) : undefined;
  const gatewayDeps = { pool: db.pool, logger, sessionEvents, stationEvents, statusTriggerDelayMs: options.statusTriggerDelayMs, outbox: options.gatewayOutbox, temporal: { connection: env.nativeConnection, namespace } };
  const gateway = await startGateway({ config, ...gatewayDeps });
  // The time-skipping server has no custom search attributes registered.
  const deps = { client, pool: db.pool, config, logger, searchAttributes: false, ...(cardPayments ? { cardPayments } : {}) };
  let apiUrl = '';
  const api = await startTestApi({
    db,
    sessions: new SessionService(deps),
    chargerCommands: new ChargerCommandService(deps),
    firmware: new FirmwareService(deps),
    reservations: new ReservationService(deps),
    // Stations upload diagnostics to this API, whose port is known once it listens.
    diagnostics: new DiagnosticsService({ ...deps, publicUrl: () => apiUrl }),
    sites: new SiteService({ pool: db.pool, loadManager: createTemporalSiteLoadManager({ client, taskQueue: config.TEMPORAL_TASK_QUEUE, timings: siteTimingsFromConfig(config) }) }),
    temporalClient: client,
    localListWaker: createLocalListWaker({ client, taskQueue: config.TEMPORAL_TASK_QUEUE, config, searchAttributes: false }),
    ...(options.payments ? { payments: new PaymentService({ pool: db.pool, provider: options.payments }) } : {}),
    env: { API_START_WAIT_MS: '10000', API_STOP_WAIT_MS: '10000', ...options.env },
  });
  apiUrl = api.url;
  const chargers: SimulatedChargePoint[] = [];

  const eventually: Stack['eventually'] = async (what, probe, accept, timeoutMs = 15_000) => {
    const deadline = Date.now() + timeoutMs;
    let last: unknown;
    for (;;) {
      last = await probe();
      if (accept(last as never)) return last as never;
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; last: ${JSON.stringify(last)?.slice(0, 500)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const stack: Stack = {
    env,
    db,
    api,
    gateway,
    temporalLink,
    logger,
    async addCharger(id, connectors = 1) {
      const res = await api.call('POST', '/v1/operator/chargers', { body: { stationId: id, password: chargerPassword, connectors } });
      if (res.status !== 201) throw new Error(`registering ${id}: ${res.status} ${res.text}`);
    },
    async connectCharger(id, opts = {}) {
      const cp = new SimulatedChargePoint({ url: gateway.url, chargePointId: id, password: chargerPassword, ...opts });
      chargers.push(cp);
      await cp.connect();
      return cp;
    },
    eventually,
    async receipt(sessionId, token, timeoutMs) {
      const res: ApiResponse = await eventually(
        `the receipt of ${sessionId}`,
        () => api.call('GET', `/v1/sessions/${sessionId}/receipt`, token ? { token } : {}),
        (r) => r.status === 200,
        timeoutMs,
      );
      return res.json;
    },
    async sessionOfTransaction(transactionId) {
      const row = await eventually(
        `the session of transaction ${transactionId}`,
        () => db.pool.query('SELECT session_id FROM transactions WHERE id = $1', [transactionId]),
        (r) => r.rows.length === 1,
      );
      return row.rows[0].session_id;
    },
    async restartGateway(downMs = 0) {
      const { port } = stack.gateway;
      await stack.gateway.close();
      await new Promise((r) => setTimeout(r, downMs));
      stack.gateway = await startGateway({ config: { ...config, GATEWAY_PORT: port }, ...gatewayDeps });
    },
    async close() {
      for (const cp of chargers) await cp.close().catch(() => undefined);
      try {
        await api.close(); // throws if an answer broke the OpenAPI document: the rest still shuts down
      } finally {
        await stack.gateway.close();
        // A call the client is still retrying when its channel closes throws from a timer: every
        // gateway call has a deadline, so after it none is left to retry.
        if (linkConnection) await new Promise((r) => setTimeout(r, gatewayCallDeadlineMs + 1_000));
        await linkConnection?.close();
        await temporalLink?.close();
        worker.shutdown();
        await workerRunning;
        await db.drop();
        await env.teardown();
      }
    },
  };
  return stack;
}
