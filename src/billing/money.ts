/**
 * Exact money arithmetic: decimal strings in, decimal strings out, big.js in between.
 * Pure (no I/O, no clock): imported by workflow code for the live cost so far.
 */
import Big from 'big.js';

/** ISO 4217 minor units where they differ from 2. */
const minorUnitExceptions: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
};

export function currencyMinorUnit(currency: string): number {
  return minorUnitExceptions[currency.toUpperCase()] ?? 2;
}

/** Half-up (away from zero on .5) to the currency's minor unit: 0.625 EUR → 0.63. */
export function roundToMinorUnit(amount: Big | string, currency: string): string {
  return new Big(amount).round(currencyMinorUnit(currency), Big.roundHalfUp).toFixed(currencyMinorUnit(currency));
}

/** A decimal string without padding zeros ("2.500" → "2.5"), never in exponent notation. */
export function plainDecimal(value: Big | string): string {
  return new Big(value).toFixed();
}

/** Wh (integer or decimal string) → kWh, exact. */
export function whToKwh(wh: Big | string | number): Big {
  return new Big(wh).div(1000);
}

/** An amount as an integer count of the currency's minor unit (0.63 EUR → 63), as payment providers take it; rounded half-up first. */
export function toMinorUnits(amount: Big | string, currency: string): number {
  const digits = currencyMinorUnit(currency);
  return Number(new Big(roundToMinorUnit(amount, currency)).times(new Big(10).pow(digits)).toFixed(0));
}

/** Minor units back to a decimal string with the currency's digits (63 EUR cents → "0.63"). */
export function fromMinorUnits(minor: number, currency: string): string {
  const digits = currencyMinorUnit(currency);
  return new Big(minor).div(new Big(10).pow(digits)).toFixed(digits);
}

export { Big };
