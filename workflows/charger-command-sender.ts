/**
 * Sending one OCPP command to a charger from workflow code. Each attempt looks up which
 * gateway holds the charger now (it may have reconnected elsewhere), sends the command on
 * that gateway's task queue, and on an unreachable charger backs off and tries again.
 * A CALLERROR is the charger's definite answer and is not retried, nor is a command the charger's
 * registration status does not allow.
 */
import { ActivityFailure, ApplicationFailure, isCancellation, proxyActivities, proxyLocalActivities, sleep, TimeoutFailure } from '@temporalio/workflow';
import { ChargerCommandErrors, type ChargerCommandActivities } from '../src/ocpp/charger-commands';
import type { SessionActivities } from './session-activities';

export type ChargerCommandName = keyof ChargerCommandActivities;
export type ChargerCommandRequest<N extends ChargerCommandName> = Parameters<ChargerCommandActivities[N]>[0];
export type ChargerCommandResult<N extends ChargerCommandName> = Awaited<ReturnType<ChargerCommandActivities[N]>>;

export type ChargerCommandOutcome<N extends ChargerCommandName> =
  | { ok: true; result: ChargerCommandResult<N> }
  /**
   * unreachable: offline, not answering, or its gateway not running, after every attempt;
   * not_accepted: the charger's registration status does not allow the command, so it was not sent.
   */
  | { ok: false; kind: 'unreachable' | 'call_error' | 'not_accepted'; detail: string; errorCode?: string; attempts: number };

export interface CommandPolicy {
  /** Per attempt: from scheduling (a gateway that is down never picks the task up) to the charger's answer. */
  commandTimeoutMs: number;
  commandMaxAttempts: number;
}

const backoffMs = (attempt: number): number => Math.min(1_000 * 2 ** (attempt - 1), 60_000);

/** A short PostgreSQL read before every attempt: local, so it costs no round trip through the server's queues. */
const routing = proxyLocalActivities<Pick<SessionActivities, 'lookupChargerRoute'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function sendChargerCommand<N extends ChargerCommandName>(
  name: N,
  request: ChargerCommandRequest<N>,
  policy: CommandPolicy,
): Promise<ChargerCommandOutcome<N>> {
  let detail = 'not attempted';
  for (let attempt = 1; attempt <= policy.commandMaxAttempts; attempt++) {
    if (attempt > 1) await sleep(backoffMs(attempt - 1));
    const route = await routing.lookupChargerRoute(request.stationId);
    if (!route.online || !route.taskQueue) {
      detail = 'the charger is offline';
      continue;
    }
    const gateway = proxyActivities<ChargerCommandActivities>({
      taskQueue: route.taskQueue,
      scheduleToCloseTimeout: policy.commandTimeoutMs,
      retry: { maximumAttempts: 1 },
    });
    try {
      const send = gateway[name] as (req: ChargerCommandRequest<N>) => Promise<ChargerCommandResult<N>>;
      return { ok: true, result: await send(request) };
    } catch (err) {
      if (isCancellation(err)) throw err;
      const cause = err instanceof ActivityFailure ? err.cause : err;
      // A CALLERROR, or an answer that breaks the OCPP schema: the charger's definite answer, reported alike.
      if (cause instanceof ApplicationFailure && (cause.type === ChargerCommandErrors.CallError || cause.type === ChargerCommandErrors.InvalidResponse)) {
        const details = (cause.details?.[0] ?? {}) as { errorCode?: string; errorDescription?: string };
        return { ok: false, kind: 'call_error', errorCode: details.errorCode ?? 'GenericError', detail: details.errorDescription || cause.message, attempts: attempt };
      }
      if (cause instanceof ApplicationFailure && cause.type === ChargerCommandErrors.NotAccepted) {
        return { ok: false, kind: 'not_accepted', detail: cause.message, attempts: attempt };
      }
      if (cause instanceof TimeoutFailure) detail = 'the charger did not answer in time';
      else if (cause instanceof ApplicationFailure && cause.type === ChargerCommandErrors.NotConnected) detail = 'the charger is not connected';
      else if (cause instanceof ApplicationFailure && cause.type === ChargerCommandErrors.ResponseTimeout) detail = 'the charger did not answer in time';
      else if (cause instanceof Error) detail = cause.message;
      else throw err;
    }
  }
  return { ok: false, kind: 'unreachable', detail: `${name}: ${detail} (after ${policy.commandMaxAttempts} attempts)`, attempts: policy.commandMaxAttempts };
}
