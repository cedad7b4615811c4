/** How a reservations row reads: its fee snapshot, and the view the API answers. */
import { plainDecimal } from '../billing/money';
import type { ReservationFee } from '../billing/reservation-fee';
import type { ReservationStatus, ReserveNowStatus } from '../../workflows/reservation-messages';

export interface ReservationFeeColumns {
  currency: string | null;
  fee_fixed: string | null;
  fee_per_minute: string | null;
  fee_if_unused: boolean;
}

/** The fee the reservation was made under; null when its tariff had none (or there was no tariff). */
export function feeOfRow(r: ReservationFeeColumns): ReservationFee | null {
  if (!r.currency || (r.fee_fixed === null && r.fee_per_minute === null)) return null;
  return {
    currency: r.currency,
    ...(r.fee_fixed === null ? {} : { fixed: plainDecimal(r.fee_fixed) }),
    ...(r.fee_per_minute === null ? {} : { perMinute: plainDecimal(r.fee_per_minute) }),
    chargeIfUnused: r.fee_if_unused,
  };
}

export interface ReservationRow extends ReservationFeeColumns {
  id: number;
  station_id: string;
  connector_id: number;
  driver_id: string | null;
  id_tag: string;
  expiry_date: Date;
  status: ReservationStatus;
  detail: string | null;
  requested_by: 'driver' | 'operator';
  cancel_status: string | null;
  cancelled_by: 'driver' | 'operator' | null;
  session_id: string | null;
  accepted_at: Date | null;
  ended_at: Date | null;
  created_at: Date;
  receipt: unknown | null;
}

export const reservationSelect = `
  SELECT r.id, r.station_id, r.connector_id, r.driver_id, r.id_tag, r.expiry_date, r.status, r.detail, r.requested_by,
         r.cancel_status, r.cancelled_by, r.session_id, r.accepted_at, r.ended_at, r.created_at,
         r.currency, r.fee_fixed, r.fee_per_minute, r.fee_if_unused, rr.body AS receipt
    FROM reservations r LEFT JOIN reservation_receipts rr ON rr.reservation_id = r.id`;

export interface ReservationView {
  reservationId: number;
  stationId: string;
  connectorId: number;
  driverId: string | null;
  idTag: string;
  expiryDate: string;
  status: ReservationStatus;
  /** The charger's answer to ReserveNow (null until it answered, or when it never did). */
  chargerStatus: ReserveNowStatus | null;
  detail: string | null;
  requestedBy: 'driver' | 'operator';
  cancelledBy: 'driver' | 'operator' | null;
  cancelStatus: string | null;
  /** The session that used the reservation (its receipt carries the fee). */
  sessionId: string | null;
  fee: { currency: string; fixed: string | null; perMinute: string | null; chargedIfUnused: boolean } | null;
  /** The reservation's own receipt: only for one that expired unused under a tariff that charges for that. */
  receipt: unknown | null;
  createdAt: string;
  acceptedAt: string | null;
  endedAt: string | null;
}

const chargerStatusOf: Partial<Record<ReservationStatus, ReserveNowStatus>> = {
  accepted: 'Accepted',
  used: 'Accepted',
  cancelled: 'Accepted',
  expired: 'Accepted',
  rejected: 'Rejected',
  faulted: 'Faulted',
  occupied: 'Occupied',
  unavailable: 'Unavailable',
};

export function reservationView(r: ReservationRow): ReservationView {
  const fee = feeOfRow(r);
  return {
    reservationId: r.id,
    stationId: r.station_id,
    connectorId: r.connector_id,
    driverId: r.driver_id,
    idTag: r.id_tag,
    expiryDate: r.expiry_date.toISOString(),
    status: r.status,
    chargerStatus: chargerStatusOf[r.status] ?? null,
    detail: r.detail,
    requestedBy: r.requested_by,
    cancelledBy: r.cancelled_by,
    cancelStatus: r.cancel_status,
    sessionId: r.session_id,
    fee: fee ? { currency: fee.currency, fixed: fee.fixed ?? null, perMinute: fee.perMinute ?? null, chargedIfUnused: fee.chargeIfUnused } : null,
    receipt: r.receipt,
    createdAt: r.created_at.toISOString(),
    acceptedAt: r.accepted_at ? r.accepted_at.toISOString() : null,
    endedAt: r.ended_at ? r.ended_at.toISOString() : null,
  };
}
