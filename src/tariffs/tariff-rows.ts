/**
 * How a tariff row of PostgreSQL reads as a Tariff and as the billing snapshot a session takes
 * at start. Shared by the API's tariff store and the worker's tariff lookup.
 */
import type { RoundingRule, TariffSnapshot, TimeOfUsePeriod } from '../billing/tariff';
import { plainDecimal } from '../billing/money';

/** The optional pricing components; null (or absent) costs nothing. */
export interface TariffComponents {
  pricePerMinute: string | null;
  sessionFee: string | null;
  idleFeePerMinute: string | null;
  idleGraceMinutes: number | null;
  minPrice: string | null;
  maxPrice: string | null;
  taxRate: string | null;
  pricesIncludeTax: boolean;
  rounding: RoundingRule;
  timeOfUse: TimeOfUsePeriod[];
  reservationFee: string | null;
  reservationFeePerMinute: string | null;
  reservationFeeIfUnused: boolean;
}

export interface Tariff extends Partial<TariffComponents> {
  id: string;
  name: string;
  currency: string;
  ratePerKwh: string;
  isDefault: boolean;
  createdAt: string;
  /** Absent only where a caller selected the base columns alone. */
  version?: number;
  updatedAt?: string;
}

export interface TariffRow {
  id: string;
  name: string;
  currency: string;
  rate_per_kwh: string;
  is_default: boolean;
  created_at: Date;
  version: number;
  price_per_minute?: string | null;
  session_fee?: string | null;
  idle_fee_per_minute?: string | null;
  idle_grace_minutes?: number | null;
  min_price?: string | null;
  max_price?: string | null;
  tax_rate?: string | null;
  prices_include_tax?: boolean;
  rounding?: RoundingRule;
  time_of_use?: TimeOfUsePeriod[];
  reservation_fee?: string | null;
  reservation_fee_per_minute?: string | null;
  reservation_fee_if_unused?: boolean;
  updated_at?: Date;
}

const decimalOrNull = (v: string | null | undefined): string | null => (v === null || v === undefined ? null : plainDecimal(String(v)));

/** Maps a row of `tariffColumns` (or a version read back from tariff_versions). */
export function toTariff(row: TariffRow): Tariff {
  return {
    id: row.id,
    name: row.name,
    currency: row.currency,
    ratePerKwh: plainDecimal(row.rate_per_kwh),
    isDefault: row.is_default,
    createdAt: row.created_at.toISOString(),
    version: row.version,
    pricePerMinute: decimalOrNull(row.price_per_minute),
    sessionFee: decimalOrNull(row.session_fee),
    idleFeePerMinute: decimalOrNull(row.idle_fee_per_minute),
    idleGraceMinutes: row.idle_grace_minutes ?? null,
    minPrice: decimalOrNull(row.min_price),
    maxPrice: decimalOrNull(row.max_price),
    taxRate: decimalOrNull(row.tax_rate),
    pricesIncludeTax: row.prices_include_tax ?? false,
    rounding: row.rounding ?? 'per_line',
    timeOfUse: row.time_of_use ?? [],
    reservationFee: decimalOrNull(row.reservation_fee),
    reservationFeePerMinute: decimalOrNull(row.reservation_fee_per_minute),
    reservationFeeIfUnused: row.reservation_fee_if_unused ?? true,
    updatedAt: row.updated_at?.toISOString(),
  };
}

/** The billing snapshot of a tariff (absent components left out), in the station's time zone. */
export function toTariffSnapshot(tariff: Tariff, timeZone = 'UTC'): TariffSnapshot {
  const snapshot: TariffSnapshot = {
    tariffId: tariff.id,
    version: tariff.version ?? 1,
    name: tariff.name,
    currency: tariff.currency,
    energyPricePerKwh: tariff.ratePerKwh,
    timeZone,
  };
  if (tariff.pricePerMinute) snapshot.pricePerMinute = tariff.pricePerMinute;
  if (tariff.sessionFee) snapshot.sessionFee = tariff.sessionFee;
  if (tariff.idleFeePerMinute) snapshot.idleFeePerMinute = tariff.idleFeePerMinute;
  if (tariff.idleGraceMinutes !== null && tariff.idleGraceMinutes !== undefined) snapshot.idleGraceMinutes = tariff.idleGraceMinutes;
  if (tariff.minPrice) snapshot.minPrice = tariff.minPrice;
  if (tariff.maxPrice) snapshot.maxPrice = tariff.maxPrice;
  if (tariff.taxRate) snapshot.taxRate = tariff.taxRate;
  if (tariff.pricesIncludeTax) snapshot.pricesIncludeTax = true;
  if (tariff.rounding && tariff.rounding !== 'per_line') snapshot.rounding = tariff.rounding;
  if (tariff.timeOfUse?.length) snapshot.timeOfUse = tariff.timeOfUse;
  if (tariff.reservationFee) snapshot.reservationFee = tariff.reservationFee;
  if (tariff.reservationFeePerMinute) snapshot.reservationFeePerMinute = tariff.reservationFeePerMinute;
  if (tariff.reservationFeeIfUnused === false) snapshot.reservationFeeIfUnused = false;
  return snapshot;
}

export const tariffColumns =
  'id, name, currency, rate_per_kwh, is_default, created_at, version, price_per_minute, session_fee, idle_fee_per_minute, ' +
  'idle_grace_minutes, min_price, max_price, tax_rate, prices_include_tax, rounding, time_of_use, updated_at, ' +
  'reservation_fee, reservation_fee_per_minute, reservation_fee_if_unused';
