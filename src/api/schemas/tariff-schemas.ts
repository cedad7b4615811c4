/** Tariff shapes: the stored tariff with its pricing components (see src/billing/tariff.ts for the rules). */
import { z } from 'zod';
import { currencySchema, decimalStringSchema, isoTimeSchema, nameSchema, tariffIdSchema } from './common';

const clockTime = (allowMidnightEnd: boolean) =>
  z
    .string()
    .regex(allowMidnightEnd ? /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/ : /^([01]\d|2[0-3]):[0-5]\d$/, allowMidnightEnd ? 'must be HH:MM (00:00–24:00)' : 'must be HH:MM (00:00–23:59)');

export const timeOfUsePeriodSchema = z
  .strictObject({
    name: nameSchema(50).optional().meta({ description: 'Shown on the receipt', example: 'Peak' }),
    days: z
      .array(z.enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], { error: 'must be one of mon, tue, wed, thu, fri, sat, sun' }))
      .min(1, 'must name at least one day (leave it out for every day)')
      .optional()
      .meta({ description: 'Local days the period applies on; absent: every day' }),
    from: clockTime(false).meta({ description: 'Local start time, inclusive', example: '07:00' }),
    to: clockTime(true).meta({ description: 'Local end time, exclusive, later than from (split overnight periods in two)', example: '22:00' }),
    energyPricePerKwh: decimalStringSchema,
  })
  .refine((p) => p.to > p.from, { path: ['to'], message: 'must be later than from (split an overnight period in two)' })
  .meta({
    id: 'TimeOfUsePeriod',
    description: "Energy price in a window of the station's local time; the first matching period wins",
    'x-constraints': ['`to` is later than `from` (split an overnight period in two)'],
    example: { name: 'Peak', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '22:00', energyPricePerKwh: '0.45' },
  });

/** A decimal string (as decimalStringSchema) from 0 to 1. */
const taxRateSchema = z
  .string()
  .regex(/^(0{1,12}(\.\d{1,6})?|0{0,11}1(\.0{1,6})?)$/, 'must be a fraction from 0 to 1 with up to 6 decimal places, such as "0.19" for 19 %')
  .meta({ description: 'Tax (VAT) rate as a fraction, e.g. "0.19"', example: '0.19' });

/** The optional components: as request fields (absent: keep / none). */
export const tariffComponentFields = {
  pricePerMinute: decimalStringSchema.meta({ description: 'Price per whole minute of charging' }),
  sessionFee: decimalStringSchema.meta({ description: 'Once per session' }),
  idleFeePerMinute: decimalStringSchema.meta({ description: 'Per whole minute plugged in after charging finished (SuspendedEV/Finishing), after the grace period' }),
  idleGraceMinutes: z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 or more').max(1440, 'must be 1440 or less'),
  minPrice: decimalStringSchema.meta({
    description: 'Minimum price of a session (same basis as the prices: net or gross)',
    'x-constraints': ['not above maxPrice (the one in the request, else the stored one)'],
  }),
  maxPrice: decimalStringSchema.meta({
    description: 'Maximum price of a session (same basis as the prices: net or gross)',
    'x-constraints': ['not below minPrice (the one in the request, else the stored one)'],
  }),
  taxRate: taxRateSchema,
  pricesIncludeTax: z.boolean({ error: 'must be true or false' }).meta({ description: 'true: prices are gross (tax included); false: net' }),
  rounding: z
    .enum(['per_line', 'total'], { error: 'must be per_line or total' })
    .meta({ description: 'per_line: each receipt line rounded half-up to the minor unit; total: lines exact, rounded once (a rounding line shows the difference)' }),
  timeOfUse: z.array(timeOfUsePeriodSchema).max(24, 'must have 24 periods or fewer'),
  reservationFee: decimalStringSchema.meta({ description: 'Once per reservation (on the receipt of the session that uses it, or its own receipt when it expires unused)' }),
  reservationFeePerMinute: decimalStringSchema.meta({ description: 'Per whole minute a reservation holds the connector (from the charger\'s Accepted to its use or expiry)' }),
  reservationFeeIfUnused: z.boolean({ error: 'must be true or false' }).meta({ description: 'false: a reservation that expires unused costs nothing (default true); a cancelled one never costs anything' }),
};

export function minNotAboveMax(body: { minPrice?: string | null; maxPrice?: string | null }): boolean {
  return body.minPrice == null || body.maxPrice == null || Number(body.minPrice) <= Number(body.maxPrice);
}
export const minAboveMaxIssue = { path: ['maxPrice'], message: 'must not be below minPrice' };

export const tariffSchema = z
  .object({
    id: tariffIdSchema,
    name: z.string(),
    currency: currencySchema,
    ratePerKwh: decimalStringSchema,
    isDefault: z.boolean(),
    createdAt: isoTimeSchema,
    version: z.number().int().optional().meta({ description: 'Bumped on every change to what the tariff charges; receipts name the version they were billed by' }),
    updatedAt: isoTimeSchema.optional(),
    pricePerMinute: decimalStringSchema.nullable().optional(),
    sessionFee: decimalStringSchema.nullable().optional(),
    idleFeePerMinute: decimalStringSchema.nullable().optional(),
    idleGraceMinutes: z.number().int().nullable().optional(),
    minPrice: decimalStringSchema.nullable().optional(),
    maxPrice: decimalStringSchema.nullable().optional(),
    taxRate: decimalStringSchema.nullable().optional(),
    pricesIncludeTax: z.boolean().optional(),
    rounding: z.enum(['per_line', 'total']).optional(),
    timeOfUse: z.array(timeOfUsePeriodSchema).optional(),
    reservationFee: decimalStringSchema.nullable().optional(),
    reservationFeePerMinute: decimalStringSchema.nullable().optional(),
    reservationFeeIfUnused: z.boolean().optional(),
  })
  .meta({ id: 'Tariff' });
