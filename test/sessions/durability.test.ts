/**
 * Sessions outlive the processes around them, on the real Temporal dev server (SQLite file)
 * the run command uses: the session worker replaced mid-session, the worker process killed
 * (SIGKILL) mid-session, and the Temporal server itself restarted mid-session. The bill still comes out exact. Also checks that operators
 * can find sessions in the Web UI by station and status (search attributes).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { temporalCliPath } from '../../src/temporal/binaries';
import { startTemporalDevServer, startTemporalDevServerOnFreePorts, type DevServerHandle } from '../../src/temporal/dev-server';
import { createLogger } from '../../src/logger';
import { stationId, createSessionWorld, type SessionWorld, type TemporalTarget } from './support/session-harness';
import type { Receipt, SessionState } from '../../workflows/session-messages';
import { projectRoot } from '../../src/paths';

jest.setTimeout(180_000);


const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csms-durability-'));
/** Chosen by the first start; a restart comes back on the same ones. */
let ports: { port: number; uiPort: number } | undefined;
let server: DevServerHandle;
let world: SessionWorld;
let connections: { client: Connection; native: NativeConnection };

async function startServer(): Promise<TemporalTarget> {
  const options = { cliPath: temporalCliPath(), dataDir, namespace: 'default', logger: createLogger({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }) };
  server = ports ? await startTemporalDevServer({ ...options, ...ports }) : await startTemporalDevServerOnFreePorts(options);
  ports = { port: server.port, uiPort: server.uiPort };
  connections = {
    client: await Connection.connect({ address: server.address }),
    native: await NativeConnection.connect({ address: server.address }),
  };
  return {
    client: new Client({ connection: connections.client }),
    nativeConnection: connections.native,
    namespace: 'default',
    teardown: async () => undefined,
  };
}

async function stopServer(): Promise<void> {
  await connections.native.close();
  await connections.client.close();
  await server.stop();
}

beforeAll(async () => {
  world = await createSessionWorld(await startServer(), { searchAttributes: true });
});

afterAll(async () => {
  await world?.close();
  await stopServer().catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function stateWhere(sessionId: string, ok: (s: SessionState) => boolean, timeoutMs = 20_000): Promise<SessionState> {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    const state = await world.sessions.getState(sessionId).catch(() => null);
    if (state && ok(state)) return state;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`session ${sessionId} never reached the expected state`);
}

const now = () => new Date().toISOString();

test('the worker replaced and the Temporal server restarted mid-session: the session resumes and bills exactly', async () => {
  // First worker: the session starts and takes a reading.
  const sessionId = await world.run(
    async () => {
      const { sessionId, outcome } = await world.sessions.startSession({ stationId: stationId, connectorId: 1, driverId: null, idTag: 'TAG-1', waitMs: 10_000 });
      expect(outcome.status).toBe('awaiting_plug_in');
      await world.events.transactionStarted({ sessionId, stationInitiated: false, stationId, connectorId: 1, transactionId: 41, idTag: 'TAG-1', driverId: null, meterStartWh: 154200, timestamp: now() });
      await world.events.meterValues([{ sessionId, stationId, connectorId: 1, transactionId: 41, readings: [{ timestamp: now(), energyWh: '155000', socPercent: 70 }] }]);
      await stateWhere(sessionId, (s) => s.energyKwh === '0.8');
      return sessionId;
    },
    { keepSessionsRunning: true },
  );

  // No worker at all: the charger goes on reporting; the signals wait in the server.
  await world.events.meterValues([{ sessionId, stationId, connectorId: 1, transactionId: 41, readings: [{ timestamp: now(), energyWh: '156000', socPercent: 72 }] }]);

  // The dev server keeps its history in SQLite's write-ahead log (file format bytes 18–19 = 2),
  // which is what has to survive the restart below.
  const header = fs.readFileSync(path.join(dataDir, 'temporal.sqlite')).subarray(18, 20);
  expect([...header]).toEqual([2, 2]);

  // The Temporal server goes down and comes back on the same SQLite file.
  await stopServer();
  const target = await startServer();
  world.retarget(target);

  // A new worker process picks the session up from its history.
  const receipt = await world.run(async () => {
    await stateWhere(sessionId, (s) => s.energyKwh === '1.8' && s.socPercent === 72);
    await world.events.meterValues([{ sessionId, stationId, connectorId: 1, transactionId: 41, readings: [{ timestamp: now(), energyWh: '156650', socPercent: 74 }] }]);
    await world.events.transactionStopped({ sessionId, stationId, transactionId: 41, meterStopWh: 156700, timestamp: now(), reason: 'EVDisconnected' });
    return (await target.client.workflow.getHandle(sessionId).result()) as Receipt;
  });
  expect(receipt).toMatchObject({ status: 'completed', energy_kwh_exact: '2.5', total_cost_exact: '0.63', soc: 74, flags: [] });

  // Operators find it in the Web UI by station and final status.
  let found: string[] = [];
  for (let i = 0; i < 100 && found.length === 0; i++) {
    found = [];
    for await (const wf of target.client.workflow.list({ query: `StationId = '${stationId}' AND SessionStatus = 'completed'` })) found.push(wf.workflowId);
    if (found.length === 0) await new Promise((r) => setTimeout(r, 100));
  }
  expect(found).toEqual([sessionId]);
});

/** The production `worker` role in its own process, run from the TypeScript sources. */
function startWorkerProcess(): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['-r', path.join(projectRoot, 'bench/register.js'), path.join(projectRoot, 'src/main/worker.ts')], {
    cwd: projectRoot,
    env: {
      ...process.env,
      DATABASE_URL: world.db.url,
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: world.config.TEMPORAL_TASK_QUEUE,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  return { child, output: () => output };
}

test('the worker process killed with SIGKILL mid-session: a new worker process finishes the session with the exact bill', async () => {
  let worker = startWorkerProcess();
  const exited = (w: typeof worker) => new Promise<NodeJS.Signals | number | null>((resolve) => w.child.once('exit', (code, signal) => resolve(signal ?? code)));
  try {
    const sessionId = await world.run(
      async () => {
        // Waits for the worker process to pick the session up (it bundles the workflows first).
        const { sessionId, outcome } = await world.sessions.startSession({ stationId: stationId, connectorId: 1, driverId: null, idTag: 'TAG-2', waitMs: 90_000 });
        expect(outcome).toMatchObject({ accepted: true, status: 'awaiting_plug_in' });
        await world.events.transactionStarted({ sessionId, stationInitiated: false, stationId, connectorId: 1, transactionId: 52, idTag: 'TAG-2', driverId: null, meterStartWh: 154200, timestamp: now() });
        await world.events.meterValues([{ sessionId, stationId, connectorId: 1, transactionId: 52, readings: [{ timestamp: now(), energyWh: '155000', socPercent: 70 }] }]);
        await stateWhere(sessionId, (s) => s.energyKwh === '0.8');

        // No shutdown, no goodbye: the process is gone, with the session cached in it.
        const killed = exited(worker);
        worker.child.kill('SIGKILL');
        expect(await killed).toBe('SIGKILL');
        await world.events.meterValues([{ sessionId, stationId, connectorId: 1, transactionId: 52, readings: [{ timestamp: now(), energyWh: '156000', socPercent: 72 }] }]);

        worker = startWorkerProcess();
        // The new process rebuilds the session from its history, then takes the reading sent while none ran.
        await stateWhere(sessionId, (s) => s.energyKwh === '1.8' && s.socPercent === 72, 90_000);
        await world.events.transactionStopped({ sessionId, stationId, transactionId: 52, meterStopWh: 156700, timestamp: now(), reason: 'EVDisconnected' });
        return sessionId;
      },
      { sessionWorker: false, keepSessionsRunning: true },
    );
    const receipt = (await world.env.client.workflow.getHandle(sessionId).result()) as Receipt;
    expect(receipt).toMatchObject({ status: 'completed', energy_kwh_exact: '2.5', total_cost_exact: '0.63', soc: 72, flags: [] });
    const stored = await world.db.pool.query('SELECT count(*)::int AS n FROM receipts WHERE session_id = $1', [sessionId]);
    expect(stored.rows[0].n).toBe(1);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- worker process output ---\n${worker.output().slice(-4000)}`);
  } finally {
    worker.child.kill('SIGTERM');
  }
});
