/**
 * The reservation activities (workflows/reservation-activities.ts) on the session worker. Every
 * outcome is one conditional UPDATE of the reservations row (only a held reservation changes), so
 * whichever of a start, a cancel and the expiry reaches PostgreSQL first decides, and the fee is
 * charged once: to the session that claimed the reservation, or on the reservation's own receipt.
 */
import type { Pool } from '../db/pool';
import { inTransaction } from '../db/transaction';
import { priceUnusedReservation, type ReservationFee } from '../billing/reservation-fee';
import type { ReservationActivities } from '../../workflows/reservation-activities';
import type { ReservationStatus } from '../../workflows/reservation-messages';
import { feeOfRow, type ReservationFeeColumns } from './reservation-rows';

export type { ReservationActivities };

export function createReservationActivities({ pool }: { pool: Pool }): ReservationActivities {
  const statusOf = async (reservationId: number): Promise<ReservationStatus> => {
    const { rows } = await pool.query<{ status: ReservationStatus }>('SELECT status FROM reservations WHERE id = $1', [reservationId]);
    // A station removed meanwhile takes its reservations with it: nothing held any more.
    return rows[0]?.status ?? 'cancelled';
  };
  return {
    async recordReservationAnswer({ reservationId, answer }) {
      await pool.query(
        `UPDATE reservations SET status = $2, detail = $3, accepted_at = CASE WHEN $2 = 'accepted' THEN now() END,
                ended_at = CASE WHEN $2 = 'accepted' THEN NULL ELSE now() END
          WHERE id = $1 AND status = 'requested'`,
        [reservationId, answer.status, answer.detail],
      );
    },

    async recordReservationUsed({ reservationId, sessionId }) {
      await pool.query(
        `UPDATE reservations SET status = 'used', session_id = $2, ended_at = now()
          WHERE id = $1 AND status = 'accepted' AND NOT EXISTS (SELECT 1 FROM reservations WHERE session_id = $2)`,
        [reservationId, sessionId],
      );
      return statusOf(reservationId);
    },

    async recordReservationCancelled({ reservationId, by }) {
      await pool.query(`UPDATE reservations SET status = 'cancelled', cancelled_by = $2, ended_at = now() WHERE id = $1 AND status = 'accepted'`, [reservationId, by]);
      return statusOf(reservationId);
    },

    async recordCancelDelivery({ reservationId, cancelStatus }) {
      await pool.query('UPDATE reservations SET cancel_status = $2 WHERE id = $1', [reservationId, cancelStatus]);
    },

    async settleExpiredReservation(reservationId) {
      return inTransaction(pool, async (db) => {
        // A transaction of the station that carries the reservation used it, though its signal never arrived.
        const { rows } = await db.query<ReservationFeeColumns & { status: ReservationStatus; accepted_at: Date | null; expiry_date: Date; used_by: string | null }>(
          `SELECT r.status, r.accepted_at, r.expiry_date, r.currency, r.fee_fixed, r.fee_per_minute, r.fee_if_unused,
                  (SELECT t.session_id FROM transactions t WHERE t.reservation_id = r.id AND t.station_id = r.station_id
                      AND NOT EXISTS (SELECT 1 FROM reservations o WHERE o.session_id = t.session_id) ORDER BY t.id LIMIT 1) AS used_by
             FROM reservations r WHERE r.id = $1 FOR UPDATE`,
          [reservationId],
        );
        const r = rows[0];
        if (!r) return 'cancelled';
        if (r.status !== 'accepted') return r.status;
        if (r.used_by) {
          await db.query(`UPDATE reservations SET status = 'used', session_id = $2, ended_at = now() WHERE id = $1`, [reservationId, r.used_by]);
          return 'used';
        }
        await db.query(`UPDATE reservations SET status = 'expired', ended_at = now() WHERE id = $1`, [reservationId]);
        const fee: ReservationFee | null = feeOfRow(r);
        if (fee) {
          const priced = priceUnusedReservation(fee, reservationId, (r.accepted_at ?? r.expiry_date).toISOString(), r.expiry_date.toISOString());
          if (priced.lines.length > 0) {
            const body = { reservation_id: reservationId, status: 'expired', ...priced };
            await db.query(
              `INSERT INTO reservation_receipts (reservation_id, currency, total, body) VALUES ($1, $2, $3, $4) ON CONFLICT (reservation_id) DO NOTHING`,
              [reservationId, priced.currency, priced.total, JSON.stringify(body)],
            );
          }
        }
        return 'expired';
      });
    },

    async claimReservationForSession({ reservationId, sessionId, stationId }) {
      const { rows } = await pool.query<ReservationFeeColumns & { accepted_at: Date | null; created_at: Date }>(
        `UPDATE reservations SET status = 'used', session_id = $2, ended_at = COALESCE(ended_at, now())
          WHERE id = $1 AND station_id = $3 AND (status = 'accepted' OR (status = 'used' AND session_id = $2))
            AND NOT EXISTS (SELECT 1 FROM reservations o WHERE o.session_id = $2 AND o.id <> $1)
          RETURNING currency, fee_fixed, fee_per_minute, fee_if_unused, accepted_at, created_at`,
        [reservationId, sessionId, stationId],
      );
      const r = rows[0];
      if (!r) return null;
      const fee = feeOfRow(r) ?? { currency: r.currency ?? 'EUR', chargeIfUnused: r.fee_if_unused };
      return { reservationId, fee, acceptedAt: (r.accepted_at ?? r.created_at).toISOString() };
    },
  };
}
