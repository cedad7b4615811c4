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

export function createPool(databaseUrl: string, max = 10): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max });
  // An idle client losing its connection (database restart) must not crash the process.
  pool.on('error', () => undefined);
  return pool;
}
