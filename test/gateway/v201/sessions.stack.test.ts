/**
 * OCPP 2.0.1 sessions on the whole stack (time-skipping Temporal, the session worker, the gateway,
 * the API over HTTP, PostgreSQL) with the 2.0.1 simulator (src/simulator/v201): the same session
 * workflow and billing as 1.6, the same receipt for the seed session (started from the app through
 * the tutorial endpoints, and by RFID), an offline queue replayed out of order with a duplicate, a
 * lost Started, and the stops by the EV, the driver and the operator. App starts and stops go out
 * through the 2.0.1 command translations (RequestStart/StopTransaction, merged from v201-cmd).
 */
import { SimulatedChargingStation201 } from '../../../src/simulator/v201/charging-station';
import { chargerPassword, startStack, type Stack } from '../../reliability/support/stack';
import { openEventStream } from '../../api/support/event-stream';

describe('OCPP 2.0.1 sessions on the whole stack', () => {
  let stack: Stack;
  let alice: string;
  const stations: SimulatedChargingStation201[] = [];

  beforeAll(async () => {
    stack = await startStack({ name: 'v201-sessions' });
    await stack.api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
    alice = await stack.api.createDriver('alice', ['ALICE0001']);
  });
  afterAll(async () => {
    for (const s of stations) await s.close().catch(() => undefined);
    await stack?.close();
  });

  async function connect(stationId: string, options: Partial<ConstructorParameters<typeof SimulatedChargingStation201>[0]> = {}): Promise<SimulatedChargingStation201> {
    await stack.addCharger(stationId);
    const station = new SimulatedChargingStation201({
      url: stack.gateway.url,
      stationId,
      password: chargerPassword,
      meterStartWh: 154200,
      socStartPercent: 20,
      callTimeoutMs: 10_000,
      transactionMessageRetryMs: 200,
      variables: { 'SampledDataCtrlr.TxUpdatedMeasurands': 'Energy.Active.Import.Register,SoC' },
      ...options,
    });
    stations.push(station);
    expect((await station.connect()).status).toBe('Accepted');
    return station;
  }

  /** The session the station's transaction (its own id) belongs to. */
  async function sessionOf(stationId: string, chargerTransactionId: string): Promise<string> {
    const { rows } = await stack.eventually(
      `the session of ${chargerTransactionId}`,
      () =>
        stack.db.pool.query(
          'SELECT t.session_id FROM ocpp201_transactions m JOIN transactions t ON t.id = m.transaction_id WHERE m.station_id = $1 AND m.charger_transaction_id = $2',
          [stationId, chargerTransactionId],
        ),
      (r) => r.rows.length === 1,
    );
    return rows[0].session_id;
  }

  const state = async (sessionId: string) => (await stack.api.call('GET', `/v1/sessions/${sessionId}`, { token: alice })).json;
  const until = (sessionId: string, what: string, accept: (s: any) => boolean) => stack.eventually(what, () => state(sessionId), accept);

  it('runs the seed session from the app through the tutorial endpoints over 2.0.1 (TC_E_21_CSMS for its stop): 2.5 kWh at 0.25 costs 0.63 with SoC 74', async () => {
    const station = await connect('CS201_APP', { variables: {}, plugDelayMs: 50 });
    expect((await stack.api.call('GET', '/station/CS201_APP/check-soc', { token: alice })).json).toEqual({ soc_supported: false });
    expect((await stack.api.call('POST', '/station/CS201_APP/enable-soc', { token: alice })).json).toEqual({ status: 'success', message: 'SOC enabled' });
    expect(station.variable('SampledDataCtrlr.TxUpdatedMeasurands')).toContain('SoC');

    const started = await stack.api.call('POST', '/start_session', { token: alice, body: { cp_id: 'CS201_APP', connector_id: 1 } });
    expect(started.status).toBe(200);
    const sessionId = started.json.session_id;
    const stream = openEventStream(`${stack.api.url}/v1/sessions/${sessionId}/events`, alice);
    await stream.opened;
    await stream.until(() => stream.states().some((s) => s.status === 'charging'), 'charging');
    // The RequestStartTransaction's remoteStartId came back in the Started and found this session.
    const remote = station.received.find((r) => r.action === 'RequestStartTransaction')!.payload as { remoteStartId: number; idToken: unknown };
    expect(remote.idToken).toEqual({ idToken: 'ALICE0001', type: 'Central' });
    expect((await stack.db.pool.query('SELECT remote_start_id FROM ocpp201_transactions WHERE station_id = $1', ['CS201_APP'])).rows).toEqual([{ remote_start_id: remote.remoteStartId }]);
    expect(stream.states().find((s) => s.status === 'charging')).toMatchObject({ origin: 'app', stationTransactionId: station.transactionId(1) });

    station.setMeterRegister(1, 155450);
    station.setSoc(1, 50);
    await station.sendMeterValues(1);
    await stream.until(() => stream.states().some((s) => s.energyKwh === '1.25'), 'the 1.25 kWh reading');
    expect(stream.states().find((s) => s.energyKwh === '1.25')).toMatchObject({ socPercent: 50, costSoFar: expect.stringMatching(/^0\.31/) });
    station.setMeterRegister(1, 156700);
    station.setSoc(1, 74);
    await station.sendMeterValues(1);
    await stream.until(() => stream.states().some((s) => s.energyKwh === '2.5' && s.socPercent === 74), 'the 2.5 kWh reading');

    const stopped = await stack.api.call('POST', '/stop_session', { token: alice, body: { session_id: sessionId } });
    expect(stopped.status).toBe(200);
    expect(stopped.json).toEqual({
      session_id: sessionId,
      meter_start: 154200,
      meter_stop: 156700,
      energy_kwh: 2.5,
      rate_per_kwh: 0.25,
      total_cost: 0.63,
      soc: 74,
      start_time: expect.any(String),
      end_time: expect.any(String),
    });
    expect(station.received.filter((r) => r.action === 'RequestStopTransaction').map((r) => r.payload)).toEqual([{ transactionId: expect.any(String) }]);
    const tx = (await stack.db.pool.query('SELECT t.stop_reason FROM transactions t JOIN sessions s ON s.transaction_id = t.id WHERE s.id = $1', [sessionId])).rows[0];
    expect(tx.stop_reason).toBe('Remote');
    await stream.until(() => stream.ended, 'the end of the event stream');
  });

  it('stops an app session from the operator (force stop): RequestStopTransaction, the station ends it with stoppedReason Remote', async () => {
    const station = await connect('CS201_OPERATOR', { meterStartWh: 1000 });
    const started = await stack.api.call('POST', '/v1/sessions', { token: alice, body: { stationId: 'CS201_OPERATOR', connectorId: 1 } });
    expect(started.status).toBe(201);
    const sessionId = started.json.sessionId;
    await until(sessionId, 'charging', (s) => s.status === 'charging');
    const chargerTransactionId = station.transactionId(1);
    station.setMeterRegister(1, 3000);
    await station.sendMeterValues(1);
    const stopped = await stack.api.call('POST', `/v1/sessions/${sessionId}/stop`, { body: { reason: 'site maintenance' } });
    expect(stopped.status).toBe(200);
    expect(stopped.json).toMatchObject({ status: 'completed', stop_reason: 'site maintenance', meter_start: 1000, meter_stop: 3000, energy_kwh_exact: '2', station_transaction_id: chargerTransactionId });
    const tx = (await stack.db.pool.query('SELECT t.stop_reason FROM transactions t JOIN sessions s ON s.transaction_id = t.id WHERE s.id = $1', [sessionId])).rows[0];
    expect(tx.stop_reason).toBe('Remote');
  });

  it('bills the seed session started by RFID over 2.0.1 like 1.6: 154200 → 156700 Wh, 2.5 kWh at 0.25 is 0.63, SoC 74, stopped by the driver (Local)', async () => {
    const station = await connect('CS201_SEED');
    const { transactionId } = await station.startTransaction(1, 'ALICE0001');
    const sessionId = await sessionOf('CS201_SEED', transactionId);
    await until(sessionId, 'charging', (s) => s.status === 'charging');

    station.setMeterRegister(1, 155450);
    station.setSoc(1, 50);
    await station.sendMeterValues(1);
    const half = await until(sessionId, 'the 1.25 kWh reading', (s) => s.energyKwh === '1.25');
    expect(half).toMatchObject({ socPercent: 50, costSoFar: expect.stringMatching(/^0\.31/), origin: 'charger', driverId: expect.any(String), stationTransactionId: transactionId });

    station.setMeterRegister(1, 156700);
    station.setSoc(1, 74);
    await station.sendMeterValues(1);
    await until(sessionId, 'the 2.5 kWh reading', (s) => s.energyKwh === '2.5' && s.socPercent === 74);

    await station.presentIdToken(1, 'ALICE0001'); // the same card again: StopAuthorized, stoppedReason Local
    const receipt = await stack.receipt(sessionId, alice);
    expect(receipt).toMatchObject({
      status: 'completed',
      stop_reason: 'Local',
      meter_start: 154200,
      meter_stop: 156700,
      energy_kwh: 2.5,
      rate_per_kwh: 0.25,
      total_cost: 0.63,
      soc: 74,
      station_transaction_id: transactionId,
    });
    expect(receipt.flags).toEqual([]);
  });

  it('charges a 1.6 and a 2.0.1 charger on one gateway at once, each billed by the same workflow', async () => {
    await stack.addCharger('CP16_MIXED');
    const bob = await stack.api.createDriver('bob', ['BOB0001']);
    const old = await stack.connectCharger('CP16_MIXED', { meterStartWh: 10_000 });
    const station = await connect('CS201_MIXED');
    const oldStart = await old.startTransaction(1, 'BOB0001');
    const { transactionId } = await station.startTransaction(1, 'ALICE0001');
    const oldSession = await stack.sessionOfTransaction(oldStart.transactionId);
    const newSession = await sessionOf('CS201_MIXED', transactionId);
    expect((await stack.db.pool.query(`SELECT id, ocpp_version FROM chargers WHERE id IN ('CP16_MIXED', 'CS201_MIXED') ORDER BY id`)).rows).toEqual([
      { id: 'CP16_MIXED', ocpp_version: '1.6' },
      { id: 'CS201_MIXED', ocpp_version: '2.0.1' },
    ]);
    old.setMeterRegister(1, 11_000);
    station.setMeterRegister(1, 155_200);
    await Promise.all([old.stopTransaction(1), station.stopTransaction(1, 'Local', 'StopAuthorized')]);
    const [a, b] = await Promise.all([stack.receipt(oldSession, bob), stack.receipt(newSession, alice)]);
    expect(a).toMatchObject({ meter_start: 10_000, meter_stop: 11_000, energy_kwh_exact: '1', total_cost_exact: '0.25' });
    expect(a.station_transaction_id).toBeUndefined();
    expect(b).toMatchObject({ meter_start: 154_200, meter_stop: 155_200, energy_kwh_exact: '1', total_cost_exact: '0.25', station_transaction_id: transactionId });
  });

  it('ends a session when the EV unplugs (EVDisconnected, TC_E_17_CSMS), billed to the last register', async () => {
    const station = await connect('CS201_EV');
    const { transactionId } = await station.startTransaction(1, 'ALICE0001');
    const sessionId = await sessionOf('CS201_EV', transactionId);
    await until(sessionId, 'charging', (s) => s.status === 'charging');
    station.setMeterRegister(1, 158200);
    await station.stopTransaction(1, 'EVDisconnected', 'EVCommunicationLost');
    expect(await stack.receipt(sessionId, alice)).toMatchObject({ status: 'completed', stop_reason: 'EVDisconnected', meter_start: 154200, meter_stop: 158200, energy_kwh_exact: '4', total_cost_exact: '1.00' });
  });

  it('bills an offline queue replayed after reconnect in reverse order with a duplicate (E04): the stop from the Ended, nothing counted twice', async () => {
    const station = await connect('CS201_OFFLINE');
    const { transactionId } = await station.startTransaction(1, 'ALICE0001');
    const sessionId = await sessionOf('CS201_OFFLINE', transactionId);
    await until(sessionId, 'charging', (s) => s.status === 'charging');

    station.dropConnection();
    await until(sessionId, 'the charger seen offline', (s) => s.chargerOnline === false);
    // Readings a few ms apart: two register values stamped the same instant would be one sample.
    const tick = () => new Promise((r) => setTimeout(r, 5));
    station.setMeterRegister(1, 155200);
    await station.sendMeterValues(1);
    await tick();
    station.setMeterRegister(1, 156200);
    await station.sendMeterValues(1);
    await tick();
    station.setMeterRegister(1, 157200);
    await station.stopTransaction(1, 'Local', 'StopAuthorized');
    station.faults = { reorderQueue: true, duplicateNext: 2 };
    await station.reconnect();
    await station.drained();

    const receipt = await stack.receipt(sessionId, alice);
    expect(receipt).toMatchObject({ status: 'completed', stop_reason: 'Local', meter_start: 154200, meter_stop: 157200, energy_kwh_exact: '3', total_cost_exact: '0.75' });
    const events = await stack.db.pool.query('SELECT seq_no, offline FROM ocpp201_transaction_events WHERE station_id = $1 ORDER BY seq_no', ['CS201_OFFLINE']);
    expect(events.rows).toEqual([
      { seq_no: 0, offline: false },
      { seq_no: 1, offline: true },
      { seq_no: 2, offline: true },
      { seq_no: 3, offline: true },
    ]);
    // Every register reading stored once, the late ones too.
    const samples = await stack.db.pool.query(
      `SELECT value FROM meter_samples s JOIN transactions t ON t.id = s.transaction_id WHERE t.session_id = $1 AND s.measurand = 'Energy.Active.Import.Register' ORDER BY s.timestamp, s.id`,
      [sessionId],
    );
    expect(samples.rows.map((r) => r.value)).toEqual(['154200', '155200', '156200', '157200']);
  });

  it('bills a transaction whose Started was lost, from the Ended\'s Transaction.Begin and Transaction.End', async () => {
    const station = await connect('CS201_LOST');
    station.dropConnection();
    const { transactionId } = await station.startTransaction(1, 'ALICE0001');
    station.setMeterRegister(1, 155700);
    await station.sendMeterValues(1);
    station.setMeterRegister(1, 156700);
    await station.stopTransaction(1, 'Local', 'StopAuthorized');
    station.faults = { dropStarted: true };
    await station.reconnect();
    await station.drained();

    const sessionId = await sessionOf('CS201_LOST', transactionId);
    expect(await stack.receipt(sessionId, alice)).toMatchObject({ status: 'completed', meter_start: 154200, meter_stop: 156700, energy_kwh_exact: '2.5', total_cost_exact: '0.63' });
    expect((await stack.db.pool.query('SELECT seq_no FROM ocpp201_transaction_events WHERE station_id = $1 ORDER BY seq_no', ['CS201_LOST'])).rows.map((r) => r.seq_no)).toEqual([1, 2]);
  });
});
