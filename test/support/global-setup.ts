/**
 * One real PostgreSQL for the whole test run (embedded, or TEST_DATABASE_URL when
 * set); each test file then creates its own fresh database on it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csms-test-pg-'));
  fs.chmodSync(dataDir, 0o755);
  const port = 55000 + Math.floor(Math.random() * 5000);
  const pg = await startEmbeddedPostgres({ dataDir, port });
  process.env.TEST_DATABASE_URL = pg.url;
  (globalThis as any).__csmsTestPostgres = { pg, dataDir };
}
