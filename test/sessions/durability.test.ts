/**
 * Sessions outlive the processes around them, on the real Temporal dev server (SQLite file)
 * the run command uses: the session worker replaced mid-session, the worker process killed
 * (SIGKILL) mid-session (its charge signalled as for 1.6, and from an OCPP 2.0.1 station through the
 * real gateway), and the Temporal server itself restarted mid-session. The bill still comes out exact. Also checks that operators
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
import { loadConfig } from '../../src/config/config';
import { startGateway } from '../../src/gateway/gateway';
import { hashPassword } from '../../src/security/password';
import { registerCharger } from '../../src/api/stores/station-store';
import { createDriver } from '../../src/api/stores/driver-store';
import { SimulatedChargingStation201 } from '../../src/simulator/v201/charging-station';

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

/**
 * How the charge reaches the session while the worker dies: as the session signals themselves
 * (what the gateway sends for OCPP 1.6), or from an OCPP 2.0.1 station through the real gateway.
 */
interface KilledWorkerCharge {
  stationId: string;
  driverId: string | null;
  idTag: string;
  /** The station starts the charge the session asked for, with the seed's 154200 Wh. */
  started(sessionId: string): Promise<void>;
  reading(sessionId: string, energyWh: number, socPercent: number): Promise<void>;
  stopped(sessionId: string, meterStopWh: number): Promise<void>;
  close(): Promise<void>;
}

function signalledCharge(): KilledWorkerCharge {
  const transactionId = 52;
  return {
    stationId,
    driverId: null,
    idTag: 'TAG-2',
    started: (sessionId) =>
      world.events.transactionStarted({ sessionId, stationInitiated: false, stationId, connectorId: 1, transactionId, idTag: 'TAG-2', driverId: null, meterStartWh: 154200, timestamp: now() }),
    reading: (sessionId, energyWh, socPercent) =>
      world.events.meterValues([{ sessionId, stationId, connectorId: 1, transactionId, readings: [{ timestamp: now(), energyWh: String(energyWh), socPercent }] }]),
    stopped: (sessionId, meterStopWh) => world.events.transactionStopped({ sessionId, stationId, transactionId, meterStopWh, timestamp: now(), reason: 'EVDisconnected' }),
    close: async () => undefined,
  };
}

/** A 2.0.1 simulated station on a real gateway in this process, which signals the sessions on the dev server. */
async function station201Charge(): Promise<KilledWorkerCharge> {
  const id = 'CS201_KILL';
  const password = 'durability-201-station-pass';
  await registerCharger(world.db.pool, { stationId: id, passwordHash: await hashPassword(password), tariffId: null, connectors: 1, timeZone: 'UTC' });
  const { driver } = await createDriver(world.db.pool, { driverId: 'kim', name: 'Kim', idTags: ['KIM-201'] });
  const config = loadConfig({ GATEWAY_HOST: '127.0.0.1', GATEWAY_PORT: '0', GATEWAY_ID: 'gw-durability-201', TEMPORAL_TASK_QUEUE: world.config.TEMPORAL_TASK_QUEUE, LOG_LEVEL: 'silent' });
  const logger = createLogger(config);
  const gateway = await startGateway({ config, pool: world.db.pool, logger, sessionEvents: world.events, temporal: { connection: connections.native, namespace: 'default' } });
  const station = new SimulatedChargingStation201({
    url: gateway.url,
    stationId: id,
    password,
    meterStartWh: 154200,
    plugDelayMs: 300,
    callTimeoutMs: 10_000,
    variables: { 'SampledDataCtrlr.TxUpdatedMeasurands': 'Energy.Active.Import.Register,SoC' },
  });
  expect((await station.connect()).status).toBe('Accepted');
  const tick = () => new Promise((r) => setTimeout(r, 5)); // distinct timestamps per reading
  return {
    stationId: id,
    driverId: driver.driverId,
    idTag: 'KIM-201',
    async started() {
      for (let i = 0; i < 400 && station.transactionId(1) === undefined; i++) await new Promise((r) => setTimeout(r, 50));
      expect(station.transactionId(1)).toBeDefined();
      // The RequestStartTransaction's remoteStartId came back in the Started.
      expect(station.received.filter((r) => r.action === 'RequestStartTransaction')).toHaveLength(1);
    },
    async reading(_sessionId, energyWh, socPercent) {
      await tick();
      station.setMeterRegister(1, energyWh);
      station.setSoc(1, socPercent);
      await station.sendMeterValues(1);
    },
    async stopped(_sessionId, meterStopWh) {
      await tick();
      station.setMeterRegister(1, meterStopWh);
      await station.stopTransaction(1, 'EVDisconnected', 'EVCommunicationLost');
      await station.drained();
    },
    async close() {
      await station.close().catch(() => undefined);
      await gateway.close();
    },
  };
}

test.each([
  ['its session signals sent as for OCPP 1.6', signalledCharge],
  ['an OCPP 2.0.1 station charging through the gateway', station201Charge],
])('the worker process killed with SIGKILL mid-session (%s): a new worker process finishes the session with the exact bill', async (_, chargeUnderTest) => {
  const charge = await chargeUnderTest();
  let worker = startWorkerProcess();
  const exited = (w: typeof worker) => new Promise<NodeJS.Signals | number | null>((resolve) => w.child.once('exit', (code, signal) => resolve(signal ?? code)));
  try {
    const sessionId = await world.run(
      async () => {
        // Waits for the worker process to pick the session up (it bundles the workflows first).
        const { sessionId, outcome } = await world.sessions.startSession({ stationId: charge.stationId, connectorId: 1, driverId: charge.driverId, idTag: charge.idTag, waitMs: 90_000 });
        expect(outcome).toMatchObject({ accepted: true, status: 'awaiting_plug_in' });
        await charge.started(sessionId);
        await charge.reading(sessionId, 155000, 70);
        await stateWhere(sessionId, (s) => s.energyKwh === '0.8');

        // No shutdown, no goodbye: the process is gone, with the session cached in it.
        const killed = exited(worker);
        worker.child.kill('SIGKILL');
        expect(await killed).toBe('SIGKILL');
        await charge.reading(sessionId, 156000, 72);

        worker = startWorkerProcess();
        // The new process rebuilds the session from its history, then takes the reading sent while none ran.
        await stateWhere(sessionId, (s) => s.energyKwh === '1.8' && s.socPercent === 72, 90_000);
        await charge.stopped(sessionId, 156700);
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
    await charge.close();
  }
}, 300_000);
