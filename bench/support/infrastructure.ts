/**
 * What the benchmark runs on. By default its own PostgreSQL (embedded, in a temp dir, on a free
 * port, with pg_stat_statements loaded so a session's statements can be counted) and Temporal dev
 * server (free ports, SQLite in the same temp dir); never data/, and the temp dir is removed
 * afterwards. With DATABASE_URL and/or TEMPORAL_ADDRESS (and TEMPORAL_NAMESPACE) set, those
 * servers instead, so the same figures can be taken on a production-shaped cluster: a fresh
 * database on that PostgreSQL (dropped afterwards; the user needs CREATEDB), and task queues of
 * this run only on that Temporal namespace (which needs the search attributes registered).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Config } from '../../src/config/config';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres';
import { migrate } from '../../src/db/migrate';
import { createScratchDatabase } from '../../src/db/scratch-database';
import { freePort } from '../../src/free-port';
import { createLogger } from '../../src/logger';
import { temporalCliPath } from '../../src/temporal/binaries';
import { sqlitePragmas, startTemporalDevServerOnFreePorts } from '../../src/temporal/dev-server';

export interface BenchInfrastructure {
  dir: string;
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
  /** What the figures were taken on, printed and stored beside them. */
  description: { postgres: string; temporal: string };
  close(): Promise<void>;
}

type Closer = () => Promise<unknown>;

async function postgres(config: Pick<Config, 'DATABASE_URL'>, dir: string, closers: Closer[]) {
  if (config.DATABASE_URL) {
    const server = new URL(config.DATABASE_URL);
    const scratch = await createScratchDatabase(config.DATABASE_URL, 'csms_bench');
    closers.push(() => scratch.drop());
    return { url: scratch.url, description: `external PostgreSQL at ${server.host} (database ${scratch.name}, dropped afterwards)` };
  }
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), serverSettings: { shared_preload_libraries: 'pg_stat_statements' } });
  closers.push(() => pg.stop());
  return { url: pg.url, description: 'embedded PostgreSQL (same machine)' };
}

async function temporal(config: Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'>, dir: string, closers: Closer[]) {
  if (config.TEMPORAL_ADDRESS) return { address: config.TEMPORAL_ADDRESS, description: `external Temporal at ${config.TEMPORAL_ADDRESS}, namespace ${config.TEMPORAL_NAMESPACE}` };
  const server = await startTemporalDevServerOnFreePorts({
    cliPath: temporalCliPath(undefined),
    dataDir: dir,
    namespace: config.TEMPORAL_NAMESPACE,
    logger: createLogger({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }),
  });
  closers.push(() => server.stop());
  return { address: server.address, description: `Temporal dev server (SQLite ${sqlitePragmas.join(', ')}, same machine)` };
}

export async function startBenchInfrastructure(config: Pick<Config, 'DATABASE_URL' | 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE'>): Promise<BenchInfrastructure> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'csms-bench-'));
  // Traversable, so that as root the cluster stays inside it and goes with it (not kept aside).
  fs.chmodSync(dir, 0o755);
  const closers: Closer[] = [async () => fs.rmSync(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch((err) => console.error('bench: cleanup step failed', err));
    closers.length = 0;
  };
  try {
    const [pg, t] = await Promise.all([postgres(config, dir, closers), temporal(config, dir, closers)]);
    await migrate(pg.url);
    return { dir, databaseUrl: pg.url, temporalAddress: t.address, namespace: config.TEMPORAL_NAMESPACE, description: { postgres: pg.description, temporal: t.description }, close };
  } catch (err) {
    await close();
    throw err;
  }
}
