/**
 * Sending one OCPP command to a charger from workflow code. Each attempt looks up which
 * gateway holds the charger now (it may have reconnected elsewhere), sends the command on
 * that gateway's task queue, and on an unreachable charger backs off and tries again.
 * A CALLERROR is the charger's definite answer and is not retried, nor is a command the charger's
 * registration status does not allow.
 */
import { ActivityFailure, ApplicationFailure, isCancellation, proxyActivities, proxyLocalActivities, sleep, TimeoutFailure } from '@temporalio/workflow';
import { ChargerCommandErrors, stationAnswered, type ChargerCommandActivities, type ChargerCommandErrorCode, type OcppCallErrorDetails } from '../src/ocpp/charger-commands';
import type { SessionActivities } from './session-activities';

export type ChargerCommandName = keyof ChargerCommandActivities;
export type ChargerCommandRequest<N extends ChargerCommandName> = Parameters<ChargerCommandActivities[N]>[0];
export type ChargerCommandResult<N extends ChargerCommandName> = Awaited<ReturnType<ChargerCommandActivities[N]>>;

export type ChargerCommandOutcome<N extends ChargerCommandName> =
  | { ok: true; result: ChargerCommandResult<N> }
  /**
   * code: why, in the command vocabulary. NotConnected / ResponseTimeout: unreachable (offline, not
   * answering, or its gateway not running) after every attempt; CallError / InvalidResponse: the
   * station's answer (errorCode is its OCPP code); NotAccepted: its registration status does not
   * allow the command, so it was not sent.
   */
  | { ok: false; code: ChargerCommandErrorCode; detail: string; errorCode?: string; attempts: number };

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
  let code: ChargerCommandErrorCode = ChargerCommandErrors.NotConnected;
  for (let attempt = 1; attempt <= policy.commandMaxAttempts; attempt++) {
    if (attempt > 1) await sleep(backoffMs(attempt - 1));
    const route = await routing.lookupChargerRoute(request.stationId);
    if (!route.online || !route.taskQueue) {
      detail = 'the charger is offline';
      code = ChargerCommandErrors.NotConnected;
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
      const failed = cause instanceof ApplicationFailure ? commandErrorCode(cause.type) : undefined;
      if (cause instanceof ApplicationFailure && failed && stationAnswered(failed)) {
        const details: OcppCallErrorDetails | undefined = cause.details?.[0] as OcppCallErrorDetails | undefined;
        return { ok: false, code: failed, errorCode: details?.errorCode ?? 'GenericError', detail: details?.errorDescription || cause.message, attempts: attempt };
      }
      if (cause instanceof ApplicationFailure && failed === ChargerCommandErrors.NotAccepted) return { ok: false, code: failed, detail: cause.message, attempts: attempt };
      if (cause instanceof TimeoutFailure || failed === ChargerCommandErrors.ResponseTimeout) {
        detail = 'the charger did not answer in time';
        code = ChargerCommandErrors.ResponseTimeout;
      } else if (failed === ChargerCommandErrors.NotConnected) {
        detail = 'the charger is not connected';
        code = ChargerCommandErrors.NotConnected;
      } else if (cause instanceof Error) detail = cause.message;
      else throw err;
    }
  }
  return { ok: false, code, detail: `${name}: ${detail} (after ${policy.commandMaxAttempts} attempts)`, attempts: policy.commandMaxAttempts };
}

const commandErrorCodes: readonly string[] = Object.values(ChargerCommandErrors);

/** The failure type as a command error code, or undefined for any other failure. */
function commandErrorCode(type: string | undefined | null): ChargerCommandErrorCode | undefined {
  return commandErrorCodes.find((c): c is ChargerCommandErrorCode => c === type);
}
