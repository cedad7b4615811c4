/**
 * The benchmark's own PostgreSQL (embedded, in a temp dir, on a free port) and Temporal dev server
 * (free ports, SQLite in the same temp dir). Never touches data/; removes the temp dir afterwards.
 */
import fs from 'node:fs';
import { freePort } from '../../src/free-port';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { migrate } from '../../src/db/migrate';
import { createLogger } from '../../src/logger';
import { temporalCliPath } from '../../src/temporal/binaries';
import { startTemporalDevServer } from '../../src/temporal/dev-server';

export interface BenchInfrastructure {
  dir: string;
  databaseUrl: string;
  temporalAddress: string;
  close(): Promise<void>;
}

export async function startBenchInfrastructure(): Promise<BenchInfrastructure> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csms-bench-'));
  // As root, embedded-postgres runs the server as a `postgres` user, who must reach the data dir.
  fs.chmodSync(dir, 0o755);
  const logger = createLogger({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' });
  const closers: Array<() => Promise<unknown>> = [async () => fs.rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch((err) => console.error('bench: cleanup step failed', err));
    closers.length = 0;
  };
  try {
    const [pg, temporal] = await Promise.all([
      (async () => {
        const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
        closers.push(() => pg.stop());
        return pg;
      })(),
      (async () => {
        const server = await startTemporalDevServer({
          cliPath: temporalCliPath(undefined),
          dataDir: dir,
          port: await freePort(),
          uiPort: await freePort(),
          namespace: 'default',
          logger,
        });
        closers.push(() => server.stop());
        return server;
      })(),
    ]);
    await migrate(pg.url);
    return { dir, databaseUrl: pg.url, temporalAddress: temporal.address, close };
  } catch (err) {
    await close();
    throw err;
  }
}
