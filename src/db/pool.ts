import { Pool, types } from 'pg';

// BIGINT (int8) as a JS number would silently lose precision past 2^53; meter registers
// stay far below that, so parse them as numbers but refuse anything unsafe.
types.setTypeParser(20, (value: string) => {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${value} exceeds the safe integer range`);
  return n;
});
// NUMERIC stays a string: money and energy are exact decimals (big.js), never floats.

export type { Pool };

export interface PoolOptions {
  max?: number;
  /**
   * How long opening a connection may take (default 10 s). pg waits forever by default, so a
   * database behind a network cut that drops packets would hang every OCPP message and activity
   * instead of failing them: the charger then retries, and Temporal retries the activity.
   */
  connectTimeoutMs?: number;
}

export function createPool(databaseUrl: string, options: PoolOptions = {}): Pool {
  const pool = new Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    // Notice a peer that vanished without a FIN on connections that sit idle in the pool.
    keepAlive: true,
  });
  // A client losing its connection (database restart, network cut) must not crash the process:
  // idle clients report on the pool, checked-out ones on themselves; the query in flight
  // fails with the error either way, and the pool replaces the client.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  return pool;
}
