/**
 * Tariffs in PostgreSQL: price per kWh in a currency; at most one is the default, used by
 * chargers without a tariff of their own. Rates are exact NUMERIC, read back as strings.
 */
import type { Pool } from '../../db/pool';
import { conflict, notFound } from '../http/api-error';
import { inTransaction, isPgError, pgErrorCodes } from './transaction';
import { trimDecimal } from './session-store';

type Queryable = Pick<Pool, 'query'>;

export interface Tariff {
  id: string;
  name: string;
  currency: string;
  ratePerKwh: string;
  isDefault: boolean;
  createdAt: string;
}

interface TariffRow {
  id: string;
  name: string;
  currency: string;
  rate_per_kwh: string;
  is_default: boolean;
  created_at: Date;
}

export function toTariff(row: TariffRow): Tariff {
  return {
    id: row.id,
    name: row.name,
    currency: row.currency,
    ratePerKwh: trimDecimal(row.rate_per_kwh),
    isDefault: row.is_default,
    createdAt: row.created_at.toISOString(),
  };
}

const columns = 'id, name, currency, rate_per_kwh, is_default, created_at';

export async function listTariffs(db: Queryable): Promise<Tariff[]> {
  const { rows } = await db.query<TariffRow>(`SELECT ${columns} FROM tariffs ORDER BY id`);
  return rows.map(toTariff);
}

export async function getTariff(db: Queryable, id: string): Promise<Tariff | null> {
  const { rows } = await db.query<TariffRow>(`SELECT ${columns} FROM tariffs WHERE id = $1`, [id]);
  return rows[0] ? toTariff(rows[0]) : null;
}

export interface TariffInput {
  name: string;
  currency: string;
  ratePerKwh: string;
  isDefault: boolean;
}

/** Making a tariff the default takes the flag from the previous default in the same transaction. */
export async function createTariff(pool: Pool, id: string, input: TariffInput): Promise<Tariff> {
  try {
    return await inTransaction(pool, async (db) => {
      if (input.isDefault) await db.query('UPDATE tariffs SET is_default = FALSE WHERE is_default');
      const { rows } = await db.query<TariffRow>(
        `INSERT INTO tariffs (id, name, currency, rate_per_kwh, is_default) VALUES ($1, $2, $3, $4, $5) RETURNING ${columns}`,
        [id, input.name, input.currency, input.ratePerKwh, input.isDefault],
      );
      return toTariff(rows[0]);
    });
  } catch (err) {
    if (isPgError(err, pgErrorCodes.uniqueViolation, 'tariffs_pkey')) throw conflict(`tariff ${id} already exists`);
    throw err;
  }
}

export async function updateTariff(pool: Pool, id: string, changes: Partial<TariffInput>): Promise<Tariff> {
  return inTransaction(pool, async (db) => {
    if (changes.isDefault) await db.query('UPDATE tariffs SET is_default = FALSE WHERE is_default AND id <> $1', [id]);
    const { rows } = await db.query<TariffRow>(
      `UPDATE tariffs SET name = COALESCE($2, name), currency = COALESCE($3, currency),
              rate_per_kwh = COALESCE($4::numeric, rate_per_kwh), is_default = COALESCE($5, is_default)
        WHERE id = $1 RETURNING ${columns}`,
      [id, changes.name ?? null, changes.currency ?? null, changes.ratePerKwh ?? null, changes.isDefault ?? null],
    );
    if (!rows[0]) throw notFound(`tariff ${id}`);
    return toTariff(rows[0]);
  });
}

/** Chargers on a removed tariff fall back to the default (FK ON DELETE SET NULL). */
export async function deleteTariff(db: Queryable, id: string): Promise<void> {
  const { rowCount } = await db.query('DELETE FROM tariffs WHERE id = $1', [id]);
  if (!rowCount) throw notFound(`tariff ${id}`);
}
