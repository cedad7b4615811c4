/** A tiny workflow that sends charger commands through the gateway's task queue (the routing pattern the session workflow uses). */
import { ActivityFailure, ApplicationFailure, proxyActivities, sleep } from '@temporalio/workflow';
import type { ChargerCommandActivities } from '../../../src/ocpp/charger-commands';

export type CommandOutcome = { ok: true; result: unknown } | { ok: false; type?: string; nonRetryable?: boolean; details?: unknown[] };

export async function readChargerConfiguration(taskQueue: string, stationId: string, key: string[]): Promise<CommandOutcome> {
  const commands = proxyActivities<ChargerCommandActivities>({ taskQueue, startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 1 } });
  try {
    return { ok: true, result: await commands.getConfiguration({ stationId, key }) };
  } catch (err) {
    if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
      return { ok: false, type: err.cause.type ?? undefined, nonRetryable: err.cause.nonRetryable ?? undefined, details: err.cause.details as unknown[] | undefined };
    }
    throw err;
  }
}

/**
 * A command the charger ignores holds its queue; a second command with a shorter attempt timeout
 * waits behind it. Returns how both ended.
 */
export async function commandBehindASilentOne(taskQueue: string, stationId: string): Promise<{ first: CommandOutcome; second: CommandOutcome }> {
  const patient = proxyActivities<ChargerCommandActivities>({ taskQueue, startToCloseTimeout: '30 seconds', retry: { maximumAttempts: 1 } });
  const hurried = proxyActivities<ChargerCommandActivities>({ taskQueue, startToCloseTimeout: '400 milliseconds', retry: { maximumAttempts: 1 } });
  const outcome = async (work: Promise<unknown>): Promise<CommandOutcome> => {
    try {
      return { ok: true, result: await work };
    } catch (err) {
      const cause = err instanceof ActivityFailure ? err.cause : err;
      return { ok: false, type: cause instanceof ApplicationFailure ? (cause.type ?? undefined) : (cause as Error).name };
    }
  };
  const first = outcome(patient.clearCache({ stationId }));
  await sleep(100); // the first is on its way to the charger before the second is scheduled
  const second = outcome(hurried.unlockConnector({ stationId, connectorId: 1 }));
  return { first: await first, second: await second };
}
