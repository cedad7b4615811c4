/** API tokens in PostgreSQL, looked up by hash (the token itself is never stored). */
import type { Pool } from '../../db/pool';
import type { Principal } from '../auth/principal';
import { hashApiToken, newApiToken } from '../auth/api-token';

type Queryable = Pick<Pool, 'query'>;

export async function findPrincipalByToken(db: Queryable, token: string): Promise<Principal | null> {
  const { rows } = await db.query<{ role: 'driver' | 'operator'; driver_id: string | null }>(
    'SELECT role, driver_id FROM api_tokens WHERE token_hash = $1',
    [hashApiToken(token)],
  );
  const row = rows[0];
  if (!row) return null;
  return row.role === 'operator' ? { role: 'operator' } : { role: 'driver', driverId: row.driver_id! };
}

/** Issues a new driver token; the caller shows it once. */
export async function issueDriverToken(db: Queryable, driverId: string): Promise<string> {
  const token = newApiToken();
  await db.query(`INSERT INTO api_tokens (token_hash, role, driver_id) VALUES ($1, 'driver', $2)`, [hashApiToken(token), driverId]);
  return token;
}

export async function revokeDriverTokens(db: Queryable, driverId: string): Promise<number> {
  const { rowCount } = await db.query('DELETE FROM api_tokens WHERE driver_id = $1', [driverId]);
  return rowCount ?? 0;
}

/** Stores the configured operator token's hash; idempotent, so every start may call it. */
export async function ensureOperatorToken(db: Queryable, token: string): Promise<void> {
  await db.query(`INSERT INTO api_tokens (token_hash, role) VALUES ($1, 'operator') ON CONFLICT (token_hash) DO NOTHING`, [hashApiToken(token)]);
}
