/**
 * The README's run command, as a user runs it: `npm start` as a child process on a
 * fresh data folder. It must print the three URLs, answer on each, stop every
 * process it started on SIGTERM, and find its data again on the next start.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { Connection, Client as TemporalClient } from '@temporalio/client';
import WebSocket from 'ws';
import { projectRoot } from '../../src/paths';
import { freePort } from '../../src/free-port';

jest.setTimeout(240_000);


function descendants(pid: number): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/).map(Number));
  const found: number[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift()!;
    for (const [child, ppid] of table) if (ppid === parent) (found.push(child), queue.push(child));
  }
  return found;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

interface Started {
  child: ChildProcess;
  output: () => string;
  urls: { api: string; ocpp: string; ui: string };
}

async function startSystem(env: NodeJS.ProcessEnv): Promise<Started> {
  // Its own process group, as in a terminal: Ctrl-C signals the whole group.
  const child = spawn('npm', ['start', '--silent'], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 180_000;
  while (!/Press Ctrl-C to stop/.test(output)) {
    if (child.exitCode !== null) throw new Error(`npm start exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm start did not come up:\n${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const grab = (label: string) => {
    const m = new RegExp(`${label}:\\s+(\\S+)`).exec(output);
    if (!m) throw new Error(`no ${label} in banner:\n${output}`);
    return m[1];
  };
  return { child, output: () => output, urls: { api: grab('API'), ocpp: grab('OCPP endpoint').replace('/<chargePointId>', ''), ui: grab('Temporal Web UI') } };
}

/** SIGTERM to npm (a process manager), or Ctrl-C in a terminal: SIGINT to every process of the group. */
async function stopSystem(started: Started, how: 'SIGTERM' | 'Ctrl-C' = 'SIGTERM'): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => started.child.once('exit', (code) => resolve(code)));
  if (how === 'SIGTERM') started.child.kill('SIGTERM');
  else process.kill(-started.child.pid!, 'SIGINT');
  return exited;
}

describe('the run command (npm start)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csms-run-'));
  let env: NodeJS.ProcessEnv;
  let started: Started | undefined;

  beforeAll(async () => {
    fs.chmodSync(dataDir, 0o755);
    env = {
      ...process.env,
      DATA_DIR: dataDir,
      API_PORT: String(await freePort()),
      GATEWAY_PORT: String(await freePort()),
      TEMPORAL_DEV_SERVER_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      EMBEDDED_POSTGRES_PORT: String(await freePort()),
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
    };
    delete env.DATABASE_URL;
    delete env.TEMPORAL_ADDRESS;
  });

  afterAll(async () => {
    if (started && started.child.exitCode === null && started.child.signalCode === null) await stopSystem(started);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts everything, answers on the three URLs, stops every process on SIGTERM and on a terminal Ctrl-C, and keeps its data', async () => {
    started = await startSystem(env);
    const health = await fetch(`${started.urls.api}/health`);
    expect(health.status).toBe(200);
    const ui = await fetch(started.urls.ui);
    expect(ui.status).toBe(200);
    // The OCPP endpoint answers the WebSocket upgrade (an unknown charger is refused, which proves it is listening).
    const refused = await new Promise<number>((resolve, reject) => {
      const ws = new WebSocket(`${started!.urls.ocpp.replace('0.0.0.0', '127.0.0.1')}/NO-SUCH-CHARGER`, 'ocpp1.6');
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => reject(new Error('an unknown charger was admitted')));
      ws.on('error', () => undefined);
    });
    expect(refused).toBeGreaterThanOrEqual(400);

    // Leave data in both stores: a row in PostgreSQL and a workflow in the Temporal SQLite file.
    const pg = new PgClient({ connectionString: `postgres://postgres:csms-local@127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}/postgres` });
    await pg.connect();
    await pg.query(`INSERT INTO drivers (id, name) VALUES ('drv_persisted', 'Persisted Driver')`);
    await pg.end();
    const connection = await Connection.connect({ address: `127.0.0.1:${env.TEMPORAL_DEV_SERVER_PORT}` });
    const temporal = new TemporalClient({ connection });
    await temporal.workflow.start('noSuchWorkflow', { taskQueue: 'nobody-polls-this', workflowId: 'persisted-workflow' });
    await connection.close();

    const tree = descendants(started.child.pid!);
    expect(tree.length).toBeGreaterThanOrEqual(3); // node, temporal, postgres (and postgres' own workers)
    const code = await stopSystem(started);
    expect(code).toBe(0);
    const deadline = Date.now() + 10_000;
    while (tree.some(alive) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(tree.filter(alive)).toEqual([]);

    started = await startSystem(env);
    const pg2 = new PgClient({ connectionString: `postgres://postgres:csms-local@127.0.0.1:${env.EMBEDDED_POSTGRES_PORT}/postgres` });
    await pg2.connect();
    const { rows } = await pg2.query(`SELECT name FROM drivers WHERE id = 'drv_persisted'`);
    await pg2.end();
    expect(rows).toEqual([{ name: 'Persisted Driver' }]);
    const connection2 = await Connection.connect({ address: `127.0.0.1:${env.TEMPORAL_DEV_SERVER_PORT}` });
    const description = await new TemporalClient({ connection: connection2 }).workflow.getHandle('persisted-workflow').describe();
    await connection2.close();
    expect(description.status.name).toBe('RUNNING');
    // The terminal signals every process of the group and npm forwards the signal again: still
    // one orderly stop (before, the repeat forced an exit that left the Temporal server running).
    const secondTree = descendants(started.child.pid!);
    expect(await stopSystem(started, 'Ctrl-C')).toBe(0);
    const secondDeadline = Date.now() + 10_000;
    while (secondTree.some(alive) && Date.now() < secondDeadline) await new Promise((r) => setTimeout(r, 100));
    expect(secondTree.filter(alive)).toEqual([]);
    expect(started.output()).not.toMatch(/second signal/);
  });
});
