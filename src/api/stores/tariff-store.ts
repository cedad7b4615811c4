/**
 * Tariffs in PostgreSQL: price per kWh in a currency, plus the optional components charging
 * networks use (see src/billing/tariff.ts); at most one is the default, used by chargers without
 * a tariff of their own. Money is exact NUMERIC, read back as strings.
 *
 * Versions: the database bumps `version` on every change to what a tariff charges and keeps each
 * version in tariff_versions (migration 0002). Sessions bill by the snapshot they took at start,
 * so a change never reprices a running or finished session.
 */
import type { Pool } from '../../db/pool';
import { tariffColumns, toTariff, type Tariff, type TariffComponents, type TariffRow } from '../../tariffs/tariff-rows';
import { ApiError, conflict, notFound } from '../http/api-error';
import { inTransaction, isPgError, pgErrorCodes } from './transaction';

type Queryable = Pick<Pool, 'query'>;
export type { Tariff, TariffComponents };

const columns = tariffColumns;

export async function listTariffs(db: Queryable): Promise<Tariff[]> {
  const { rows } = await db.query<TariffRow>(`SELECT ${columns} FROM tariffs ORDER BY id`);
  return rows.map(toTariff);
}

export async function getTariff(db: Queryable, id: string): Promise<Tariff | null> {
  const { rows } = await db.query<TariffRow>(`SELECT ${columns} FROM tariffs WHERE id = $1`, [id]);
  return rows[0] ? toTariff(rows[0]) : null;
}

/**
 * One version of a tariff as it was (kept by the database on every change). NUMERIC inside JSONB
 * is exact; `->>` reads it back as text, never through a JavaScript number.
 */
export async function getTariffVersion(db: Queryable, id: string, version: number): Promise<Tariff | null> {
  const text = ['id', 'name', 'currency', 'rate_per_kwh', 'price_per_minute', 'session_fee', 'idle_fee_per_minute', 'min_price', 'max_price', 'tax_rate', 'rounding', 'reservation_fee', 'reservation_fee_per_minute'];
  const { rows } = await db.query<TariffRow>(
    `SELECT ${text.map((c) => `tariff->>'${c}' AS ${c}`).join(', ')},
            (tariff->>'version')::int AS version, (tariff->>'idle_grace_minutes')::int AS idle_grace_minutes,
            (tariff->>'is_default')::boolean AS is_default, (tariff->>'prices_include_tax')::boolean AS prices_include_tax,
            COALESCE((tariff->>'reservation_fee_if_unused')::boolean, true) AS reservation_fee_if_unused,
            tariff->'time_of_use' AS time_of_use, (tariff->>'created_at')::timestamptz AS created_at, (tariff->>'updated_at')::timestamptz AS updated_at
       FROM tariff_versions WHERE tariff_id = $1 AND version = $2`,
    [id, version],
  );
  return rows[0] ? toTariff(rows[0]) : null;
}

export interface TariffInput extends Partial<TariffComponents> {
  name: string;
  currency: string;
  ratePerKwh: string;
  isDefault: boolean;
}

/** API field → column; time_of_use is JSONB (prices stay decimal strings). */
const componentColumns: Array<[keyof TariffComponents, string, string]> = [
  ['pricePerMinute', 'price_per_minute', 'numeric'],
  ['sessionFee', 'session_fee', 'numeric'],
  ['idleFeePerMinute', 'idle_fee_per_minute', 'numeric'],
  ['idleGraceMinutes', 'idle_grace_minutes', 'integer'],
  ['minPrice', 'min_price', 'numeric'],
  ['maxPrice', 'max_price', 'numeric'],
  ['taxRate', 'tax_rate', 'numeric'],
  ['pricesIncludeTax', 'prices_include_tax', 'boolean'],
  ['rounding', 'rounding', 'text'],
  ['timeOfUse', 'time_of_use', 'jsonb'],
  ['reservationFee', 'reservation_fee', 'numeric'],
  ['reservationFeePerMinute', 'reservation_fee_per_minute', 'numeric'],
  ['reservationFeeIfUnused', 'reservation_fee_if_unused', 'boolean'],
];
const baseColumns: Array<[keyof TariffInput, string, string]> = [
  ['name', 'name', 'text'],
  ['currency', 'currency', 'text'],
  ['ratePerKwh', 'rate_per_kwh', 'numeric'],
  ['isDefault', 'is_default', 'boolean'],
];
const sqlValue = (type: string, value: unknown): unknown => (type === 'jsonb' && value !== null ? JSON.stringify(value) : value);

/** A PATCH can put minPrice above the stored maxPrice (or the reverse): the database says no, the caller gets a 400. */
function minAboveMax(err: unknown): boolean {
  return isPgError(err, '23514', 'tariffs_min_not_above_max');
}
const minAboveMaxError = (): ApiError =>
  new ApiError(400, 'invalid_request', 'body.minPrice: must not be above maxPrice', [{ field: 'body.minPrice', problem: 'must not be above maxPrice' }]);

/** Making a tariff the default takes the flag from the previous default in the same transaction. */
export async function createTariff(pool: Pool, id: string, input: TariffInput): Promise<Tariff> {
  try {
    return await inTransaction(pool, async (db) => {
      if (input.isDefault) await db.query('UPDATE tariffs SET is_default = FALSE WHERE is_default');
      const present = [...baseColumns, ...componentColumns].filter(([key]) => (input as unknown as Record<string, unknown>)[key] !== undefined);
      const values = present.map(([key, , type]) => sqlValue(type, (input as unknown as Record<string, unknown>)[key]));
      const { rows } = await db.query<TariffRow>(
        `INSERT INTO tariffs (id, ${present.map(([, col]) => col).join(', ')})
              VALUES ($1, ${present.map(([, , type], i) => `$${i + 2}::${type}`).join(', ')}) RETURNING ${columns}`,
        [id, ...values],
      );
      return toTariff(rows[0]);
    });
  } catch (err) {
    if (isPgError(err, pgErrorCodes.uniqueViolation, 'tariffs_pkey')) throw conflict(`tariff ${id} already exists`);
    if (minAboveMax(err)) throw minAboveMaxError();
    throw err;
  }
}

/** Fields given (null clears an optional component) change; any change to a price bumps the version. */
export async function updateTariff(pool: Pool, id: string, changes: Partial<TariffInput>): Promise<Tariff> {
  try {
    return await inTransaction(pool, async (db) => {
      if (changes.isDefault) await db.query('UPDATE tariffs SET is_default = FALSE WHERE is_default AND id <> $1', [id]);
      const present = [...baseColumns, ...componentColumns].filter(([key]) => (changes as Record<string, unknown>)[key] !== undefined);
      const values = present.map(([key, , type]) => sqlValue(type, (changes as Record<string, unknown>)[key]));
      const sets = present.map(([, col, type], i) => `${col} = $${i + 2}::${type}`);
      const { rows } = await db.query<TariffRow>(
        `UPDATE tariffs SET ${sets.length ? sets.join(', ') : 'id = id'} WHERE id = $1 RETURNING ${columns}`,
        [id, ...values],
      );
      if (!rows[0]) throw notFound(`tariff ${id}`);
      return toTariff(rows[0]);
    });
  } catch (err) {
    if (minAboveMax(err)) throw minAboveMaxError();
    throw err;
  }
}

/** Chargers on a removed tariff fall back to the default (FK ON DELETE SET NULL); its versions stay. */
export async function deleteTariff(db: Queryable, id: string): Promise<void> {
  const { rowCount } = await db.query('DELETE FROM tariffs WHERE id = $1', [id]);
  if (!rowCount) throw notFound(`tariff ${id}`);
}
