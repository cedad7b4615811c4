/**
 * The activities the reservation workflow (and a session that uses a reservation) call on the
 * session worker (src/reservations/reservation-activities.ts). Each writes the reservations row
 * with a conditional UPDATE, so PostgreSQL decides what happened when a start, a cancel and the
 * expiry race, and the fee is charged at most once. Types only: workflow code imports them with `import type`.
 */
import type { ReservationFee } from '../src/billing/reservation-fee';
import type { CancelReservationOutcome, ReservationAnswer, ReservationStatus } from './reservation-messages';

export interface ReservationFeeClaim {
  reservationId: number;
  fee: ReservationFee;
  /** When the charger accepted the reservation: the fee's minutes run from here to the transaction's start. */
  acceptedAt: string;
}

export interface ReservationActivities {
  /** The charger's answer to ReserveNow (accepted holds the connector; anything else ends the reservation). */
  recordReservationAnswer(update: { reservationId: number; answer: ReservationAnswer }): Promise<void>;
  /** Marks the reservation used by the session (if it is still held or already this session's); returns the status it has. */
  recordReservationUsed(update: { reservationId: number; sessionId: string; at: string }): Promise<ReservationStatus>;
  /** Held → cancelled; otherwise the status it already had (a start won the race: used). */
  recordReservationCancelled(update: { reservationId: number; by: 'driver' | 'operator' }): Promise<ReservationStatus>;
  recordCancelDelivery(update: { reservationId: number; cancelStatus: NonNullable<CancelReservationOutcome['cancelStatus']> }): Promise<void>;
  /**
   * At expiry: used when a transaction of the station carries the reservation (its signal may have been lost),
   * else expired, with its receipt when the fee is charged for unused reservations (once: keyed by reservation).
   */
  settleExpiredReservation(reservationId: number): Promise<ReservationStatus>;
  /**
   * A session whose transaction uses the reservation claims it (station must match): the reservation becomes
   * used by that session, and the session gets the fee to put on its receipt. Null when the reservation is
   * not this station's, not held, or already settled otherwise (expired, cancelled, another session's).
   */
  claimReservationForSession(claim: { reservationId: number; sessionId: string; stationId: string; at: string }): Promise<ReservationFeeClaim | null>;
}
