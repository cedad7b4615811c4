import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { migrate } from '../../src/db/migrate';
import { createPool, Pool } from '../../src/db/pool';

export interface TestDatabase {
  url: string;
  pool: Pool;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run tests through jest (global setup starts PostgreSQL)');
  return url;
}

/** A fresh, empty database on the test PostgreSQL (optionally migrated). */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const admin = new Client({ connectionString: serverUrl() });
  await admin.connect();
  const name = `test_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  if (options.migrate !== false) await migrate(url.toString());
  const pool = createPool(url.toString());
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      const c = new Client({ connectionString: serverUrl() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
