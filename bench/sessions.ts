/**
 * 3. Session throughput through the real path: API start → the simulated charger accepts
 * RemoteStartTransaction → StartTransaction → MeterValues → API stop → receipt, with the three
 * production roles in one child process; beside it, the same Temporal server's rate for an empty
 * workflow with one activity at the same concurrency.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { SimulatedChargePoint } from '../src/simulator/charge-point';
import { startChild } from './support/children';
import { pool as inParallel, round, sleep, summarize } from './support/stats';

const operatorToken = 'bench-operator-token-0123456789';

export interface SessionsResult {
  sessions: number;
  completed: number;
  failed: number;
  /** Sessions not started because the time budget ran out. */
  notStarted: number;
  concurrency: number;
  meterValuesPerSession: number;
  seconds: number;
  perSecond: number;
  startToChargingMs: { n: number; p50: number; p99: number; max: number };
  startRequestMs: { n: number; p50: number; p99: number; max: number };
  wholeSessionMs: { n: number; p50: number; p99: number; max: number };
  /** Chargers registered through the API (production scrypt cost), connected and booted per second. */
  connectPerSecond: number;
  stackRssMb: number;
  firstError?: string;
}

export interface EngineResult {
  workflows: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
  latencyMs: { n: number; p50: number; p99: number; max: number };
}

async function api(base: string, method: string, url: string, token: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(base + url, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

export async function benchSessions(options: {
  databaseUrl: string;
  temporalAddress: string;
  sessions: number;
  concurrency: number;
  meterValuesPerSession: number;
  /** How often the client asks GET /v1/sessions/:id whether the session is charging. */
  pollMs: number;
  /** No new session starts after this long (the ones in flight finish). */
  budgetMs: number;
  /** A session not charging within this long counts as failed (and is not waited for further). */
  deadlineMs: number;
  cpuProf?: string;
}): Promise<SessionsResult> {
  const stack = await startChild<{ apiUrl: string; gatewayUrl: string }>(path.join(__dirname, `stack-process${path.extname(__filename)}`), {
    env: {
      DATABASE_URL: options.databaseUrl,
      TEMPORAL_ADDRESS: options.temporalAddress,
      TEMPORAL_TASK_QUEUE: 'bench-sessions',
      GATEWAY_ID: 'bench-stack',
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: '0',
      // Every simulated charger connects from 127.0.0.1.
      GATEWAY_CONNECTS_PER_ADDRESS_PER_MINUTE: '10000000',
      OPERATOR_TOKEN: operatorToken,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      NODE_ENV: 'production',
    },
    execArgv: options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProf}`] : [],
    readyTimeoutMs: 120_000,
  });
  const base = stack.ready.apiUrl;
  const chargers: SimulatedChargePoint[] = [];
  try {
    const c = options.concurrency;
    const tariff = await api(base, 'POST', '/v1/operator/tariffs', operatorToken, { id: 'bench', name: 'Bench', currency: 'EUR', ratePerKwh: '0.25', isDefault: true });
    if (tariff.status !== 201) throw new Error(`tariff: ${tariff.status} ${JSON.stringify(tariff.json)}`);
    const tokens = await inParallel(c, 10, async (i) => {
      const charger = await api(base, 'POST', '/v1/operator/chargers', operatorToken, { stationId: `SESS_${i + 1}`, password: `bench-session-pw-${i + 1}`, connectors: 1 });
      if (charger.status !== 201) throw new Error(`charger: ${charger.status} ${JSON.stringify(charger.json)}`);
      const driver = await api(base, 'POST', '/v1/operator/drivers', operatorToken, { driverId: `bench-driver-${i + 1}`, name: `Driver ${i + 1}`, idTags: [`BD${i + 1}`] });
      if (driver.status !== 201) throw new Error(`driver: ${driver.status} ${JSON.stringify(driver.json)}`);
      return driver.json.token as string;
    });
    const connectStart = Date.now();
    await inParallel(c, 20, async (i) => {
      const cp = new SimulatedChargePoint({ url: stack.ready.gatewayUrl, chargePointId: `SESS_${i + 1}`, password: `bench-session-pw-${i + 1}`, connectors: 1, meterStartWh: 100_000 });
      await cp.connect();
      chargers[i] = cp;
    });
    const connectPerSecond = round((c / (Date.now() - connectStart)) * 1000, 1);

    const startToCharging: number[] = [];
    const startRequest: number[] = [];
    const whole: number[] = [];
    let failed = 0;
    let firstError: string | undefined;
    const fail = (what: string) => {
      failed++;
      firstError ??= what;
    };
    let notStarted = 0;
    const started = performance.now();
    const startBy = started + options.budgetMs;
    await inParallel(options.sessions, c, async (_i, worker) => {
      if (performance.now() > startBy) return void notStarted++;
      const cp = chargers[worker];
      const token = tokens[worker];
      const t0 = performance.now();
      const start = await api(base, 'POST', '/v1/sessions', token, { stationId: cp.chargePointId, connectorId: 1 });
      const t1 = performance.now();
      if (start.status !== 201) return fail(`start: ${start.status} ${JSON.stringify(start.json)}`);
      const sessionId = start.json.sessionId as string;
      for (;;) {
        const live = await api(base, 'GET', `/v1/sessions/${sessionId}`, token);
        if (live.json?.status === 'charging') break;
        if (live.status !== 200 || ['failed', 'interrupted', 'completed'].includes(live.json?.status)) return fail(`live: ${live.status} ${JSON.stringify(live.json)}`);
        if (performance.now() - t0 > options.deadlineMs) return fail(`not charging within ${options.deadlineMs / 1000} s`);
        await sleep(options.pollMs);
      }
      startToCharging.push(performance.now() - t0);
      startRequest.push(t1 - t0);
      for (let k = 0; k < options.meterValuesPerSession; k++) {
        cp.advance(1, 60);
        await cp.sendMeterValues(1);
      }
      const stop = await api(base, 'POST', `/v1/sessions/${sessionId}/stop`, token);
      if (stop.status !== 200 || typeof stop.json?.meter_stop !== 'number') return fail(`stop: ${stop.status} ${JSON.stringify(stop.json)}`);
      // The charger's StatusNotification(Available) after the stop settles before this connector is reused.
      await cp.drained();
      whole.push(performance.now() - t0);
    });
    const seconds = (performance.now() - started) / 1000;
    const memory = await stack.request<NodeJS.MemoryUsage>('memory');
    return {
      sessions: options.sessions,
      completed: whole.length,
      failed,
      notStarted,
      concurrency: c,
      meterValuesPerSession: options.meterValuesPerSession,
      seconds: round(seconds),
      perSecond: round(whole.length / seconds),
      startToChargingMs: summarize(startToCharging),
      startRequestMs: summarize(startRequest),
      wholeSessionMs: summarize(whole),
      connectPerSecond,
      stackRssMb: round(memory.rss / 1024 / 1024, 1),
      firstError,
    };
  } finally {
    await Promise.allSettled(chargers.filter(Boolean).map((cp) => cp.close()));
    await stack.stop();
  }
}

const engineTaskQueue = 'bench-engine';

/** The baseline's worker; started early so its workflow bundling overlaps other setup. */
export function startEngineWorker(temporalAddress: string) {
  return startChild(path.join(__dirname, 'engine', `worker-process${path.extname(__filename)}`), {
    env: { BENCH_TEMPORAL_ADDRESS: temporalAddress, BENCH_TASK_QUEUE: engineTaskQueue },
    readyTimeoutMs: 120_000,
  });
}

export async function benchEngine(options: { temporalAddress: string; workflows: number; concurrency: number; budgetMs: number; worker?: Awaited<ReturnType<typeof startEngineWorker>> }): Promise<EngineResult> {
  const taskQueue = engineTaskQueue;
  const worker = options.worker ?? (await startEngineWorker(options.temporalAddress));
  const connection = await Connection.connect({ address: options.temporalAddress });
  try {
    const client = new Client({ connection, namespace: 'default' });
    const run = (id: string) => client.workflow.execute('emptyWorkflowWithOneActivity', { taskQueue, workflowId: id, args: [] });
    // Warm-up: the worker's first tasks load the bundle.
    const warmup = Math.min(options.concurrency, 10);
    await inParallel(warmup, warmup, (i) => run(`bench-engine-warmup-${i}-${Date.now()}`));
    const latencies: number[] = [];
    const started = performance.now();
    const startBy = started + options.budgetMs;
    await inParallel(options.workflows, options.concurrency, async (i) => {
      if (performance.now() > startBy) return;
      const t0 = performance.now();
      await run(`bench-engine-${i}-${Date.now()}`);
      latencies.push(performance.now() - t0);
    });
    const seconds = (performance.now() - started) / 1000;
    return { workflows: options.workflows, concurrency: options.concurrency, seconds: round(seconds), perSecond: round(latencies.length / seconds), latencyMs: summarize(latencies) };
  } finally {
    await connection.close();
    await worker.stop();
  }
}
