/**
 * The three production roles. Each starts on an Infrastructure and returns a stop
 * function; `dev` runs all three in one process, production runs one per process.
 */
import type { Config } from '../config/config';
import type { Logger } from '../logger';
import type { Infrastructure } from './infrastructure';
import { startApi } from '../api/server';
import { startGateway } from '../gateway/gateway';
import { createSessionWorker } from '../worker/session-worker';
import { createTemporalSessionEventSink } from '../sessions/temporal-session-events';
import { ChargerCommandService, SessionService } from '../sessions/session-service';
import { sessionTimingsFromConfig } from '../sessions/session-timings';
import { DiagnosticsService } from '../stations/diagnostics-service';
import { ReservationService } from '../reservations/reservation-service';
import { FirmwareService } from '../stations/firmware-service';
import { SiteService } from '../sites/site-service';
import { createTemporalSiteLoadManager } from '../sites/temporal-site-load-manager';
import { siteTimingsFromConfig } from '../sites/site-timings';
import { createTemporalStationEventSink } from '../stations/temporal-station-events';
import { StripePaymentProvider } from '../payments/stripe-provider';
import { PaymentService } from '../payments/payment-service';
import { cardPaymentFor } from '../payments/card-payment';

/** The card payment provider of this process, or null when none is configured. */
function paymentProviderOf(config: Config, infra: Infrastructure): StripePaymentProvider | null {
  return infra.stripe ? new StripePaymentProvider({ ...infra.stripe, timeoutMs: config.PAYMENT_HOLD_TIMEOUT_MS }) : null;
}

export interface RunningRole {
  name: 'api' | 'gateway' | 'worker';
  /** Where it can be reached, for the start-up banner. */
  url?: string;
  stop(): Promise<void>;
}

export async function startWorkerRole(config: Config, logger: Logger, infra: Infrastructure): Promise<RunningRole> {
  const worker = await createSessionWorker({
    connection: infra.nativeConnection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    pool: infra.pool,
    logger: logger.child({ role: 'worker' }),
    config,
    payments: paymentProviderOf(config, infra),
  });
  const running = worker.run();
  logger.info({ taskQueue: config.TEMPORAL_TASK_QUEUE }, 'session worker running');
  return {
    name: 'worker',
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}

export async function startGatewayRole(config: Config, logger: Logger, infra: Infrastructure): Promise<RunningRole> {
  const payments = paymentProviderOf(config, infra);
  const sessionEvents = createTemporalSessionEventSink({
    client: infra.client,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    timings: sessionTimingsFromConfig(config),
    cardPaymentFor: (driverId) => cardPaymentFor(infra.pool, config, driverId, payments ? { provider: payments.name } : undefined),
  });
  const gateway = await startGateway({
    config,
    pool: infra.pool,
    logger: logger.child({ role: 'gateway', gatewayId: config.GATEWAY_ID }),
    sessionEvents,
    stationEvents: createTemporalStationEventSink({ client: infra.client, taskQueue: config.TEMPORAL_TASK_QUEUE, config }),
    temporal: { connection: infra.nativeConnection, namespace: config.TEMPORAL_NAMESPACE },
  });
  return { name: 'gateway', url: gateway.url, stop: () => gateway.close() };
}

export async function startApiRole(config: Config, logger: Logger, infra: Infrastructure): Promise<RunningRole> {
  const apiLogger = logger.child({ role: 'api' });
  const payments = paymentProviderOf(config, infra);
  const deps = { client: infra.client, pool: infra.pool, config, logger: apiLogger, ...(payments ? { cardPayments: { provider: payments.name } } : {}) };
  const api = await startApi({
    config,
    pool: infra.pool,
    logger: apiLogger,
    sessions: new SessionService(deps),
    chargerCommands: new ChargerCommandService(deps),
    firmware: new FirmwareService(deps),
    diagnostics: new DiagnosticsService(deps),
    reservations: new ReservationService(deps),
    sites: new SiteService({ pool: infra.pool, loadManager: createTemporalSiteLoadManager({ client: infra.client, taskQueue: config.TEMPORAL_TASK_QUEUE, timings: siteTimingsFromConfig(config) }) }),
    temporalClient: infra.client,
    ...(payments ? { payments: new PaymentService({ pool: infra.pool, provider: payments }) } : {}),
  });
  return { name: 'api', url: api.url, stop: () => api.close() };
}

export const roleStarters = { api: startApiRole, gateway: startGatewayRole, worker: startWorkerRole } as const;
export type RoleName = keyof typeof roleStarters;
