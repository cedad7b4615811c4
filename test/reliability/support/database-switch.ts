/** A PostgreSQL outage for the whole-stack tests: one test database made unreachable and reachable again. */
import { Client as PgClient } from 'pg';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Cuts and restores every connection to one database of the test PostgreSQL, from an admin connection. */
export async function databaseSwitch(databaseUrl: string) {
  const name = new URL(databaseUrl).pathname.slice(1);
  if (!/^test_[0-9a-f]+$/.test(name)) throw new Error(`unexpected test database name ${name}`);
  const admin = new PgClient({ connectionString: process.env.TEST_DATABASE_URL });
  admin.on('error', () => undefined);
  await admin.connect();
  const backends = async () =>
    (await admin.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name])).rows[0].n as number;
  return {
    /** No new connection is accepted, and every open one (pooled idle ones included) is terminated. */
    async cut(): Promise<Date> {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`);
      // A backend that was still starting up may appear after the first sweep: sweep until none is left twice in a row.
      for (let clean = 0; clean < 2; ) {
        await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
        await sleep(50);
        clean = (await backends()) === 0 ? clean + 1 : 0;
      }
      return (await admin.query('SELECT clock_timestamp() AS t')).rows[0].t;
    },
    /** The server's clock just before connections are allowed again: anything stored after the restore is stamped later. */
    async restore(): Promise<Date> {
      const before = (await admin.query('SELECT clock_timestamp() AS t')).rows[0].t;
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`);
      return before;
    },
    backends,
    /** The error a brand-new connection to the database gets, or 'connected'. */
    async connectAttempt(): Promise<string> {
      const c = new PgClient({ connectionString: databaseUrl, connectionTimeoutMillis: 5_000 });
      c.on('error', () => undefined);
      try {
        await c.connect();
        await c.query('SELECT 1');
        return 'connected';
      } catch (err) {
        return (err as Error).message;
      } finally {
        await c.end().catch(() => undefined);
      }
    },
    async close() {
      await admin.query(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`).catch(() => undefined);
      await admin.end();
    },
  };
}
