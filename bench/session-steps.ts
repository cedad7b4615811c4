/**
 * Where a session's time goes, counted rather than timed: one session alone on the idle stack,
 * phase by phase (start request → charging, one MeterValues, stop request → receipt), counting
 * the Temporal history events of each phase (workflow tasks, activities, local-activity markers,
 * signals, updates, timers) and the PostgreSQL statements every process of the stack ran (from
 * pg_stat_statements, when the server has it loaded). Beside it, the same count for the engine's
 * empty workflow with one activity.
 */
import { Client, Connection } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { Pool } from '../src/db/pool';
import type { SimulatedChargePoint } from '../src/simulator/charge-point';
import { sleep } from './support/stats';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** History event kinds a reader cares about, by the name of their attributes field. */
const stepKinds: Record<string, string> = {
  workflowTaskCompletedEventAttributes: 'workflow tasks',
  activityTaskScheduledEventAttributes: 'activities',
  markerRecordedEventAttributes: 'local activities (markers)',
  workflowExecutionSignaledEventAttributes: 'signals',
  workflowExecutionUpdateAcceptedEventAttributes: 'updates',
  timerStartedEventAttributes: 'timers',
  upsertWorkflowSearchAttributesEventAttributes: 'search-attribute upserts',
  workflowPropertiesModifiedEventAttributes: 'memo changes',
};

export type StepCount = Record<string, number>;

export interface SessionSteps {
  startToCharging: StepCount;
  oneMeterValues: StepCount;
  stopToReceipt: StepCount;
  /** false: the PostgreSQL server has no pg_stat_statements, so statements are not counted. */
  statementsCounted: boolean;
  /** Start request → charging as the server recorded it: each history event, ms after the start request. */
  startTimeline: string[];
}

/** "+ms Kind" per event, from the event's server time; attribute names shortened to the event's kind. */
function timeline(events: HistoryEvent[], fromMs: number): string[] {
  return events.map((e) => {
    const field = Object.keys(e).find((k) => k.endsWith('EventAttributes') && (e as Record<string, unknown>)[k]) ?? 'event';
    const at = e.eventTime ? Number(e.eventTime.seconds ?? 0) * 1000 + Math.floor((e.eventTime.nanos ?? 0) / 1e6) : NaN;
    const extra = signalName(e) ?? e.activityTaskScheduledEventAttributes?.activityType?.name ?? e.markerRecordedEventAttributes?.markerName ?? '';
    return `+${at - fromMs} ${field.replace(/EventAttributes$/, '')}${extra ? ` (${extra})` : ''}`;
  });
}

function countEvents(events: HistoryEvent[]): StepCount {
  const counts: StepCount = { 'history events': events.length };
  for (const event of events) {
    for (const [field, kind] of Object.entries(stepKinds)) {
      if ((event as Record<string, unknown>)[field]) counts[kind] = (counts[kind] ?? 0) + 1;
    }
  }
  return counts;
}

const signalName = (e: HistoryEvent) => e.workflowExecutionSignaledEventAttributes?.signalName;
const updateName = (e: HistoryEvent) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name;

/** PostgreSQL statements run on the bench's database since the last reset, or undefined without the extension. */
class StatementCounter {
  private constructor(private readonly pool: Pool | undefined) {}

  static async open(pool: Pool): Promise<StatementCounter> {
    try {
      await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
      await pool.query('SELECT pg_stat_statements_reset()');
      return new StatementCounter(pool);
    } catch {
      return new StatementCounter(undefined); // not in shared_preload_libraries (an external server)
    }
  }

  get available(): boolean {
    return this.pool !== undefined;
  }

  async reset(): Promise<void> {
    await this.pool?.query('SELECT pg_stat_statements_reset()');
  }

  async read(into: StepCount): Promise<void> {
    if (!this.pool) return;
    const { rows } = await this.pool.query(
      `SELECT coalesce(sum(calls), 0)::int AS n FROM pg_stat_statements
        WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database()) AND query NOT ILIKE '%pg_stat_statements%'`,
    );
    into['PostgreSQL statements'] = rows[0].n;
  }
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`session steps: ${what} did not happen within ${timeoutMs} ms`);
    await sleep(50);
  }
}

export async function countSessionSteps(options: {
  api: (method: string, url: string, body?: unknown) => Promise<{ status: number; json: any }>;
  charger: SimulatedChargePoint;
  pool: Pool;
  temporalAddress: string;
  namespace: string;
}): Promise<SessionSteps> {
  const connection = await Connection.connect({ address: options.temporalAddress });
  try {
    const client = new Client({ connection, namespace: options.namespace });
    const statements = await StatementCounter.open(options.pool);
    const history = async (id: string) => (await client.workflow.getHandle(id).fetchHistory()).events ?? [];

    // Start request → charging: the workflow has taken the charger's StartTransaction.
    await statements.reset();
    const requestedAt = Date.now();
    const start = await options.api('POST', '/v1/sessions', { stationId: options.charger.chargePointId, connectorId: 1 });
    if (start.status !== 201 && start.status !== 202) throw new Error(`session steps: start ${start.status} ${JSON.stringify(start.json)}`);
    const sessionId = start.json.sessionId as string;
    const chargingTaskDone = async () => {
      const events = await history(sessionId);
      const signalled = events.findIndex((e) => signalName(e) === 'transactionStarted');
      return signalled >= 0 && events.slice(signalled).some((e) => e.workflowTaskCompletedEventAttributes);
    };
    await waitFor(chargingTaskDone, 'charging');
    await sleep(300); // writes the workflow task started (local activities already ran inside it)
    const startEvents = await history(sessionId);
    const startToCharging = countEvents(startEvents);
    const startTimeline = timeline(startEvents, requestedAt);
    await statements.read(startToCharging);

    // One MeterValues: stored, forwarded, folded by the workflow.
    const before = (await history(sessionId)).length;
    await statements.reset();
    options.charger.advance(1, 60);
    await options.charger.sendMeterValues(1);
    await waitFor(async () => {
      const events = (await history(sessionId)).slice(before);
      return events.some((e) => signalName(e) === 'meterValueBatch') && events.some((e) => e.workflowTaskCompletedEventAttributes);
    }, 'the reading folded');
    await sleep(300);
    const oneMeterValues = countEvents((await history(sessionId)).slice(before));
    await statements.read(oneMeterValues);

    // Stop request → receipt: the workflow has completed with the receipt as its result.
    const beforeStop = (await history(sessionId)).length;
    await statements.reset();
    const stop = await options.api('POST', `/v1/sessions/${sessionId}/stop`);
    if (stop.status !== 200) throw new Error(`session steps: stop ${stop.status} ${JSON.stringify(stop.json)}`);
    await client.workflow.getHandle(sessionId).result();
    await options.charger.drained();
    const stopEvents = (await history(sessionId)).slice(beforeStop);
    const stopToReceipt = countEvents(stopEvents);
    await statements.read(stopToReceipt);
    if (!stopEvents.some((e) => updateName(e) === 'requestStop')) throw new Error('session steps: no requestStop update in the stop phase');

    return { startToCharging, oneMeterValues, stopToReceipt, statementsCounted: statements.available, startTimeline };
  } finally {
    await connection.close();
  }
}

/** The same count for any one workflow's whole history (the engine's baseline). */
export async function countWorkflowSteps(options: { temporalAddress: string; namespace: string; workflowId: string }): Promise<StepCount> {
  const connection = await Connection.connect({ address: options.temporalAddress });
  try {
    const client = new Client({ connection, namespace: options.namespace });
    return countEvents((await client.workflow.getHandle(options.workflowId).fetchHistory()).events ?? []);
  } finally {
    await connection.close();
  }
}

/** One line per phase: "kind n, kind n …". */
export function formatSteps(steps: SessionSteps, engine: StepCount): string[] {
  const line = (name: string, counts: StepCount) => `  ${name.padEnd(26)} ${Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(', ')}`;
  return [
    line('start request → charging', steps.startToCharging),
    line('one MeterValues', steps.oneMeterValues),
    line('stop request → receipt', steps.stopToReceipt),
    line('engine: empty wf + 1 act', engine),
    ...(steps.statementsCounted ? [] : ['  (PostgreSQL statements not counted: pg_stat_statements is not loaded on this server)']),
    `  start → charging timeline (server time, ms after the request): ${steps.startTimeline.join(', ')}`,
  ];
}
