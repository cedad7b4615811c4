/**
 * Chargers that misbehave, on the whole stack (time-skipping Temporal, session worker, gateway,
 * API, PostgreSQL): replayed and duplicated transaction messages, readings out of order or from
 * the future, a meter register that resets, a StopTransaction for a transaction nobody issued,
 * and chargers that drop off or reboot mid-session. Every receipt is exact (decimal strings,
 * half-up to the cent at 0.25 EUR/kWh) and every odd case is flagged on it.
 */
import { startStack, type Stack } from './support/stack';
import type { SimulatedChargePoint } from '../../src/simulator/charge-point';

const minute = 60_000;
const at = (offsetMs: number) => new Date(Date.now() + offsetMs).toISOString();

describe('misbehaving chargers on the whole stack', () => {
  let stack: Stack;
  let alice: string;

  beforeAll(async () => {
    stack = await startStack({ name: 'misbehaving', env: { LOG_LEVEL: process.env.STACK_LOG ?? 'silent' } });
    const { api } = stack;
    await api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
    for (const id of ['CP_DUP', 'CP_SKEW', 'CP_BACK', 'CP_UNK', 'CP_DROP', 'CP_RESET']) await stack.addCharger(id);
    alice = await api.createDriver('alice', ['A_DUP', 'A_SKEW', 'A_BACK', 'A_UNK', 'A_DROP', 'A_RESET']);
  });

  afterAll(async () => {
    await stack?.close();
  });

  const meterValues = (cp: SimulatedChargePoint, transactionId: number, timestamp: string, wh: number) =>
    cp.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp, sampledValue: [{ value: String(wh), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }] });

  /** A charger-side start (RFID): the raw StartTransaction, and the session it created once it is charging. */
  async function chargerStart(cp: SimulatedChargePoint, idTag: string, meterStart: number, timestamp = at(-30 * minute)) {
    const start = { connectorId: 1, idTag, meterStart, timestamp };
    const answer = (await cp.call('StartTransaction', start)) as { transactionId: number; idTagInfo: { status: string } };
    const sessionId = await stack.sessionOfTransaction(answer.transactionId);
    await stack.eventually('the session charging', () => stack.api.call('GET', `/v1/sessions/${sessionId}`, { token: alice }), (r) => r.json?.status === 'charging');
    return { start, transactionId: answer.transactionId, sessionId };
  }

  const liveEnergy = (sessionId: string, kwh: string) =>
    stack.eventually(`${kwh} kWh on the live state`, () => stack.api.call('GET', `/v1/sessions/${sessionId}`, { token: alice }), (r) => r.json?.energyKwh === kwh);

  it('bills a session with replayed StartTransaction, duplicated and reordered MeterValues and replayed StopTransactions exactly once', async () => {
    const cp = await stack.connectCharger('CP_DUP');
    const { start, transactionId, sessionId } = await chargerStart(cp, 'A_DUP', 10_000);
    // The charger never saw our answer and sends StartTransaction again: same transaction.
    expect(await cp.call('StartTransaction', start)).toMatchObject({ transactionId });

    const t1 = at(-20 * minute);
    const t2 = at(-15 * minute);
    const t3 = at(-10 * minute);
    await meterValues(cp, transactionId, t1, 12_000);
    await meterValues(cp, transactionId, t1, 12_000); // duplicate
    await meterValues(cp, transactionId, t3, 13_000);
    await meterValues(cp, transactionId, t2, 12_500); // late, out of order: not a meter reset
    await liveEnergy(sessionId, '3');

    const stop = { transactionId, meterStop: 14_321, timestamp: at(-5 * minute), reason: 'Local', idTag: 'A_DUP' };
    await cp.call('StopTransaction', stop);
    await cp.call('StopTransaction', stop); // replay
    await cp.call('StopTransaction', { ...stop, meterStop: 20_000 }); // a replay with another reading: the first stop wins

    const receipt = await stack.receipt(sessionId, alice);
    expect(receipt).toMatchObject({ status: 'completed', meter_start: 10_000, meter_stop: 14_321, energy_kwh_exact: '4.321', rate_per_kwh_exact: '0.25', total_cost_exact: '1.08' });
    expect(receipt.flags).not.toContain('meter_went_backwards');
    expect(receipt.flags).not.toContain('unexpected_second_transaction');

    const stored = await stack.db.pool.query(`SELECT id, meter_start, meter_stop FROM transactions WHERE station_id = 'CP_DUP'`);
    expect(stored.rows).toEqual([{ id: transactionId, meter_start: 10_000, meter_stop: 14_321 }]);
    const samples = await stack.db.pool.query('SELECT count(*)::int AS n FROM meter_samples WHERE transaction_id = $1', [transactionId]);
    expect(samples.rows[0].n).toBe(3);
    const receipts = await stack.db.pool.query('SELECT count(*)::int AS n FROM receipts WHERE session_id = $1', [sessionId]);
    expect(receipts.rows[0].n).toBe(1);
  });

  it('flags a reading stamped far in the future as clock skew and still bills from the registers', async () => {
    const cp = await stack.connectCharger('CP_SKEW');
    const { transactionId, sessionId } = await chargerStart(cp, 'A_SKEW', 20_000);
    await meterValues(cp, transactionId, at(365 * 24 * 60 * minute), 21_000); // a year ahead
    await meterValues(cp, transactionId, at(-1 * minute), 21_500);
    await liveEnergy(sessionId, '1.5');
    await cp.call('StopTransaction', { transactionId, meterStop: 22_222, timestamp: at(0), reason: 'EVDisconnected' });

    const receipt = await stack.receipt(sessionId, alice);
    expect(receipt).toMatchObject({ status: 'completed', energy_kwh_exact: '2.222', total_cost_exact: '0.56' }); // 0.5555 → 0.56
    expect(receipt.flags).toContain('clock_skew');
  });

  it('flags a meter register that resets mid-session and a stop reading below the start, and bills the last trusted reading, never negative', async () => {
    const cp = await stack.connectCharger('CP_BACK');
    const { transactionId, sessionId } = await chargerStart(cp, 'A_BACK', 50_000);
    await meterValues(cp, transactionId, at(-20 * minute), 51_234);
    await meterValues(cp, transactionId, at(-10 * minute), 300); // the register reset
    await cp.call('StopTransaction', { transactionId, meterStop: 700, timestamp: at(-1 * minute), reason: 'Local' });

    const receipt = await stack.receipt(sessionId, alice);
    expect(receipt).toMatchObject({ status: 'completed', meter_start: 50_000, meter_stop: 700, energy_kwh_exact: '1.234', total_cost_exact: '0.31' }); // 0.3085 → 0.31
    expect(receipt.flags).toContain('meter_went_backwards');
    expect(Number(receipt.total_cost_exact)).toBeGreaterThanOrEqual(0);
  });

  it('answers a StopTransaction for a transaction nobody issued, stores nothing under that id, and the running session still bills exactly', async () => {
    const cp = await stack.connectCharger('CP_UNK');
    const { transactionId, sessionId } = await chargerStart(cp, 'A_UNK', 1_000);
    const answer = await cp.call('StopTransaction', {
      transactionId: 987_654,
      meterStop: 5,
      timestamp: at(-5 * minute),
      idTag: 'A_UNK',
      transactionData: [{ timestamp: at(-6 * minute), sampledValue: [{ value: '5', context: 'Transaction.End' }] }],
    });
    expect(answer).toEqual({ idTagInfo: expect.objectContaining({ status: expect.any(String) }) });
    const stray = await stack.db.pool.query('SELECT (SELECT count(*) FROM transactions WHERE id = 987654)::int AS tx, (SELECT count(*) FROM meter_samples WHERE transaction_id = 987654)::int AS samples');
    expect(stray.rows[0]).toEqual({ tx: 0, samples: 0 });

    await meterValues(cp, transactionId, at(-2 * minute), 1_800);
    await cp.call('StopTransaction', { transactionId, meterStop: 2_600, timestamp: at(-1 * minute), reason: 'Local' });
    const receipt = await stack.receipt(sessionId, alice);
    expect(receipt).toMatchObject({ status: 'completed', energy_kwh_exact: '1.6', total_cost_exact: '0.40' });
  });

  it('keeps billing exactly when the charger drops off, queues its readings, reconnects and boots again mid-session', async () => {
    const cp = await stack.connectCharger('CP_DROP', { meterStartWh: 300_000 });
    const started = await stack.api.call('POST', '/v1/sessions', { token: alice, body: { stationId: 'CP_DROP', connectorId: 1, idTag: 'A_DROP' } });
    expect(started.status).toBe(201);
    const sessionId: string = started.json.sessionId;
    await stack.eventually('charging', () => stack.api.call('GET', `/v1/sessions/${sessionId}`, { token: alice }), (r) => r.json?.status === 'charging');

    cp.setMeterRegister(1, 301_000);
    await cp.sendMeterValues(1);
    cp.dropConnection();
    await stack.eventually('the charger offline', () => stack.db.pool.query(`SELECT online FROM chargers WHERE id = 'CP_DROP'`), (r) => r.rows[0].online === false);
    cp.setMeterRegister(1, 302_000);
    const queued = cp.sendMeterValues(1); // queued while offline
    await cp.reconnect();
    await queued;
    // Firmware restarted: a new BootNotification on the new connection, the transaction still running.
    expect(await cp.call('BootNotification', { chargePointVendor: 'Simulator', chargePointModel: 'SimCharger' })).toMatchObject({ status: 'Accepted' });
    await liveEnergy(sessionId, '2');

    cp.setMeterRegister(1, 303_457);
    const stopped = await stack.api.call('POST', `/v1/sessions/${sessionId}/stop`, { token: alice });
    expect(stopped.status).toBe(200);
    const receipt = await stack.receipt(sessionId, alice);
    expect(receipt).toMatchObject({ status: 'completed', meter_start: 300_000, meter_stop: 303_457, energy_kwh_exact: '3.457', total_cost_exact: '0.86' }); // 0.86425 → 0.86
    expect(receipt.flags).not.toContain('interrupted');
    const samples = await stack.db.pool.query(
      `SELECT value FROM meter_samples WHERE transaction_id = $1 AND measurand = 'Energy.Active.Import.Register' AND context = 'Sample.Periodic' ORDER BY timestamp`,
      [receipt.transaction_id],
    );
    expect(samples.rows.map((r) => r.value)).toEqual(['301000', '302000']); // each reading once, none lost
  });

  it('bills exactly when an operator resets the charger mid-session: it stops the transaction, reboots and reconnects', async () => {
    const cp = await stack.connectCharger('CP_RESET', { meterStartWh: 7_000 });
    const started = await stack.api.call('POST', '/v1/sessions', { token: alice, body: { stationId: 'CP_RESET', connectorId: 1, idTag: 'A_RESET' } });
    expect(started.status).toBe(201);
    const sessionId: string = started.json.sessionId;
    await stack.eventually('charging', () => stack.api.call('GET', `/v1/sessions/${sessionId}`, { token: alice }), (r) => r.json?.status === 'charging');
    cp.setMeterRegister(1, 9_999);
    await cp.sendMeterValues(1);

    const before = await stack.db.pool.query(`SELECT connection_epoch FROM chargers WHERE id = 'CP_RESET'`);
    const reset = await stack.api.call('POST', '/v1/operator/stations/CP_RESET/reset', { body: { type: 'Soft' } });
    expect(reset.status).toBe(200);
    const receipt = await stack.receipt(sessionId, alice);
    expect(receipt).toMatchObject({ status: 'completed', stop_reason: 'SoftReset', meter_stop: 9_999, energy_kwh_exact: '2.999', total_cost_exact: '0.75' }); // 0.74975 → 0.75
    // Back on a new connection (a higher epoch), routed and online.
    await stack.eventually('the charger reconnected', async () => cp.connected, (c) => c);
    await stack.eventually(
      'the charger routed again',
      () => stack.db.pool.query(`SELECT online, connection_epoch FROM chargers WHERE id = 'CP_RESET'`),
      (r) => r.rows[0].online === true && Number(r.rows[0].connection_epoch) > Number(before.rows[0].connection_epoch),
    );
  });

  it('matches every unflagged receipt against an independent recomputation from the stored transaction', async () => {
    const { rows } = await stack.db.pool.query(
      `SELECT r.session_id, r.energy_kwh, r.total_cost, r.flags, t.meter_start, t.meter_stop FROM receipts r JOIN transactions t ON t.id = r.transaction_id WHERE r.status = 'completed'`,
    );
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const r of rows.filter((r) => r.flags.length === 0)) {
      const energyWh = BigInt(r.meter_stop) - BigInt(r.meter_start);
      // 0.25 EUR/kWh: cost in cents = Wh / 40, half-up.
      const cents = (energyWh * 10n + 200n) / 400n;
      expect([r.session_id, Number(r.energy_kwh) * 1000, Math.round(Number(r.total_cost) * 100)]).toEqual([r.session_id, Number(energyWh), Number(cents)]);
    }
  });
});
