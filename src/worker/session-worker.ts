/**
 * The session worker: runs the session, charger-command, station-configuration, firmware and
 * diagnostics workflows and the activities that need no charger (routing lookups, tariffs, the
 * sessions index, receipts, desired and found station configuration, the firmware and
 * diagnostics rows, the reservations rows).
 */
import { NativeConnection, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { Config } from '../config/config';
import type { Pool } from '../db/pool';
import type { Logger } from '../logger';
import { workflowsPath } from '../paths';
import { createSessionActivities } from './session-activities';
import { createStationActivities } from './station-activities';
import { createStationConfigurationActivities } from '../stations/configuration-activities';
import { createReservationActivities } from '../reservations/reservation-activities';
import { createSmartChargingActivities } from '../stations/smart-charging-activities';
import { createLocalListActivities } from '../stations/local-list-activities';
import { createSiteActivities } from '../sites/site-activities';
import { createPaymentActivities } from '../payments/payment-activities';
import type { PaymentProvider } from '../payments/payment-provider';

export interface SessionWorkerDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: Pool;
  logger: Logger;
  config: Config;
  /** Where card sessions' holds, captures and releases go; null or absent: no card payments. */
  payments?: PaymentProvider | null;
  /** A prebuilt bundle (tests build it once per file); default: bundle from workflows/. */
  workflowBundle?: WorkflowBundleWithSourceMap;
}

export function createSessionWorker(deps: SessionWorkerDeps): Promise<Worker> {
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : { workflowsPath }),
    activities: {
      ...createSessionActivities({ pool: deps.pool, logger: deps.logger }),
      ...createStationConfigurationActivities({ pool: deps.pool, config: deps.config }),
      ...createStationActivities({ pool: deps.pool }),
      ...createReservationActivities({ pool: deps.pool }),
      ...createSmartChargingActivities({ pool: deps.pool }),
      ...createLocalListActivities({ pool: deps.pool }),
      ...createSiteActivities({ pool: deps.pool }),
      ...createPaymentActivities({ pool: deps.pool, logger: deps.logger, provider: deps.payments ?? null }),
    },
  });
}
