/**
 * A session world on the time-skipping Temporal server and a real PostgreSQL: the real session
 * worker, workflows, activities, SessionService and Temporal event sink, with a scripted gateway
 * (a worker on the gateway's task queue) standing in for charger answers. The real gateway and
 * chargers are exercised in test/gateway and the whole-stack test.
 */
import { ApplicationFailure } from '@temporalio/common';
import { Client as ClientClass, type Client } from '@temporalio/client';
import { Worker, type NativeConnection } from '@temporalio/worker';
import { loadConfig, type Config } from '../../../src/config/config';
import { createLogger } from '../../../src/logger';
import { ChargerCommandErrors, gatewayTaskQueue, type ChargerCommandActivities, type ConfigurationKey } from '../../../src/ocpp/charger-commands';
import { createTemporalSessionEventSink } from '../../../src/sessions/temporal-session-events';
import { SessionService } from '../../../src/sessions/session-service';
import { sessionTimingsFromConfig } from '../../../src/sessions/session-timings';
import type { SessionEventSink } from '../../../src/sessions/session-events';
import type { TransactionStartedEvent } from '../../../workflows/session-messages';
import { createSessionWorker } from '../../../src/worker/session-worker';
import type { PaymentProvider } from '../../../src/payments/payment-provider';
import { cardPaymentFor } from '../../../src/payments/card-payment';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createTimeSkippingEnv, workflowBundle } from '../../support/temporal';

export const stationId = 'CP_1';

/** The app's start request every session test uses: connector 1 of the harness charger. */
export const startRequest = { stationId: stationId, connectorId: 1, driverId: null, idTag: 'TAG-1', waitMs: 10_000 };

/** The charger's StartTransaction for `sessionId`: the reference MeterStart 154200 Wh, transaction 41. */
export function startedEvent(sessionId: string, overrides: Partial<TransactionStartedEvent> = {}): TransactionStartedEvent {
  return {
    sessionId,
    stationInitiated: false,
    stationId,
    connectorId: 1,
    transactionId: 41,
    idTag: 'TAG-1',
    driverId: null,
    meterStartWh: 154200,
    timestamp: '2026-11-24T10:00:00.000Z',
    ...overrides,
  };
}

type Answer<N extends keyof ChargerCommandActivities> = (req: Parameters<ChargerCommandActivities[N]>[0]) => ReturnType<ChargerCommandActivities[N]>;

/** What the scripted charger answers; tests replace entries. Every call is recorded. */
export interface ScriptedGateway {
  answers: { [N in keyof ChargerCommandActivities]: Answer<N> };
  calls: Array<{ command: string; request: unknown }>;
}

export const notConnected = (): never => {
  throw ApplicationFailure.retryable('CP_1 is not connected', ChargerCommandErrors.NotConnected);
};

export function scriptedGateway(configuration: ConfigurationKey[] = [{ key: 'MeterValuesSampledData', readonly: false, value: 'Energy.Active.Import.Register' }]): ScriptedGateway {
  const calls: ScriptedGateway['calls'] = [];
  const answers: ScriptedGateway['answers'] = {
    remoteStartTransaction: async () => ({ status: 'Accepted' }),
    remoteStopTransaction: async () => ({ status: 'Accepted' }),
    getConfiguration: async (req) => ({ configurationKey: configuration.filter((k) => !req.key || req.key.includes(k.key)), unknownKey: [] }),
    changeConfiguration: async (req) => {
      const key = configuration.find((k) => k.key === req.key);
      if (key) key.value = req.value;
      return { status: 'Accepted' };
    },
    triggerMessage: async () => ({ status: 'Accepted' }),
    reset: async () => ({ status: 'Accepted' }),
    unlockConnector: async () => ({ status: 'Unlocked' }),
    changeAvailability: async () => ({ status: 'Accepted' }),
    clearCache: async () => ({ status: 'Accepted' }),
    dataTransfer: async () => ({ status: 'UnknownVendorId' }),
    updateFirmware: async () => ({}),
    getDiagnostics: async () => ({}),
    sendLocalList: async () => ({ status: 'Accepted' }),
    getLocalListVersion: async () => ({ listVersion: 0 }),
    reserveNow: async () => ({ status: 'Accepted' }),
    cancelReservation: async () => ({ status: 'Accepted' }),
    setChargingProfile: async () => ({ status: 'Accepted' }),
    clearChargingProfile: async () => ({ status: 'Accepted' }),
    getCompositeSchedule: async () => ({ status: 'Rejected' }),
    getBaseReport: async () => ({ status: 'NotSupported', requestId: 1 }),
  };
  return { answers, calls };
}

/** A Temporal server to run on: the time-skipping test server, or a dev server (durability tests). */
export interface TemporalTarget {
  client: Client;
  nativeConnection: NativeConnection;
  namespace?: string;
  teardown(): Promise<void>;
}

export interface SessionWorld {
  env: TemporalTarget;
  db: TestDatabase;
  config: Config;
  gateway: ScriptedGateway;
  events: SessionEventSink;
  sessions: SessionService;
  /**
   * Runs `body` while a fresh session worker and scripted gateway worker poll; they shut down after it.
   * `sessionWorker: false` leaves the sessions to a worker the test runs elsewhere (another process).
   */
  run<T>(body: () => Promise<T>, options?: { keepSessionsRunning?: boolean; sessionWorker?: boolean }): Promise<T>;
  /** Points the world at another connection to the server (after a Temporal server restart). */
  retarget(env: TemporalTarget): void;
  close(): Promise<void>;
}

export interface SessionWorldOptions {
  searchAttributes?: boolean;
  /** Card payments through this provider (test/support/stripe.ts: Stripe on localstripe); default none. */
  payments?: PaymentProvider;
  /** Configuration on top of the world's own. */
  env?: Record<string, string>;
}

export async function createSessionWorld(env?: TemporalTarget, options: SessionWorldOptions = {}): Promise<SessionWorld> {
  const searchAttributes = options.searchAttributes ?? false;
  const ownEnv = !env;
  let testEnv: TemporalTarget = env ?? (await createTimeSkippingEnv());
  const db = await createTestDatabase();
  await db.pool.query(`INSERT INTO tariffs (id, name, currency, rate_per_kwh, is_default) VALUES ('standard', 'Standard', 'EUR', 0.25, TRUE)`);
  // Unique queues per world: workers of an earlier test may still be shutting down.
  const suffix = Math.random().toString(36).slice(2, 8);
  const taskQueue = `sessions-${suffix}`;
  const gatewayId = `gw-${suffix}`;
  await db.pool.query(
    `INSERT INTO chargers (id, online, gateway_id, connection_epoch) VALUES ($1, TRUE, $2, 1)`,
    [stationId, gatewayId],
  );
  const config = loadConfig({
    OPERATOR_TOKEN: 'o'.repeat(32),
    TEMPORAL_TASK_QUEUE: taskQueue,
    SESSION_PLUG_IN_TIMEOUT_MS: '120000',
    SESSION_COMMAND_TIMEOUT_MS: '10000',
    SESSION_COMMAND_MAX_ATTEMPTS: '3',
    SESSION_OFFLINE_GRACE_MS: '900000',
    SESSION_STOP_CONFIRM_TIMEOUT_MS: '120000',
    LOG_LEVEL: 'warn',
    ...options.env,
  });
  const logger = createLogger(config);
  const gateway = scriptedGateway();
  const record = <N extends keyof ChargerCommandActivities>(command: N) =>
    (async (request: Parameters<ChargerCommandActivities[N]>[0]) => {
      gateway.calls.push({ command, request });
      return (gateway.answers[command] as Answer<N>)(request);
    }) as ChargerCommandActivities[N];
  const gatewayActivities = Object.fromEntries(
    (Object.keys(gateway.answers) as Array<keyof ChargerCommandActivities>).map((name) => [name, record(name)]),
  ) as unknown as ChargerCommandActivities;

  const createSessionWorkerHere = async () => createSessionWorker({
    connection: testEnv.nativeConnection,
    namespace: testEnv.namespace ?? 'default',
    taskQueue,
    pool: db.pool,
    logger,
    config,
    workflowBundle: await workflowBundle(),
    payments: options.payments ?? null,
  });
  const createGatewayWorker = async () => Worker.create({
    connection: testEnv.nativeConnection,
    namespace: testEnv.namespace ?? 'default',
    taskQueue: gatewayTaskQueue(gatewayId),
    activities: gatewayActivities,
  });
  // The session layer gets a plain client: the time-skipping client would skip time whenever the
  // API waits for a result (a stop waiting for its receipt), racing the test's own events.
  const sessionLayer = (skippingClient: Client) => {
    const client = new ClientClass({ connection: skippingClient.connection, namespace: skippingClient.options.namespace });
    return {
    events: createTemporalSessionEventSink({
      client,
      taskQueue,
      timings: sessionTimingsFromConfig(config),
      searchAttributes,
      ...(options.payments ? { cardPaymentFor: (driverId: string | null) => cardPaymentFor(db.pool, config, driverId, { provider: options.payments!.name }) } : {}),
    }),
    sessions: new SessionService({
      client,
      pool: db.pool,
      config,
      logger,
      searchAttributes,
      watchIntervalMs: 50,
      ...(options.payments ? { cardPayments: { provider: options.payments.name } } : {}),
    }),
    };
  };

  const terminateRunningSessions = async (): Promise<void> => {
    const { rows } = await db.pool.query<{ id: string }>('SELECT id FROM sessions WHERE active');
    await Promise.all(rows.map((r) => testEnv.client.workflow.getHandle(r.id).terminate('test over').catch(() => undefined)));
  };

  const world: SessionWorld = {
    env: testEnv,
    db,
    config,
    gateway,
    ...sessionLayer(testEnv.client),
    retarget(next) {
      testEnv = next;
      Object.assign(world, { env: next, ...sessionLayer(next.client) });
    },
    run: async (body, options = {}) => {
      const gatewayWorker = await createGatewayWorker();
      const withGateway = () =>
        gatewayWorker.runUntil(async () => {
          try {
            return await body();
          } finally {
            // Sessions left running hold back time skipping for later tests; end them while the workers still poll.
            if (!options.keepSessionsRunning) await terminateRunningSessions();
          }
        });
      if (options.sessionWorker === false) return withGateway();
      return (await createSessionWorkerHere()).runUntil(withGateway());
    },
    async close() {
      await db.drop();
      if (ownEnv) await testEnv.teardown();
    },
  };
  return world;
}
