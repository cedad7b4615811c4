/**
 * 3. Session throughput through the real path: API start → the simulated charger accepts
 * RemoteStartTransaction → StartTransaction → MeterValues → API stop → receipt, with the three
 * production roles in one child process; beside it, the same Temporal server's rate for an empty
 * workflow with one activity at the same concurrency.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createPool } from '../src/db/pool';
import { SimulatedChargePoint } from '../src/simulator/charge-point';
import { countSessionSteps, type SessionSteps } from './session-steps';
import { startChild } from './support/children';
import { benchOperatorToken as operatorToken, startStack } from './support/stack';
import { pool as inParallel, round, sleep, summarize } from './support/stats';


export interface SessionsResult {
  sessions: number;
  completed: number;
  failed: number;
  /** Sessions not started: the time budget ran out, or their charger was retired after a failure. */
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
  meterIntoWorkflows?: MeterScenarioResult[];
  /** One session alone on the idle stack, step by step (after the load). */
  steps?: SessionSteps;
  stepsError?: string;
}

export interface MeterScenario {
  sessions: number;
  intervalMs: number;
  durationMs: number;
}

export interface MeterScenarioResult extends MeterScenario {
  /** Sessions charging when the load began. */
  active: number;
  /** MeterValues frames (one reading: energy register, power, SoC) offered per second at this interval and count. */
  offeredPerSecond: number;
  /** Acknowledged per second (the gateway acks after the sample is stored and signalled to the workflow). */
  ackedPerSecond: number;
  ackMs: { n: number; p50: number; p99: number; max: number };
  /** After the load stops: time until every workflow's energy equals its charger's register (max over sessions); -1 if not within 30 s. */
  catchUpMs: number;
  /** Sessions whose workflow energy equalled the charger's register (the bill is computed from it). */
  exact: number;
  error?: string;
}

export interface EngineResult {
  workflows: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
  latencyMs: { n: number; p50: number; p99: number; max: number };
  /** One workflow it ran, for the step count. */
  sampleWorkflowId: string;
}

/** Task queues of this run only: a shared Temporal cluster may have other workers (or runs) on others. */
const runId = Date.now().toString(36);

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
  namespace: string;
  sessions: number;
  concurrency: number;
  meterValuesPerSession: number;
  /** How often the client asks GET /v1/sessions/:id whether the session is charging. */
  pollMs: number;
  /** No new session starts after this long (the ones in flight finish). */
  budgetMs: number;
  /** A session not charging within this long counts as failed (and is not waited for further). */
  deadlineMs: number;
  /** 4. Meter values into workflows, on the same stack and chargers after the session measurement. */
  meterScenarios?: MeterScenario[];
  cpuProf?: string;
}): Promise<SessionsResult> {
  const stack = await startStack(options, { name: runId, cpuProf: options.cpuProf });
  const base = stack.ready.apiUrl;
  const chargers: SimulatedChargePoint[] = [];
  try {
    const c = options.concurrency;
    // Chargers for the concurrent sessions, and for the largest meter scenario (4.) if it needs more.
    const fleet = Math.max(c, ...(options.meterScenarios ?? []).map((m) => m.sessions));
    const tariff = await api(base, 'POST', '/v1/operator/tariffs', operatorToken, { id: 'bench', name: 'Bench', currency: 'EUR', ratePerKwh: '0.25', isDefault: true });
    if (tariff.status !== 201) throw new Error(`tariff: ${tariff.status} ${JSON.stringify(tariff.json)}`);
    const tokens = await inParallel(fleet, 10, async (i) => {
      const charger = await api(base, 'POST', '/v1/operator/chargers', operatorToken, { stationId: `SESS_${i + 1}`, password: `bench-session-pw-${i + 1}`, connectors: 1 });
      if (charger.status !== 201) throw new Error(`charger: ${charger.status} ${JSON.stringify(charger.json)}`);
      const driver = await api(base, 'POST', '/v1/operator/drivers', operatorToken, { driverId: `bench-driver-${i + 1}`, name: `Driver ${i + 1}`, idTags: [`BD${i + 1}`] });
      if (driver.status !== 201) throw new Error(`driver: ${driver.status} ${JSON.stringify(driver.json)}`);
      return driver.json.token as string;
    });
    const connectStart = Date.now();
    await inParallel(fleet, 20, async (i) => {
      const cp = new SimulatedChargePoint({ url: stack.ready.gatewayUrl, chargePointId: `SESS_${i + 1}`, password: `bench-session-pw-${i + 1}`, connectors: 1, meterStartWh: 100_000 });
      await cp.connect();
      chargers[i] = cp;
    });
    const connectPerSecond = round((fleet / (Date.now() - connectStart)) * 1000, 1);
    // Each boot starts a configuration reconciliation whose commands queue ahead of a RemoteStart on
    // that charger: measure the steady state, once every charger is reconciled (or after 60 s).
    const settleBy = Date.now() + 60_000;
    await inParallel(fleet, 20, async (i) => {
      while (Date.now() < settleBy) {
        const station = await api(base, 'GET', `/v1/stations/SESS_${i + 1}`, operatorToken);
        if (station.json?.configuration?.reconciledAt) return;
        await sleep(200);
      }
    });

    const startToCharging: number[] = [];
    const startRequest: number[] = [];
    const whole: number[] = [];
    let failed = 0;
    let firstError: string | undefined;
    let notStarted = 0;
    const started = performance.now();
    const startBy = started + options.budgetMs;
    // A session that failed may still hold its connector: its charger is not used again (else every
    // later start on it fails at once and the failure count says nothing about the stack).
    const retired = new Set<number>();
    await inParallel(options.sessions, c, async (_i, worker) => {
      if (performance.now() > startBy || retired.has(worker)) return void notStarted++;
      const cp = chargers[worker];
      const token = tokens[worker];
      const fail = (what: string) => {
        retired.add(worker);
        failed++;
        firstError ??= what;
      };
      const t0 = performance.now();
      const start = await api(base, 'POST', '/v1/sessions', token, { stationId: cp.chargePointId, connectorId: 1 });
      const t1 = performance.now();
      // 202: the charger has not confirmed within API_START_WAIT_MS; the session goes on and is followed by id.
      if (start.status !== 201 && start.status !== 202) return fail(`start: ${start.status} ${JSON.stringify(start.json)}`);
      const sessionId = start.json.sessionId as string;
      for (;;) {
        const live = await api(base, 'GET', `/v1/sessions/${sessionId}`, token);
        if (live.json?.status === 'charging') break;
        if (live.status !== 200 || ['failed', 'interrupted', 'completed'].includes(live.json?.status)) return fail(`live: ${live.status} ${JSON.stringify(live.json)}`);
        if (performance.now() - t0 > options.deadlineMs) {
          void api(base, 'POST', `/v1/sessions/${sessionId}/stop`, token).catch(() => undefined);
          return fail(`not charging within ${options.deadlineMs / 1000} s`);
        }
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
    const meterIntoWorkflows: MeterScenarioResult[] = [];
    for (const scenario of options.meterScenarios ?? []) {
      const r = await meterScenario(base, chargers.slice(0, scenario.sessions), tokens, scenario, options.deadlineMs).catch((err) => ({ ...scenario, active: 0, offeredPerSecond: 0, ackedPerSecond: 0, ackMs: summarize([]), catchUpMs: -1, exact: 0, error: String(err) }));
      meterIntoWorkflows.push(r);
      console.log(`  meter values into workflows: ${r.active} sessions every ${r.intervalMs} ms: ${r.ackedPerSecond}/s acked of ${r.offeredPerSecond}/s offered, ack p50/p99 ${r.ackMs.p50}/${r.ackMs.p99} ms, catch-up ${r.catchUpMs} ms, exact ${r.exact}/${r.active}${r.error ? ' ' + r.error : ''}`);
    }
    const stepCount = await countStepsOnIdleStack(base, chargers[0], tokens[0], options);
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
      meterIntoWorkflows,
      ...stepCount,
    };
  } finally {
    await Promise.allSettled(chargers.filter(Boolean).map((cp) => cp.close()));
    await stack.stop();
  }
}

async function countStepsOnIdleStack(base: string, charger: SimulatedChargePoint, token: string, options: { databaseUrl: string; temporalAddress: string; namespace: string }) {
  const pool = createPool(options.databaseUrl, { max: 2 });
  try {
    const steps = await countSessionSteps({ api: (method, url, body) => api(base, method, url, token, body), charger, pool, temporalAddress: options.temporalAddress, namespace: options.namespace });
    return { steps };
  } catch (err) {
    return { stepsError: String(err) };
  } finally {
    await pool.end();
  }
}

/**
 * 4. `sessions` sessions charging at once, each charger sending MeterValues every `intervalMs` for
 * `durationMs` (one in flight per charger, as OCPP requires); then how long until every workflow's
 * energy equals its charger's register, and whether it does. The sessions are stopped afterwards.
 */
async function meterScenario(base: string, chargers: SimulatedChargePoint[], tokens: string[], scenario: MeterScenario, deadlineMs: number): Promise<MeterScenarioResult> {
  // Started 100 at a time (the session measurement's concurrency), so every session is charging before the load begins.
  const sessions = await inParallel(chargers.length, Math.min(chargers.length, 100), async (i) => {
    const start = await api(base, 'POST', '/v1/sessions', tokens[i], { stationId: chargers[i].chargePointId, connectorId: 1 });
    if (start.status !== 201 && start.status !== 202) return undefined;
    const id = start.json.sessionId as string;
    const t0 = performance.now();
    while (performance.now() - t0 < deadlineMs) {
      const live = await api(base, 'GET', `/v1/sessions/${id}`, tokens[i]);
      if (live.json?.status === 'charging') return { id, meterStartWh: Number(live.json.meterStartWh), i };
      await sleep(100);
    }
    return undefined;
  });
  const active = sessions.filter((s): s is { id: string; meterStartWh: number; i: number } => s !== undefined);
  const acks: number[] = [];
  const loadStart = performance.now();
  const until = loadStart + scenario.durationMs;
  await Promise.all(
    active.map(async ({ i }) => {
      const cp = chargers[i];
      while (performance.now() < until) {
        const t0 = performance.now();
        cp.advance(1, scenario.intervalMs / 1000);
        await cp.sendMeterValues(1);
        const t1 = performance.now();
        acks.push(t1 - t0);
        await sleep(Math.max(0, scenario.intervalMs - (t1 - t0)));
      }
    }),
  );
  const loadSeconds = (performance.now() - loadStart) / 1000;
  const caughtUpAt = performance.now();
  let exact = 0;
  let catchUpMs = 0;
  await Promise.all(
    active.map(async ({ id, i }) => {
      const expectedWh = chargers[i].meterRegisterWh(1).toNumber();
      for (;;) {
        const live = await api(base, 'GET', `/v1/sessions/${id}`, tokens[i]);
        const wh = Number(live.json?.meterStartWh) + Number(live.json?.energyKwh) * 1000;
        if (Math.abs(wh - expectedWh) < 0.5) {
          exact++;
          catchUpMs = Math.max(catchUpMs, performance.now() - caughtUpAt);
          return;
        }
        if (performance.now() - caughtUpAt > 30_000) return void (catchUpMs = -1);
        await sleep(100);
      }
    }),
  );
  await inParallel(active.length, active.length, async (k) => {
    const { id, i } = active[k];
    await api(base, 'POST', `/v1/sessions/${id}/stop`, tokens[i]);
    await chargers[i].drained();
  });
  return {
    ...scenario,
    active: active.length,
    offeredPerSecond: round((active.length * 1000) / scenario.intervalMs, 1),
    ackedPerSecond: round(acks.length / loadSeconds, 1),
    ackMs: summarize(acks),
    catchUpMs: round(catchUpMs, 0),
    exact,
  };
}

const engineTaskQueue = `bench-engine-${runId}`;

/** The baseline's worker; started early so its workflow bundling overlaps other setup. */
export function startEngineWorker(temporalAddress: string, namespace: string) {
  return startChild(path.join(__dirname, 'engine', `worker-process${path.extname(__filename)}`), {
    env: { BENCH_TEMPORAL_ADDRESS: temporalAddress, BENCH_NAMESPACE: namespace, BENCH_TASK_QUEUE: engineTaskQueue },
    readyTimeoutMs: 120_000,
  });
}

export async function benchEngine(options: { temporalAddress: string; namespace: string; workflows: number; concurrency: number; budgetMs: number; worker?: Awaited<ReturnType<typeof startEngineWorker>> }): Promise<EngineResult> {
  const taskQueue = engineTaskQueue;
  const worker = options.worker ?? (await startEngineWorker(options.temporalAddress, options.namespace));
  const connection = await Connection.connect({ address: options.temporalAddress });
  try {
    const client = new Client({ connection, namespace: options.namespace });
    const run = (id: string) => client.workflow.execute('emptyWorkflowWithOneActivity', { taskQueue, workflowId: id, args: [] });
    // Warm-up: the worker's first tasks load the bundle.
    const warmup = Math.min(options.concurrency, 10);
    const sampleWorkflowId = `bench-engine-warmup-0-${runId}`;
    await inParallel(warmup, warmup, (i) => run(i === 0 ? sampleWorkflowId : `bench-engine-warmup-${i}-${Date.now()}`));
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
    return { workflows: options.workflows, concurrency: options.concurrency, seconds: round(seconds), perSecond: round(latencies.length / seconds), latencyMs: summarize(latencies), sampleWorkflowId };
  } finally {
    await connection.close();
    await worker.stop();
  }
}
