/** Seeding straight into PostgreSQL for the gateway-only measurements (the sessions measurement uses the operator API). */
import { randomBytes, scryptSync } from 'node:crypto';
import type { Pool } from 'pg';

/**
 * A charger password hash in the format src/security/password.ts writes and verifies, with a
 * cheaper scrypt cost (N=1024 instead of 16384). verifyPassword reads the cost from the stored
 * hash, so the gateway runs its normal code; only the per-connection CPU of the check is smaller.
 * The production cost is measured separately (chargers registered through the API).
 */
export function cheapPasswordHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 1024, r: 8, p: 1 });
  return ['scrypt', 1024, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function seedChargers(pool: Pool, ids: string[], passwordHash: string): Promise<void> {
  for (let i = 0; i < ids.length; i += 5000) {
    await pool.query(`INSERT INTO chargers (id, password_hash) SELECT unnest($1::text[]), $2 ON CONFLICT (id) DO NOTHING`, [ids.slice(i, i + 5000), passwordHash]);
  }
}

export async function seedDriver(pool: Pool, driverId: string, idTag: string): Promise<void> {
  await pool.query(`INSERT INTO drivers (id, name) VALUES ($1, $1) ON CONFLICT DO NOTHING`, [driverId]);
  await pool.query(`INSERT INTO id_tags (id_tag, driver_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`, [idTag, driverId]);
}
