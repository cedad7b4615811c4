/**
 * As root, PostgreSQL runs as the `postgres` user, who cannot traverse a private (0700)
 * directory. A checkout under /root and a DATA_DIR in a private temp dir must still work,
 * and what cannot work must say so in one sentence.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import type { EmbeddedPostgresOptions } from '../../src/db/embedded-postgres';
import { projectRoot } from '../../src/paths';
import { freePort } from '../../src/free-port';

jest.setTimeout(120_000);

const asRoot = process.getuid?.() === 0;
const whenRoot = asRoot ? describe : describe.skip;

/** A directory only root may enter, like /root or a fresh mkdtemp. */
const privateDir = (name: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `csms-${name}-`));
  fs.chmodSync(dir, 0o700);
  return dir;
};

/** A world-traversable directory, like the project's default data/. */
const openDir = (name: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `csms-${name}-`));
  fs.chmodSync(dir, 0o755);
  return dir;
};

interface Started {
  url?: string;
  error?: string;
  configError?: boolean;
  stop(): Promise<void>;
}

/** A checkout of this project inside `home` (hard links: the same files under a private path). */
function checkoutUnder(home: string): string {
  const checkout = path.join(home, 'checkout');
  for (const part of ['package.json', 'node_modules', 'src', 'bench/register.js', 'test/platform/support']) {
    fs.mkdirSync(path.dirname(path.join(checkout, part)), { recursive: true });
    execFileSync('cp', ['-al', path.join(projectRoot, part), path.join(checkout, part)]);
  }
  return checkout;
}

/** startEmbeddedPostgres in a child process of the given checkout, as `npm start` runs it. */
async function startEmbeddedPostgres(options: EmbeddedPostgresOptions, checkout = projectRoot): Promise<Started> {
  const child = spawn(process.execPath, ['-r', path.join(checkout, 'bench/register.js'), path.join(checkout, 'test/platform/support/embedded-postgres-child.ts'), JSON.stringify(options)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    let buffered = '';
    child.stdout!.on('data', (d) => {
      buffered += d;
      if (buffered.includes('\n')) resolve(buffered.split('\n')[0]);
    });
    child.once('exit', (code) => reject(new Error(`child exited with ${code} before answering:\n${output}`)));
  });
  return { ...JSON.parse(line), stop: async () => (child.kill('SIGTERM'), exited) };
}

async function roundTrip(url: string): Promise<string> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('CREATE TABLE IF NOT EXISTS kept (note text)');
    await client.query("INSERT INTO kept VALUES ('still here')");
    return (await client.query('SELECT note FROM kept LIMIT 1')).rows[0].note;
  } finally {
    await client.end();
  }
}

whenRoot('embedded PostgreSQL under private directories (as root)', () => {
  const cleanup: string[] = [];
  afterAll(() => {
    for (const dir of cleanup) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('starts from a checkout whose parent directory is 0700 (the binaries are mirrored where user postgres can reach them)', async () => {
    const home = privateDir('home');
    const runtimeDir = openDir('runtime');
    cleanup.push(home, runtimeDir);
    const checkout = checkoutUnder(home);
    const dataDir = openDir('data');
    cleanup.push(dataDir);

    const pg = await startEmbeddedPostgres({ dataDir, port: await freePort(), runtimeDir }, checkout);
    try {
      expect(pg.error).toBeUndefined();
      expect(await roundTrip(pg.url!)).toBe('still here');
    } finally {
      await pg.stop();
    }
    expect(fs.readdirSync(runtimeDir).some((name) => name.startsWith('embedded-postgres-'))).toBe(true);
  });

  test('keeps the cluster of a DATA_DIR under a 0700 directory where user postgres can reach it, and finds it again on the next start', async () => {
    const home = privateDir('tmp');
    const runtimeDir = openDir('runtime');
    cleanup.push(home, runtimeDir);
    const dataDir = path.join(home, 'data');

    const first = await startEmbeddedPostgres({ dataDir, port: await freePort(), runtimeDir });
    try {
      expect(first.error).toBeUndefined();
      expect(await roundTrip(first.url!)).toBe('still here');
    } finally {
      await first.stop();
    }
    // DATA_DIR/postgres is the pointer to the cluster: the next start of the same DATA_DIR uses it.
    expect(fs.lstatSync(path.join(dataDir, 'postgres')).isSymbolicLink()).toBe(true);
    const second = await startEmbeddedPostgres({ dataDir, port: await freePort(), runtimeDir });
    try {
      const client = new Client({ connectionString: second.url! });
      await client.connect();
      const rows = (await client.query('SELECT count(*)::int AS n FROM kept')).rows;
      await client.end();
      expect(rows[0].n).toBe(1);
    } finally {
      await second.stop();
    }
  });

  test('a runtime directory user postgres cannot reach is refused with one sentence naming it and the fix', async () => {
    const home = privateDir('tmp');
    cleanup.push(home);
    const runtimeDir = path.join(home, 'runtime');
    const failure = await startEmbeddedPostgres({ dataDir: path.join(home, 'data'), port: await freePort(), runtimeDir });
    await failure.stop();
    expect(failure.configError).toBe(true);
    expect(failure.error).toMatch(new RegExp(`${runtimeDir}.*not reachable by user 'postgres'.*chmod o\\+x`));
    expect(failure.error!.split('\n').length).toBeLessThanOrEqual(2);
  });
});
