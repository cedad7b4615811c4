/**
 * The reservation workflow's contract, shared by the workflow (workflows/reservation.ts), the
 * session workflow that uses a reservation, and the API's service (src/reservations/reservation-service.ts):
 * its input, its answer, the signal that it was used and the update that cancels it.
 * Pure: imported by workflow code.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { ReserveNowResponse } from '../src/ocpp/ocpp16-messages';
import type { CommandPolicy } from './charger-command-sender';

export const reservationWorkflowType = 'reservation';
/** One workflow per reservation, named after its OCPP reservationId. */
export const reservationWorkflowId = (reservationId: number): string => `reservation_${reservationId}`;

export type ReserveNowStatus = ReserveNowResponse['status'];

/**
 * requested: ReserveNow not answered yet; accepted: the connector is held; then used, cancelled,
 * expired. Never held: the charger's answer (rejected, faulted, occupied, unavailable), or failed
 * (unreachable, or a CALLERROR).
 */
export type ReservationStatus = 'requested' | 'accepted' | 'used' | 'cancelled' | 'expired' | 'rejected' | 'faulted' | 'occupied' | 'unavailable' | 'failed';
export const activeReservationStatuses: readonly ReservationStatus[] = ['requested', 'accepted'];

export const statusOfReserveNowAnswer: Record<ReserveNowStatus, ReservationStatus> = {
  Accepted: 'accepted',
  Faulted: 'faulted',
  Occupied: 'occupied',
  Rejected: 'rejected',
  Unavailable: 'unavailable',
};

export interface ReservationInput {
  reservationId: number;
  stationId: string;
  connectorId: number;
  idTag: string;
  /** The id tag's parentIdTag (§5.13): any tag of the same group may use the reservation. */
  parentIdTag?: string;
  /** ISO 8601, sent in ReserveNow: the charger ends the reservation itself then (§5.13). */
  expiryDate: string;
  /**
   * How long the reservation is held, from the request (expiryDate − the API's now): the workflow's
   * own timer runs this long from its start, by the workflow clock (which tests skip ahead).
   */
  holdMs: number;
  policy: CommandPolicy;
  /** Between attempts of a CancelReservation to a charger that is offline (it gets it when it returns, until expiry). */
  cancelRetryMs: number;
}

/** What the API waits for: the charger's answer to ReserveNow. */
export interface ReservationAnswer {
  status: ReservationStatus;
  /** The charger's ReserveNow status, when it answered. */
  chargerStatus: ReserveNowStatus | null;
  detail: string | null;
}

/** A transaction started on the reservation (the StartTransaction carried its reservationId, or the reserving driver started through the API). */
export interface ReservationUsedEvent {
  sessionId: string;
  transactionId: number;
  at: string;
}

export interface CancelReservationRequest {
  by: 'driver' | 'operator';
}

/** After a cancel: the reservation's status (cancelled, or used when a start won the race) and what the charger answered. */
export interface CancelReservationOutcome {
  status: ReservationStatus;
  /**
   * Accepted / Rejected from the charger; pending: not delivered yet (offline), retried until expiry;
   * failed: the charger answered with a CALLERROR; not_needed: offline until expiry, when the charger
   * ended the reservation itself (§5.13); null: nothing sent (the reservation was no longer held).
   */
  cancelStatus: 'Accepted' | 'Rejected' | 'pending' | 'failed' | 'not_needed' | null;
}

export const awaitReservationAnswerUpdate = defineUpdate<ReservationAnswer>('awaitReservationAnswer');
export const reservationUsedSignal = defineSignal<[ReservationUsedEvent]>('reservationUsed');
/** The validator refuses a reservation that is not held (already cancelled, used or expired): the API answers 409. */
export const cancelReservationUpdate = defineUpdate<CancelReservationOutcome, [CancelReservationRequest]>('cancelReservation');
export const reservationStatusQuery = defineQuery<ReservationStatus>('reservationStatus');
