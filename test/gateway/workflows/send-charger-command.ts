/** A tiny workflow that sends charger commands through the gateway's task queue (the routing pattern the session workflow uses). */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { ChargerCommandActivities } from '../../../src/ocpp/charger-commands';

export type CommandOutcome = { ok: true; result: unknown } | { ok: false; type?: string; nonRetryable?: boolean; details?: unknown[] };

export async function readChargerConfiguration(taskQueue: string, chargerId: string, key: string[]): Promise<CommandOutcome> {
  const commands = proxyActivities<ChargerCommandActivities>({ taskQueue, startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 1 } });
  try {
    return { ok: true, result: await commands.getConfiguration({ chargerId, key }) };
  } catch (err) {
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
      return { ok: false, type: err.cause.type ?? undefined, nonRetryable: err.cause.nonRetryable ?? undefined, details: err.cause.details as unknown[] | undefined };
    }
    throw err;
  }
}
