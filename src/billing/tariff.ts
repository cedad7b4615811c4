/**
 * The tariff a session is billed by, snapshotted into the workflow when the session starts:
 * a later change to the tariff never changes the price of a running or finished session.
 * Decimals are strings (exact); absent components cost nothing, so a tariff with only
 * `energyPricePerKwh` prices exactly as a plain per-kWh tariff.
 *
 * Rules (see price-session.ts for the arithmetic):
 * - Charging time runs from the transaction start until charging finished (the start of the
 *   idle stretch, see below) or the session end; it is billed per whole minute, rounded down.
 * - Idle time runs from the first SuspendedEV/Finishing status after charging began (a later
 *   Charging status cancels it: the car was only pausing) until the EV unplugs (Available) or
 *   the session ends, whichever is first. The first `idleGraceMinutes` are free; the rest is
 *   billed per whole minute, rounded down.
 * - Time of use: the first period whose days and [from, to) local time (in `timeZone`)
 *   contain an instant gives the energy price at that instant; outside every period the
 *   base `energyPricePerKwh` applies. Energy between two readings that straddle a period
 *   boundary is split by linear interpolation on the readings' timestamps (see usage.ts).
 * - Min/max clamp the sum of the components; tax applies after the clamp.
 * - `pricesIncludeTax`: prices (and min/max) are gross; the tax is extracted from the total.
 * - `rounding`: 'per_line' (default) rounds each line half-up to the currency's minor unit and
 *   the subtotal is their sum; 'total' keeps lines exact and rounds once, adding a `rounding`
 *   line for the difference, so the lines always sum to the rounded amount.
 */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const weekdays: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface TimeOfUsePeriod {
  /** Shown on the receipt, e.g. "Peak". */
  name?: string;
  /** Local days the period applies on; absent: every day. */
  days?: Weekday[];
  /** Local "HH:MM", inclusive. */
  from: string;
  /** Local "HH:MM" (or "24:00"), exclusive; later than `from` (split an overnight period in two). */
  to: string;
  energyPricePerKwh: string;
}

export type RoundingRule = 'per_line' | 'total';

export interface TariffSnapshot {
  tariffId: string;
  version: number;
  name: string;
  /** ISO 4217 code; its minor unit decides rounding. */
  currency: string;
  /** Price per kWh of energy delivered (outside every time-of-use period). */
  energyPricePerKwh: string;
  /** Price per minute of charging time. */
  pricePerMinute?: string;
  /** Once per session. */
  sessionFee?: string;
  /** Price per minute the vehicle stays plugged in after charging finished, after the grace period. */
  idleFeePerMinute?: string;
  idleGraceMinutes?: number;
  minPrice?: string;
  maxPrice?: string;
  /** e.g. "0.19" for 19 % VAT. */
  taxRate?: string;
  /** true: the prices above are gross (tax included); false/absent: net. */
  pricesIncludeTax?: boolean;
  /** IANA time zone of the station, for time-of-use periods; absent: UTC. */
  timeZone?: string;
  timeOfUse?: TimeOfUsePeriod[];
  rounding?: RoundingRule;
  /** Reservations (reservation-fee.ts): a fixed fee, and per whole minute held. */
  reservationFee?: string;
  reservationFeePerMinute?: string;
  /** false: a reservation that expires unused costs nothing (default: it pays its fee). */
  reservationFeeIfUnused?: boolean;
}
