import { Client } from 'pg';
import { runner } from 'node-pg-migrate';
import { migrationsDir } from '../paths';
import type { Logger } from '../logger';

/** Applies the versioned SQL migrations in src/db/migrations; a no-op on an up-to-date database. */
export async function migrate(databaseUrl: string, logger?: Logger): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const applied = await runner({
      dbClient: client,
      dir: migrationsDir,
      direction: 'up',
      migrationsTable: 'schema_migrations',
      checkOrder: true,
      log: (msg: string) => logger?.debug({ component: 'migrate' }, msg),
    });
    const names = applied.map((m) => m.name);
    if (names.length > 0) logger?.info({ migrations: names }, 'applied database migrations');
    return names;
  } finally {
    await client.end();
  }
}
