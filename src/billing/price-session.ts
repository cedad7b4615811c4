/**
 * One pricing function for both the live cost so far and the final receipt, so they never disagree.
 * energy = (latest register − start register) Wh / 1000; cost = energy × price, half-up to the minor unit.
 */
import { Big, plainDecimal, roundToMinorUnit, whToKwh } from './money';
import type { TariffSnapshot } from './tariff';
import type { SessionUsage } from './usage';

export interface ReceiptLine {
  component: 'energy';
  description: string;
  quantity: string;
  unit: 'kWh';
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
}

export function priceSession(tariff: TariffSnapshot, usage: SessionUsage, _endTime: string): PricedSession {
  const deliveredWh = new Big(usage.meterLatestWh).minus(usage.meterStartWh);
  const energyKwh = deliveredWh.lt(0) ? new Big(0) : whToKwh(deliveredWh);
  const amount = roundToMinorUnit(energyKwh.times(tariff.energyPricePerKwh), tariff.currency);
  const zero = roundToMinorUnit('0', tariff.currency);
  return {
    currency: tariff.currency,
    energyKwh: plainDecimal(energyKwh),
    lines: [{ component: 'energy', description: 'Energy', quantity: plainDecimal(energyKwh), unit: 'kWh', unitPrice: plainDecimal(tariff.energyPricePerKwh), amount }],
    subtotal: amount,
    tax: zero,
    total: amount,
  };
}
