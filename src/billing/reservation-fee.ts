/**
 * What holding a connector costs (a tariff's reservation fee): a fixed fee and/or a price per
 * whole minute held, from the charger's acceptance of ReserveNow to the reservation's end (the
 * transaction that used it, or its expiry), rounded down like charging time. Pure and exact.
 *
 * A reservation that turns into a session adds these lines to that session's receipt
 * (priceSession's `extras`); one that expires unused gets its own receipt (priceUnusedReservation),
 * unless the tariff says unused reservations cost nothing.
 */
import { Big, plainDecimal, roundToMinorUnit } from './money';

/** The tariff's reservation fee as it was when the reservation was made; decimals as strings. */
export interface ReservationFee {
  currency: string;
  fixed?: string;
  perMinute?: string;
  /** false: a reservation that expires unused costs nothing. */
  chargeIfUnused: boolean;
}

/** A line priced outside the session's own components; quantity and unit price as exact decimal strings. */
export interface ExtraCharge {
  component: 'reservation_fee' | 'reservation_time';
  description: string;
  quantity: string;
  unit: 'min' | 'reservation';
  unitPrice: string;
}

export function hasReservationFee(fee: Pick<ReservationFee, 'fixed' | 'perMinute'>): boolean {
  return [fee.fixed, fee.perMinute].some((v) => v !== undefined && !new Big(v).eq(0));
}

/** The fee's lines for a reservation held from `from` to `to` (ISO times); none when the tariff charges nothing. */
export function reservationFeeLines(fee: ReservationFee, reservationId: number, from: string, to: string): ExtraCharge[] {
  const lines: ExtraCharge[] = [];
  if (fee.fixed !== undefined && !new Big(fee.fixed).eq(0)) {
    lines.push({ component: 'reservation_fee', description: `Reservation ${reservationId}`, quantity: '1', unit: 'reservation', unitPrice: plainDecimal(fee.fixed) });
  }
  const minutes = Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / 60_000));
  if (fee.perMinute !== undefined && !new Big(fee.perMinute).eq(0) && minutes > 0) {
    lines.push({ component: 'reservation_time', description: `Reservation ${reservationId}: time held`, quantity: String(minutes), unit: 'min', unitPrice: plainDecimal(fee.perMinute) });
  }
  return lines;
}

export interface PricedReservation {
  currency: string;
  lines: Array<ExtraCharge & { amount: string }>;
  total: string;
}

/** The receipt of a reservation that expired unused: each line rounded half-up to the minor unit, the total their sum. */
export function priceUnusedReservation(fee: ReservationFee, reservationId: number, from: string, to: string): PricedReservation {
  const lines = fee.chargeIfUnused ? reservationFeeLines(fee, reservationId, from, to) : [];
  const priced = lines.map((l) => ({ ...l, amount: roundToMinorUnit(new Big(l.quantity).times(l.unitPrice), fee.currency) }));
  const total = priced.reduce((sum, l) => sum.plus(l.amount), new Big(0));
  return { currency: fee.currency, lines: priced, total: roundToMinorUnit(total, fee.currency) };
}
