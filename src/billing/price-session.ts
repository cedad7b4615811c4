/**
 * One pricing function for both the live cost so far and the final receipt, so they never disagree.
 * Pure and exact (big.js decimals, never binary floating point).
 *
 * 1. Component lines, each `quantity × unit price`:
 *    energy: (latest register − start register) Wh / 1000 kWh × price (one line per time-of-use
 *    period used); time: whole minutes of charging × price per minute; idle: whole idle minutes
 *    beyond the grace period × idle fee; session fee: once. A component the tariff lacks, or
 *    whose amount is zero (other than energy), is left off.
 * 2. Rounding 'per_line' (default): every line is rounded half-up to the currency's minor unit
 *    (0.625 EUR → 0.63); 'total': lines stay exact and the sum is rounded once, a `rounding`
 *    line carrying the difference. Either way the lines sum exactly to the amount in step 3/4.
 * 3. Minimum/maximum price: a `minimum_price` / `maximum_price` line lifts or caps the sum.
 * 4. Tax: net prices (default): subtotal = the lines' sum, tax = subtotal × rate rounded half-up,
 *    total = subtotal + tax. Gross prices (`pricesIncludeTax`): total = the lines' sum, tax =
 *    total × rate / (1 + rate) rounded half-up, subtotal = total − tax.
 * So: lines sum to `linesSumTo` (subtotal when net, total when gross); subtotal + tax = total.
 */
import { Big, currencyMinorUnit, plainDecimal, roundToMinorUnit, whToKwh } from './money';
import type { TariffSnapshot } from './tariff';
import type { ExtraCharge } from './reservation-fee';
import { periodOf } from './time-of-use';
import type { SessionUsage } from './usage';

export type ReceiptComponent = 'energy' | 'time' | 'idle' | 'session_fee' | 'reservation_fee' | 'reservation_time' | 'minimum_price' | 'maximum_price' | 'rounding';

export interface ReceiptLine {
  component: ReceiptComponent;
  description: string;
  quantity: string;
  unit: 'kWh' | 'min' | 'session' | 'reservation' | '';
  unitPrice: string;
  amount: string;
}

export interface PricedSession {
  currency: string;
  energyKwh: string;
  lines: ReceiptLine[];
  subtotal: string;
  tax: string;
  total: string;
  /** Whether the line amounts are gross (sum to total) or net (sum to subtotal). */
  pricesIncludeTax: boolean;
}

const minuteMs = 60_000;

/** Whole minutes from `from` to `to` (rounded down, never negative). */
function wholeMinutes(from: string, to: string): number {
  return Math.max(0, Math.floor((Date.parse(to) - Date.parse(from)) / minuteMs));
}

function periodDescription(tariff: TariffSnapshot, key: string): string {
  const period = periodOf(tariff, key);
  if (!period) return 'Energy';
  const days = period.days?.length ? ` ${period.days.join(',')}` : '';
  return `Energy${period.name ? ` (${period.name})` : ''} ${period.from}–${period.to}${days}`;
}

interface RawLine {
  component: ReceiptComponent;
  description: string;
  quantity: Big;
  unit: ReceiptLine['unit'];
  unitPrice: Big;
}

/** `extras`: lines priced outside the session (a reservation fee it used), before min/max and tax like the session fee. */
export function priceSession(tariff: TariffSnapshot, usage: SessionUsage, endTime: string, extras: readonly ExtraCharge[] = []): PricedSession {
  const currency = tariff.currency;
  const deliveredWh = new Big(usage.meterLatestWh).minus(usage.meterStartWh);
  const energyKwh = deliveredWh.lt(0) ? new Big(0) : whToKwh(deliveredWh);
  const raw: RawLine[] = [];

  // Energy: one line, or one per time-of-use period the session used.
  const byPeriod = usage.energyWhByPeriod;
  if (tariff.timeOfUse?.length && byPeriod && Object.keys(byPeriod).length > 0) {
    const keys = Object.keys(byPeriod).sort((a, b) => (a === 'base' ? -1 : b === 'base' ? 1 : Number(a) - Number(b)));
    for (const key of keys) {
      const price = periodOf(tariff, key)?.energyPricePerKwh ?? tariff.energyPricePerKwh;
      raw.push({ component: 'energy', description: periodDescription(tariff, key), quantity: whToKwh(byPeriod[key]), unit: 'kWh', unitPrice: new Big(price) });
    }
  } else {
    raw.push({ component: 'energy', description: 'Energy', quantity: energyKwh, unit: 'kWh', unitPrice: new Big(tariff.energyPricePerKwh) });
  }

  const chargingEnd = usage.chargingEndedAt && usage.chargingEndedAt < endTime ? usage.chargingEndedAt : endTime;
  if (tariff.pricePerMinute && !new Big(tariff.pricePerMinute).eq(0)) {
    const minutes = wholeMinutes(usage.startTime, chargingEnd);
    if (minutes > 0) raw.push({ component: 'time', description: 'Charging time', quantity: new Big(minutes), unit: 'min', unitPrice: new Big(tariff.pricePerMinute) });
  }
  if (tariff.idleFeePerMinute && !new Big(tariff.idleFeePerMinute).eq(0) && usage.chargingEndedAt && usage.chargingEndedAt < endTime) {
    const idleEnd = usage.idleEndedAt && usage.idleEndedAt < endTime ? usage.idleEndedAt : endTime;
    const grace = tariff.idleGraceMinutes ?? 0;
    const minutes = wholeMinutes(usage.chargingEndedAt, idleEnd) - grace;
    if (minutes > 0) {
      const description = grace > 0 ? `Idle time after charging (first ${grace} min free)` : 'Idle time after charging';
      raw.push({ component: 'idle', description, quantity: new Big(minutes), unit: 'min', unitPrice: new Big(tariff.idleFeePerMinute) });
    }
  }
  if (tariff.sessionFee && !new Big(tariff.sessionFee).eq(0)) {
    raw.push({ component: 'session_fee', description: 'Session fee', quantity: new Big(1), unit: 'session', unitPrice: new Big(tariff.sessionFee) });
  }
  for (const extra of extras) raw.push({ ...extra, quantity: new Big(extra.quantity), unitPrice: new Big(extra.unitPrice) });

  const perLine = (tariff.rounding ?? 'per_line') === 'per_line';
  const money = (amount: Big): Big => (perLine ? new Big(roundToMinorUnit(amount, currency)) : amount);
  const lines: Array<{ line: Omit<ReceiptLine, 'amount'>; amount: Big }> = raw.map((r) => ({
    line: { component: r.component, description: r.description, quantity: plainDecimal(r.quantity), unit: r.unit, unitPrice: plainDecimal(r.unitPrice) },
    amount: money(r.quantity.times(r.unitPrice)),
  }));
  const sum = (): Big => lines.reduce((acc, l) => acc.plus(l.amount), new Big(0));
  const adjust = (component: ReceiptComponent, description: string, amount: Big): void => {
    lines.push({ line: { component, description, quantity: '1', unit: '', unitPrice: plainDecimal(amount) }, amount });
  };

  if (tariff.minPrice !== undefined && sum().lt(money(new Big(tariff.minPrice)))) {
    adjust('minimum_price', `Minimum price ${plainDecimal(tariff.minPrice)} ${currency}`, money(new Big(tariff.minPrice)).minus(sum()));
  }
  if (tariff.maxPrice !== undefined && sum().gt(money(new Big(tariff.maxPrice)))) {
    adjust('maximum_price', `Maximum price ${plainDecimal(tariff.maxPrice)} ${currency}`, money(new Big(tariff.maxPrice)).minus(sum()));
  }
  const exactSum = sum();
  const rounded = new Big(roundToMinorUnit(exactSum, currency));
  if (!rounded.eq(exactSum)) adjust('rounding', 'Rounding', rounded.minus(exactSum));

  const rate = new Big(tariff.taxRate ?? '0');
  const gross = tariff.pricesIncludeTax === true;
  const tax = new Big(roundToMinorUnit(gross ? rounded.times(rate).div(rate.plus(1)) : rounded.times(rate), currency));
  const subtotal = gross ? rounded.minus(tax) : rounded;
  const total = gross ? rounded : rounded.plus(tax);
  const dp = currencyMinorUnit(currency);
  return {
    currency,
    energyKwh: plainDecimal(energyKwh),
    lines: lines.map((l) => ({ ...l.line, amount: perLine ? l.amount.toFixed(dp) : plainDecimal(l.amount) })),
    subtotal: subtotal.toFixed(dp),
    tax: tax.toFixed(dp),
    total: total.toFixed(dp),
    pricesIncludeTax: gross,
  };
}
