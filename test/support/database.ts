import { createScratchDatabase } from '../../src/db/scratch-database';
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
  const scratch = await createScratchDatabase(serverUrl(), 'test');
  if (options.migrate !== false) await migrate(scratch.url);
  const pool = createPool(scratch.url);
  return {
    url: scratch.url,
    pool,
    async drop() {
      await pool.end();
      await scratch.drop();
    },
  };
}
