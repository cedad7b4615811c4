/**
 * PostgreSQL unreachable for a while, on the whole stack (time-skipping Temporal at wall-clock
 * speed, session worker, gateway, API, PostgreSQL, simulated chargers):
 * - the gateway refuses (CALLERROR InternalError) every charger message it cannot store, so the
 *   chargers keep them queued and send them again; nothing is acknowledged and nothing is stored
 *   while the database is away;
 * - a session activity that needs the database fails during the outage and Temporal retries it;
 * - once the database is back, every queued message is stored exactly once, both sessions end
 *   with exact receipts, and the gateway and the worker go on serving.
 *
 * The outage: the test database stops accepting connections (ALTER DATABASE … ALLOW_CONNECTIONS
 * false) and every backend on it is terminated, so pooled idle connections die too and no path
 * to the database is left; it is then checked directly that a new connection is refused.
 */
import { Writable } from 'node:stream';
import pino from 'pino';
import { Client as TemporalClient } from '@temporalio/client';
import { databaseSwitch } from './support/database-switch';
import { startStack, type Stack } from './support/stack';
import type { SimulatedChargePoint } from '../../src/simulator/charge-point';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** How long PostgreSQL stays unreachable. */
const outageMs = 6_000;
/** The slow charger answers GetConfiguration this late: inside the outage, so the session's next routing lookup meets it. */
const getConfigurationDelayMs = 3_500;
/** Enough attempts, close enough together, to keep retrying through the outage. */
const retrying = { transactionMessageAttempts: 200, transactionMessageRetryMs: 250 };

/** The simulators' log lines (warn and up), parsed: each refused delivery of a transaction message is one. */
function captureChargerLogs() {
  const lines: Array<{ chargePointId: string; msg: string; action?: string; attempt?: number; err?: { rpcErrorCode?: string } }> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const logger = pino({ level: 'warn' }, stream);
  /** The error codes the charger got back for `action`, one per refused attempt. */
  const refusals = (chargePointId: string, action: string) =>
    lines.filter((l) => l.chargePointId === chargePointId && l.msg === 'transaction message not accepted' && l.action === action).map((l) => l.err?.rpcErrorCode);
  return { logger, lines, refusals };
}

describe('PostgreSQL unreachable for a while', () => {
  let stack: Stack;
  let database: Awaited<ReturnType<typeof databaseSwitch>>;
  let temporal: TemporalClient;
  let alice: string;
  const logs = captureChargerLogs();

  beforeAll(async () => {
    stack = await startStack({ name: 'db-outage', env: { LOG_LEVEL: process.env.STACK_LOG ?? 'silent' } });
    database = await databaseSwitch(stack.db.url);
    temporal = new TemporalClient({ connection: stack.env.connection });
    await stack.api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
    await stack.addCharger('CP_OUT_A');
    await stack.addCharger('CP_OUT_B');
    alice = await stack.api.createDriver('alice', ['ALICE_A', 'ALICE_B']);
  });

  afterAll(async () => {
    await database?.close();
    await stack?.close();
  });

  /** Starts a session from the app and waits until the charger's transaction is charging. */
  async function startCharging(cp: SimulatedChargePoint, stationId: string, idTag: string) {
    const started = await stack.api.call('POST', '/v1/sessions', { token: alice, body: { stationId, connectorId: 1, idTag } });
    expect(started.status).toBe(201);
    const sessionId: string = started.json.sessionId;
    await stack.eventually('charging', () => stack.api.call('GET', `/v1/sessions/${sessionId}`, { token: alice }), (r) => r.json?.status === 'charging');
    const transactionId = cp.transactionId(1);
    if (transactionId === undefined) throw new Error(`${stationId} has no transaction`);
    return { sessionId, transactionId };
  }

  /** Energy register readings each charger saw acknowledged, in order. */
  const acknowledged: Record<string, string[]> = { CP_OUT_A: [], CP_OUT_B: [] };

  it('refuses what it cannot store, stores every queued message exactly once when PostgreSQL is back, and bills exactly', async () => {
    // ── Before: two sessions charging, each with a first reading stored ─────────────────────
    const b = await stack.connectCharger('CP_OUT_B', { meterStartWh: 50_000, logger: logs.logger, ...retrying });
    const a = await stack.connectCharger('CP_OUT_A', { meterStartWh: 154_200, logger: logs.logger, ...retrying });
    for (const cp of [a, b]) {
      cp.on('meterValues', (e: { sampledValue: Array<{ value: string; measurand: string }> }) => {
        for (const v of e.sampledValue) if (v.measurand === 'Energy.Active.Import.Register') acknowledged[cp.chargePointId].push(v.value);
      });
    }
    const sessionB = await startCharging(b, 'CP_OUT_B', 'ALICE_B');
    b.setMeterRegister(1, 51_000);
    await b.sendMeterValues(1);

    // A slow charger: its answer to the session's GetConfiguration (the SoC check) arrives during the outage.
    a.replyDelayMs.GetConfiguration = getConfigurationDelayMs;
    const sessionA = await startCharging(a, 'CP_OUT_A', 'ALICE_A');
    a.setMeterRegister(1, 155_000);
    await a.sendMeterValues(1);
    // The register readings, one per MeterValues (SoC rows join them once the session has enabled it, whenever that lands).
    const samplesBefore = await stack.db.pool.query(
      "SELECT count(*)::int AS n FROM meter_samples WHERE transaction_id = ANY($1) AND measurand = 'Energy.Active.Import.Register'",
      [[sessionA.transactionId, sessionB.transactionId]],
    );
    expect(samplesBefore.rows[0].n).toBe(2);

    // ── The outage ───────────────────────────────────────────────────────────────────────
    const cutAt = await database.cut();
    const outageEnds = Date.now() + outageMs;
    expect(await database.connectAttempt()).toMatch(/is not currently accepting connections/);

    // Charger A reports twice more, then the driver unplugs; charger B's driver unplugs too.
    a.setMeterRegister(1, 156_000);
    const a2 = a.sendMeterValues(1);
    await sleep(20); // distinct sample timestamps (a frame with the same timestamp is a replay)
    a.setMeterRegister(1, 156_500);
    const a3 = a.sendMeterValues(1);
    await sleep(20);
    a.setMeterRegister(1, 156_700);
    const stopA = a.stopTransaction(1, 'EVDisconnected');
    b.setMeterRegister(1, 51_500);
    const stopB = b.stopTransaction(1, 'EVDisconnected');
    // A Heartbeat has nothing to store: it is still answered, so the charger keeps its clock.
    await expect(a.heartbeat()).resolves.toMatchObject({ currentTime: expect.any(String) });

    await sleep(outageEnds - Date.now());
    // Nothing was acknowledged: every transaction message is still queued at the charger, each
    // delivery attempt was answered InternalError, and no connection reached the database.
    expect(a.queuedMessages).toBe(3); // MeterValues, MeterValues, StopTransaction: in order, the first one at the head
    expect(b.queuedMessages).toBe(1); // StopTransaction
    expect(logs.refusals('CP_OUT_A', 'MeterValues').length).toBeGreaterThanOrEqual(5);
    expect(logs.refusals('CP_OUT_B', 'StopTransaction').length).toBeGreaterThanOrEqual(5);
    expect(new Set([...logs.refusals('CP_OUT_A', 'MeterValues'), ...logs.refusals('CP_OUT_B', 'StopTransaction')])).toEqual(new Set(['InternalError']));
    expect(acknowledged).toEqual({ CP_OUT_A: ['155000'], CP_OUT_B: ['51000'] });
    expect(await database.backends()).toBe(0);
    expect(await database.connectAttempt()).toMatch(/is not currently accepting connections/);

    // ── PostgreSQL is back ───────────────────────────────────────────────────────────────
    const restoredAt = await database.restore();
    await Promise.all([a2, a3, stopA, stopB]); // each delivered (acknowledged) once stored
    const receiptA = await stack.receipt(sessionA.sessionId, alice);
    const receiptB = await stack.receipt(sessionB.sessionId, alice);

    // The reference session: 154200 → 156700 Wh at 0.25 EUR/kWh = 2.5 kWh, 0.625 → 0.63.
    expect(receiptA).toMatchObject({ status: 'completed', meter_start: 154_200, meter_stop: 156_700, energy_kwh_exact: '2.5', rate_per_kwh_exact: '0.25', total_cost_exact: '0.63', stop_reason: 'EVDisconnected' });
    expect(receiptA.flags).toEqual([]);
    // 50000 → 51500 Wh: 1.5 kWh × 0.25 = 0.375 → 0.38.
    expect(receiptB).toMatchObject({ status: 'completed', meter_start: 50_000, meter_stop: 51_500, energy_kwh_exact: '1.5', total_cost_exact: '0.38', stop_reason: 'EVDisconnected' });
    expect(receiptB.flags).toEqual([]);

    // Every reading the charger sent is stored exactly once, under its transaction.
    expect(acknowledged).toEqual({ CP_OUT_A: ['155000', '156000', '156500'], CP_OUT_B: ['51000'] });
    const samples = await stack.db.pool.query(
      `SELECT transaction_id, context, value, received_at FROM meter_samples
        WHERE transaction_id = ANY($1) AND measurand = 'Energy.Active.Import.Register' ORDER BY transaction_id, timestamp, context`,
      [[sessionA.transactionId, sessionB.transactionId]],
    );
    const stored = (transactionId: number) => samples.rows.filter((r) => r.transaction_id === transactionId).map((r) => `${r.context} ${r.value}`);
    expect(stored(sessionA.transactionId)).toEqual([
      'Transaction.Begin 154200',
      'Sample.Periodic 155000',
      'Sample.Periodic 156000',
      'Sample.Periodic 156500',
      'Transaction.End 156700',
    ]);
    expect(stored(sessionB.transactionId)).toEqual(['Transaction.Begin 50000', 'Sample.Periodic 51000', 'Transaction.End 51500']);
    const transactions = await stack.db.pool.query('SELECT id, meter_start, meter_stop, stopped_at FROM transactions WHERE station_id LIKE $1 ORDER BY id', ['CP_OUT_%']);
    expect(transactions.rows.map((r) => [r.id, r.meter_start, r.meter_stop])).toEqual([
      [sessionB.transactionId, 50_000, 51_500],
      [sessionA.transactionId, 154_200, 156_700],
    ]);
    // Nothing was written while the database was away: every row is from before the cut or after the restore.
    for (const at of [...samples.rows.map((r) => r.received_at), ...transactions.rows.map((r) => r.stopped_at)]) {
      expect(at < cutAt || at > restoredAt).toBe(true);
    }
    expect(transactions.rows.every((r) => r.stopped_at > restoredAt)).toBe(true);
    // One receipt per session, and it matches an independent recomputation from the stored transaction.
    const receipts = await stack.db.pool.query(
      `SELECT r.session_id, r.energy_kwh, r.total_cost, t.meter_start, t.meter_stop FROM receipts r JOIN transactions t ON t.id = r.transaction_id WHERE r.station_id LIKE $1`,
      ['CP_OUT_%'],
    );
    expect(receipts.rows.map((r) => r.session_id).sort()).toEqual([sessionA.sessionId, sessionB.sessionId].sort());
    for (const r of receipts.rows) {
      const energyWh = BigInt(r.meter_stop) - BigInt(r.meter_start);
      const cents = (energyWh * 10n + 200n) / 400n; // 0.25 EUR/kWh: Wh / 40 cents, half-up
      expect([Number(r.energy_kwh) * 1000, Math.round(Number(r.total_cost) * 100)]).toEqual([Number(energyWh), Number(cents)]);
    }

    // Session A's routing lookup before its ChangeConfiguration ran during the outage: it failed and
    // was retried (a local activity: the worker retries it, the history's marker records the attempt
    // that succeeded), and that attempt finished only after PostgreSQL was back; the SoC handshake
    // then went on.
    const history = await temporal.workflow.getHandle(sessionA.sessionId).fetchHistory();
    const eventTime = (t: { seconds?: { toString(): string } | null; nanos?: number | null } | null | undefined) =>
      new Date(Number(t?.seconds?.toString() ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6);
    const retried = (history.events ?? [])
      .flatMap((e) => {
        const data = e.markerRecordedEventAttributes?.details?.data?.payloads?.[0]?.data;
        if (!data) return [];
        const marker = JSON.parse(Buffer.from(data).toString()) as { activity_type: string; attempt: number };
        // The marker is recorded when the workflow task that saw the activity finish completes.
        return [{ activity: marker.activity_type, attempt: marker.attempt, completedAfterRestore: eventTime(e.eventTime) > restoredAt }];
      })
      .filter((m) => m.attempt > 1);
    expect(retried).toEqual([{ activity: 'lookupChargerRoute', attempt: expect.any(Number), completedAfterRestore: true }]);
    const stateA = await stack.api.call('GET', `/v1/sessions/${sessionA.sessionId}`, { token: alice });
    expect(stateA.json.socReporting).toMatchObject({ status: 'enabled' });

    // ── Still serving: the gateway answers, the worker runs a new session to its receipt ────
    await expect(a.heartbeat()).resolves.toMatchObject({ currentTime: expect.any(String) });
    const again = await startCharging(b, 'CP_OUT_B', 'ALICE_B');
    b.setMeterRegister(1, 52_300);
    const stopped = await stack.api.call('POST', `/v1/sessions/${again.sessionId}/stop`, { token: alice });
    expect(stopped.status).toBe(200);
    expect(await stack.receipt(again.sessionId, alice)).toMatchObject({ status: 'completed', meter_start: 51_500, meter_stop: 52_300, total_cost_exact: '0.20' });
  });
});
