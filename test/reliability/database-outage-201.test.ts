/**
 * PostgreSQL unreachable while an OCPP 2.0.1 station charges (the whole stack, the 2.0.1
 * simulator): the gateway answers every TransactionEvent it cannot store with InternalError, so
 * the station keeps it and sends it again (OCPPCommCtrlr.MessageAttempts[TransactionEvent]); once
 * the database is back every event is stored once and the receipt is exact.
 */
import { SimulatedChargingStation201 } from '../../src/simulator/v201/charging-station';
import { databaseSwitch } from './support/database-switch';
import { chargerPassword, startStack, type Stack } from './support/stack';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('PostgreSQL unreachable while an OCPP 2.0.1 station charges', () => {
  let stack: Stack;
  let driver: string;
  let database: Awaited<ReturnType<typeof databaseSwitch>>;
  let station: SimulatedChargingStation201 | undefined;

  beforeAll(async () => {
    stack = await startStack({ name: 'database-outage-201', env: { LOG_LEVEL: process.env.STACK_LOG ?? 'silent' } });
    await stack.api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
    await stack.addCharger('CS201_DB');
    driver = await stack.api.createDriver('dana', ['DANA-201']);
    database = await databaseSwitch(stack.db.url);
  });
  afterAll(async () => {
    await database?.close();
    await station?.close().catch(() => undefined);
    await stack?.close();
  });

  it('refuses what it cannot store, takes the retries once the database is back, and bills exactly', async () => {
    station = new SimulatedChargingStation201({
      url: stack.gateway.url,
      stationId: 'CS201_DB',
      password: chargerPassword,
      meterStartWh: 154200,
      transactionMessageRetryMs: 250,
      callTimeoutMs: 5000,
      variables: { 'OCPPCommCtrlr.MessageAttempts[TransactionEvent]': '200' },
    });
    await station.connect();
    const { transactionId } = await station.startTransaction(1, 'DANA-201');
    const session = await stack.eventually(
      'the session',
      () => stack.db.pool.query('SELECT t.session_id FROM ocpp201_transactions m JOIN transactions t ON t.id = m.transaction_id WHERE m.charger_transaction_id = $1', [transactionId]),
      (r) => r.rows.length === 1,
    );
    const sessionId: string = session.rows[0].session_id;
    await stack.eventually('charging', () => stack.api.call('GET', `/v1/sessions/${sessionId}`, { token: driver }), (r) => r.json?.status === 'charging');

    await database.cut();
    expect(await database.connectAttempt()).not.toBe('connected');
    station.setMeterRegister(1, 155450);
    const updated = station.sendMeterValues(1);
    await sleep(20);
    station.setMeterRegister(1, 156700);
    const ended = station.stopTransaction(1, 'Local', 'StopAuthorized');
    await sleep(3_000);
    // Nothing acknowledged while the database is away: both events still wait at the station.
    expect(station.queuedEvents).toBe(2);
    await database.restore();
    await Promise.all([updated, ended]);
    await station.drained();

    const receipt = await stack.receipt(sessionId, driver, 30_000);
    expect(receipt).toMatchObject({ status: 'completed', stop_reason: 'Local', meter_start: 154200, meter_stop: 156700, energy_kwh_exact: '2.5', total_cost_exact: '0.63' });
    const events = await stack.db.pool.query(`SELECT seq_no FROM ocpp201_transaction_events WHERE station_id = 'CS201_DB' ORDER BY seq_no`);
    expect(events.rows.map((r) => r.seq_no)).toEqual([0, 1, 2]);
    const registers = await stack.db.pool.query(
      `SELECT s.value FROM meter_samples s JOIN transactions t ON t.id = s.transaction_id WHERE t.session_id = $1 AND s.measurand = 'Energy.Active.Import.Register' ORDER BY s.timestamp, s.id`,
      [sessionId],
    );
    // The Ended repeats the Transaction.Begin sample: the same sample, stored once.
    expect(registers.rows.map((r) => r.value)).toEqual(['154200', '155450', '156700']);
  });
});
