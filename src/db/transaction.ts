/** Runs `work` in one database transaction (rolled back on any error); PostgreSQL error codes callers turn into answers. */
import type { PoolClient } from 'pg';
import type { Pool } from './pool';

export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
}

/** PostgreSQL error codes the stores turn into 409 / 404 answers. */
export const pgErrorCodes = { uniqueViolation: '23505', foreignKeyViolation: '23503' } as const;

export function isPgError(err: unknown, code: string, constraint?: string): boolean {
  const e = err as { code?: string; constraint?: string };
  return e?.code === code && (constraint === undefined || e.constraint === constraint);
}
