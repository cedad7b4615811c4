/**
 * One reservation of one connector (OCPP 1.6 §3.12, §5.13 ReserveNow, §5.1 CancelReservation), from
 * ReserveNow to its end. The charger's answer ends it at once unless Accepted; then it waits, on a
 * durable timer until expiryDate, for whichever comes first:
 * - used: a transaction started on it (the session that has it signals `reservationUsed`);
 * - cancelled (the `cancelReservation` update): recorded, then CancelReservation is sent; a charger
 *   that is offline gets it when it is back, until expiry (after that the charger has ended the
 *   reservation itself, §5.13, so nothing is needed any more);
 * - expiry: settled by PostgreSQL (used, when a transaction carries it though its signal was lost;
 *   else expired, with its receipt when the tariff charges for unused reservations).
 * Every outcome is a conditional write, so a start, a cancel and the expiry racing end it once.
 * Workflow id: reservationWorkflowId(reservationId).
 */
import { allHandlersFinished, condition, proxyLocalActivities, setHandler, sleep } from '@temporalio/workflow';
import { ChargerCommandErrors, stationAnswered } from '../src/ocpp/charger-commands';
import { sendChargerCommand } from './charger-command-sender';
import type { ReservationActivities } from './reservation-activities';
import {
  awaitReservationAnswerUpdate,
  cancelReservationUpdate,
  reservationStatusQuery,
  reservationUsedSignal,
  statusOfReserveNowAnswer,
  type CancelReservationOutcome,
  type CancelReservationRequest,
  type ReservationAnswer,
  type ReservationInput,
  type ReservationStatus,
  type ReservationUsedEvent,
} from './reservation-messages';

/** Short PostgreSQL writes, retried until the database answers: what the charger did is never lost. */
const store = proxyLocalActivities<ReservationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export async function reservation(input: ReservationInput): Promise<ReservationStatus> {
  const { reservationId, stationId, connectorId, idTag, parentIdTag, expiryDate, policy } = input;
  const expiresAt = Date.now() + input.holdMs;
  let status: ReservationStatus = 'requested';
  let answer: ReservationAnswer | null = null;
  let used: ReservationUsedEvent | null = null;
  let cancel: CancelReservationRequest | null = null;
  let cancelOutcome: CancelReservationOutcome | null = null;

  setHandler(reservationStatusQuery, () => status);
  setHandler(awaitReservationAnswerUpdate, async () => {
    await condition(() => answer !== null);
    return answer!;
  });
  setHandler(reservationUsedSignal, (event) => void (used ??= event));
  setHandler(
    cancelReservationUpdate,
    async (request) => {
      cancel ??= request;
      await condition(() => cancelOutcome !== null);
      return cancelOutcome!;
    },
    {
      validator: (_request: CancelReservationRequest) => {
        if (cancel !== null) throw new Error(`reservation ${reservationId} is already cancelled`);
        if (status !== 'accepted') throw new Error(`reservation ${reservationId} is ${status}`);
      },
    },
  );
  const end = async (final: ReservationStatus): Promise<ReservationStatus> => {
    status = final;
    cancelOutcome ??= { status, cancelStatus: null };
    await condition(allHandlersFinished);
    return status;
  };

  // ── ReserveNow ───────────────────────────────────────────────────────────
  const sent = await sendChargerCommand('reserveNow', { stationId, connectorId, expiryDate, idTag, reservationId, ...(parentIdTag ? { parentIdTag } : {}) }, policy);
  const answered: ReservationAnswer = sent.ok
    ? { status: statusOfReserveNowAnswer[sent.result.status], chargerStatus: sent.result.status, detail: null }
    : { status: 'failed', chargerStatus: null, detail: sent.errorCode ? `${sent.errorCode}: ${sent.detail}` : sent.detail };
  // Stored before the API hears it, so a read right after the answer finds it.
  await store.recordReservationAnswer({ reservationId, answer: answered });
  answer = answered;
  if (answered.status !== 'accepted') return end(answered.status);
  status = 'accepted';

  // ── Held until used, cancelled or expired ───────────────────────────────
  const untilExpiry = (): number => expiresAt - Date.now();
  await condition(() => used !== null || cancel !== null, Math.max(1, untilExpiry()));
  if (used !== null) {
    const event: ReservationUsedEvent = used;
    return end(await store.recordReservationUsed({ reservationId, sessionId: event.sessionId, at: event.at }));
  }
  if (cancel === null) return end(await store.settleExpiredReservation(reservationId));

  // ── Cancelled ────────────────────────────────────────────────────────────
  const by = (cancel as CancelReservationRequest).by;
  status = await store.recordReservationCancelled({ reservationId, by });
  if (status !== 'cancelled') return end(status); // a start won the race: nothing to cancel
  for (;;) {
    const delivered = await sendChargerCommand('cancelReservation', { stationId, reservationId }, policy);
    const cancelStatus = delivered.ok ? delivered.result.status : stationAnswered(delivered.code) || delivered.code === ChargerCommandErrors.NotAccepted ? 'failed' : null;
    if (cancelStatus !== null) {
      await store.recordCancelDelivery({ reservationId, cancelStatus });
      cancelOutcome ??= { status, cancelStatus };
      break;
    }
    // Offline or silent: the charger still holds the connector until expiry, so it gets the cancel when it returns.
    if (cancelOutcome === null) {
      await store.recordCancelDelivery({ reservationId, cancelStatus: 'pending' });
      cancelOutcome = { status, cancelStatus: 'pending' };
    }
    if (untilExpiry() <= 0) {
      await store.recordCancelDelivery({ reservationId, cancelStatus: 'not_needed' });
      break;
    }
    await sleep(Math.max(1_000, Math.min(input.cancelRetryMs, untilExpiry())));
  }
  return end(status);
}
