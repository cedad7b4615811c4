/**
 * OCPP 2.0.1 TransactionEvent over a raw 2.0.1 socket, on PostgreSQL: the same ledger rows and
 * session events as 1.6's StartTransaction / MeterValues / StopTransaction, the station's
 * transaction id mapped once, seqNo replays and reorderings, a lost Started, a start waiting for
 * its authorization, remoteStartId correlation, and unit multipliers applied exactly.
 */
import { createGatewayHarness, eventually, rawSocket, type GatewayHarness, type RawOcppSocket } from '../support/gateway-harness';

const boot = { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'AC-22' } };

type Sampled = { value: number; context?: string; measurand?: string; unitOfMeasure?: { unit?: string; multiplier?: number }; location?: string };
const register = (wh: number, context: string, at: string): { timestamp: string; sampledValue: Sampled[] } => ({
  timestamp: at,
  sampledValue: [{ value: wh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' } }],
});

const t0 = '2026-03-01T10:00:00.000Z';
const t1 = '2026-03-01T10:15:00.000Z';
const t2 = '2026-03-01T10:30:00.000Z';
const t3 = '2026-03-01T10:45:00.000Z';

describe('OCPP 2.0.1 TransactionEvent', () => {
  let h: GatewayHarness;
  let nextMessage = 0;

  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.start();
    await h.addIdTag('ALICE', { driverId: 'drv_alice', expiryDate: new Date('2099-01-01T00:00:00Z'), parentIdTag: 'FLEET' });
    await h.addIdTag('BOB', { driverId: 'drv_bob' });
    await h.addIdTag('CAROL', { driverId: 'drv_carol' });
    await h.addIdTag('BLOCKED', { status: 'Blocked' });
  });
  afterAll(() => h.close());

  async function station(id: string): Promise<RawOcppSocket> {
    await h.addCharger(id);
    const ws = await rawSocket(h, id, undefined, ['ocpp2.0.1']);
    expect((await ws.call('boot', 'BootNotification', boot))[0]).toBe(3);
    return ws;
  }

  /** Sends one TransactionEvent and returns its CALLRESULT payload (fails on a CALLERROR). */
  async function send(ws: RawOcppSocket, event: Record<string, unknown>): Promise<Record<string, any>> {
    const reply = await ws.call(`te${++nextMessage}`, 'TransactionEvent', event);
    expect(reply[0]).toBe(3);
    return reply[2] as Record<string, any>;
  }

  const started = (txId: string, extra: Record<string, unknown> = {}) => ({
    eventType: 'Started',
    timestamp: t0,
    triggerReason: 'Authorized',
    seqNo: 0,
    transactionInfo: { transactionId: txId, chargingState: 'Charging' },
    evse: { id: 1, connectorId: 1 },
    meterValue: [register(154200, 'Transaction.Begin', t0)],
    ...extra,
  });
  const updated = (txId: string, seqNo: number, wh: number, at: string, extra: Record<string, unknown> = {}) => ({
    eventType: 'Updated',
    timestamp: at,
    triggerReason: 'MeterValuePeriodic',
    seqNo,
    transactionInfo: { transactionId: txId, chargingState: 'Charging' },
    meterValue: [register(wh, 'Sample.Periodic', at)],
    ...extra,
  });
  const ended = (txId: string, seqNo: number, wh: number, stoppedReason: string, extra: Record<string, unknown> = {}) => ({
    eventType: 'Ended',
    timestamp: t3,
    triggerReason: stoppedReason === 'Remote' ? 'RemoteStop' : stoppedReason === 'EVDisconnected' ? 'EVCommunicationLost' : 'StopAuthorized',
    seqNo,
    transactionInfo: { transactionId: txId, chargingState: 'EVConnected', stoppedReason },
    meterValue: [register(wh, 'Transaction.End', t3)],
    ...extra,
  });

  const ledgerRow = async (stationId: string, chargerTransactionId: string) =>
    (
      await h.db.pool.query(
        `SELECT t.id, t.session_id, t.connector_id, t.id_tag, t.meter_start, t.meter_stop, t.start_timestamp, t.stop_reason, t.stop_id_tag
           FROM ocpp201_transactions m JOIN transactions t ON t.id = m.transaction_id WHERE m.station_id = $1 AND m.charger_transaction_id = $2`,
        [stationId, chargerTransactionId],
      )
    ).rows[0];
  const samplesOf = async (transactionId: number) =>
    (await h.db.pool.query('SELECT value, unit, context FROM meter_samples WHERE transaction_id = $1 ORDER BY timestamp, id', [transactionId])).rows;

  it('runs an RFID transaction (TC_E_02_CSMS, TC_E_10_CSMS, TC_E_07_CSMS): the ledger start from Transaction.Begin, readings through the outbox, the stop from Transaction.End, idTokenInfo in each answer', async () => {
    const ws = await station('CS_RFID');
    const answer = await send(ws, started('tx-rfid', { idToken: { idToken: 'alice', type: 'ISO14443' } }));
    expect(answer).toEqual({ idTokenInfo: { status: 'Accepted', cacheExpiryDateTime: '2099-01-01T00:00:00.000Z', groupIdToken: { idToken: 'FLEET', type: 'Central' } } });

    const start = await h.events.waitFor('transactionStarted', (e) => e.stationId === 'CS_RFID');
    const tx = await ledgerRow('CS_RFID', 'tx-rfid');
    expect(tx).toMatchObject({ connector_id: 1, id_tag: 'alice', meter_start: 154200, session_id: start.sessionId });
    expect(start).toEqual({
      sessionId: tx.session_id,
      stationInitiated: true,
      stationId: 'CS_RFID',
      connectorId: 1,
      transactionId: tx.id,
      idTag: 'alice',
      driverId: 'drv_alice',
      meterStartWh: 154200,
      timestamp: t0,
      idTagStatus: 'Accepted',
    });
    expect((await h.db.pool.query('SELECT origin, transaction_id, active FROM sessions WHERE id = $1', [tx.session_id])).rows[0]).toEqual({ origin: 'charger', transaction_id: tx.id, active: true });

    // kWh and SoC inside an Updated: the session is told Wh as an exact decimal.
    expect(
      await send(ws, {
        ...updated('tx-rfid', 1, 0, t1),
        meterValue: [
          {
            timestamp: t1,
            sampledValue: [
              { value: 155.45, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'kWh' } },
              { value: 50, measurand: 'SoC', unitOfMeasure: { unit: 'Percent' }, location: 'EV' },
            ],
          },
        ],
      }),
    ).toEqual({});
    const reading = await h.events.waitFor('meterValues', (e) => e.transactionId === tx.id && e.readings[0].timestamp === t1);
    expect(reading).toEqual({ sessionId: tx.session_id, stationId: 'CS_RFID', connectorId: 1, transactionId: tx.id, readings: [{ timestamp: t1, energyWh: '155450', socPercent: 50, context: 'Sample.Periodic' }] });

    const stopAnswer = await send(ws, ended('tx-rfid', 2, 156700, 'Local', { idToken: { idToken: 'ALICE', type: 'ISO14443' } }));
    expect(stopAnswer.idTokenInfo.status).toBe('Accepted');
    const stop = await h.events.waitFor('transactionStopped', (e) => e.transactionId === tx.id);
    expect(stop).toEqual({ sessionId: tx.session_id, stationId: 'CS_RFID', transactionId: tx.id, meterStopWh: 156700, timestamp: t3, reason: 'Local', idTag: 'ALICE' });
    // The Transaction.End reading reached the session before the stop (the outbox is flushed first).
    const kinds = h.events.events.filter((e) => e.event.transactionId === tx.id).map((e) => e.kind);
    expect(kinds).toEqual(['transactionStarted', 'meterValues', 'meterValues', 'meterValues', 'transactionStopped']);
    expect(await ledgerRow('CS_RFID', 'tx-rfid')).toMatchObject({ meter_stop: 156700, stop_reason: 'Local', stop_id_tag: 'ALICE' });
    expect((await samplesOf(tx.id)).map((s) => [s.value, s.unit, s.context])).toEqual([
      ['154200', 'Wh', 'Transaction.Begin'],
      ['155.45', 'kWh', 'Sample.Periodic'],
      ['50', 'Percent', 'Sample.Periodic'],
      ['156700', 'Wh', 'Transaction.End'],
    ]);
  });

  it('answers a repeated seqNo again and stores nothing twice', async () => {
    const ws = await station('CS_DUP');
    await send(ws, started('tx-dup', { idToken: { idToken: 'BOB', type: 'ISO14443' } }));
    const again = await send(ws, started('tx-dup', { idToken: { idToken: 'BOB', type: 'ISO14443' } }));
    expect(again.idTokenInfo.status).toBe('Accepted');
    await send(ws, updated('tx-dup', 1, 155000, t1));
    await send(ws, updated('tx-dup', 1, 155000, t1));
    await send(ws, ended('tx-dup', 2, 155500, 'EVDisconnected'));
    await send(ws, ended('tx-dup', 2, 155500, 'EVDisconnected'));
    const tx = await ledgerRow('CS_DUP', 'tx-dup');
    await h.events.waitFor('transactionStopped', (e) => e.transactionId === tx.id);
    const forwarded = h.events.events.filter((e) => e.event.transactionId === tx.id).map((e) => e.kind);
    expect(forwarded).toEqual(['transactionStarted', 'meterValues', 'meterValues', 'meterValues', 'transactionStopped']);
    expect(await samplesOf(tx.id)).toHaveLength(3);
    expect((await h.db.pool.query(`SELECT count(*)::int AS n FROM transactions WHERE station_id = 'CS_DUP'`)).rows[0].n).toBe(1);
    expect((await h.db.pool.query(`SELECT last_seq_no FROM ocpp201_transactions WHERE station_id = 'CS_DUP'`)).rows[0].last_seq_no).toBe(2);
  });

  it('holds a transaction started by plugging in (TC_E_09_CSMS) until the Authorized event brings the id token, then starts it from the Started', async () => {
    const ws = await station('CS_PLUG');
    expect(await send(ws, started('tx-plug', { triggerReason: 'CablePluggedIn', transactionInfo: { transactionId: 'tx-plug', chargingState: 'EVConnected' } }))).toEqual({});
    expect(await ledgerRow('CS_PLUG', 'tx-plug')).toBeUndefined();
    expect(h.events.of('transactionStarted', (e) => e.stationId === 'CS_PLUG')).toEqual([]);

    const authorized = await send(ws, { ...updated('tx-plug', 1, 154200, t1), triggerReason: 'Authorized', idToken: { idToken: 'CAROL', type: 'ISO14443' } });
    expect(authorized.idTokenInfo.status).toBe('Accepted');
    const start = await h.events.waitFor('transactionStarted', (e) => e.stationId === 'CS_PLUG');
    expect(start).toMatchObject({ idTag: 'CAROL', driverId: 'drv_carol', meterStartWh: 154200, timestamp: t0, connectorId: 1 });
    // The Started's samples, held until then, are stored under the transaction and reach the session.
    expect((await samplesOf(start.transactionId)).map((s) => s.context)).toEqual(['Transaction.Begin', 'Sample.Periodic']);
    await h.events.waitFor('meterValues', (e) => e.transactionId === start.transactionId && e.readings[0].context === 'Transaction.Begin');
  });

  it('bills an Ended whose Started never arrived from its own meter data (Transaction.Begin inside the Ended)', async () => {
    const ws = await station('CS_LOST');
    await send(ws, updated('tx-lost', 1, 155000, t1));
    expect(await ledgerRow('CS_LOST', 'tx-lost')).toBeUndefined();
    const answer = await send(ws, {
      ...ended('tx-lost', 2, 156700, 'Local', { idToken: { idToken: 'ALICE', type: 'ISO14443' } }),
      meterValue: [register(154200, 'Transaction.Begin', t0), register(156700, 'Transaction.End', t3)],
    });
    // ALICE is in another transaction still (the first test's): an Ended is never answered ConcurrentTx.
    expect(answer.idTokenInfo.status).toBe('Accepted');
    const tx = await ledgerRow('CS_LOST', 'tx-lost');
    expect(tx).toMatchObject({ connector_id: 1, id_tag: 'ALICE', meter_start: 154200, meter_stop: 156700, stop_reason: 'Local' });
    expect(tx.start_timestamp.toISOString()).toBe(t0);
    const stop = await h.events.waitFor('transactionStopped', (e) => e.transactionId === tx.id);
    expect(stop.meterStopWh).toBe(156700);
    expect(h.events.of('transactionStarted', (e) => e.transactionId === tx.id)).toMatchObject([{ stationInitiated: true, meterStartWh: 154200, timestamp: t0 }]);
    expect(h.events.of('meterValues', (e) => e.transactionId === tx.id).flatMap((e) => e.readings.map((r: { energyWh: string }) => r.energyWh))).toEqual(['155000', '154200', '156700']);
  });

  it('applies an offline queue replayed in reverse with a duplicate: the Ended settles, later arrivals store samples only, a late Started is what the Ended created', async () => {
    const ws = await station('CS_REORDER');
    const offline = { offline: true };
    const endAnswer = await send(ws, {
      ...ended('tx-rev', 3, 156700, 'EVDisconnected', offline),
      meterValue: [register(154200, 'Transaction.Begin', t0), register(156700, 'Transaction.End', t3)],
    });
    expect(endAnswer).toEqual({});
    // Never authorized as far as the CSMS knows yet, but energy flowed: billed as a NoAuthorization transaction.
    const tx = await ledgerRow('CS_REORDER', 'tx-rev');
    expect(tx).toMatchObject({ id_tag: '', meter_start: 154200, meter_stop: 156700, stop_reason: 'EVDisconnected' });
    await h.events.waitFor('transactionStopped', (e) => e.transactionId === tx.id);

    await send(ws, updated('tx-rev', 2, 156000, t2, offline));
    await send(ws, updated('tx-rev', 2, 156000, t2, offline));
    await send(ws, updated('tx-rev', 1, 155000, t1, offline));
    const lateStart = await send(ws, started('tx-rev', { ...offline, idToken: { idToken: 'BOB', type: 'ISO14443' } }));
    expect(lateStart.idTokenInfo.status).toBe('Accepted');

    expect((await samplesOf(tx.id)).map((s) => s.value)).toEqual(['154200', '155000', '156000', '156700']);
    const forwarded = h.events.events.filter((e) => e.event.transactionId === tx.id).map((e) => e.kind);
    expect(forwarded).toEqual(['transactionStarted', 'meterValues', 'transactionStopped']);
    expect((await h.db.pool.query(`SELECT count(*)::int AS n FROM transactions WHERE station_id = 'CS_REORDER'`)).rows[0].n).toBe(1);
    expect((await h.db.pool.query(`SELECT count(*)::int AS n, bool_and(offline) AS offline FROM ocpp201_transaction_events WHERE station_id = 'CS_REORDER'`)).rows[0]).toEqual({ n: 4, offline: true });
  });

  it('records nothing in the ledger for a transaction that ends never authorized and without energy (plugged in and left)', async () => {
    const ws = await station('CS_LEFT');
    await send(ws, started('tx-left', { triggerReason: 'CablePluggedIn', meterValue: [register(5000, 'Transaction.Begin', t0)] }));
    await send(ws, ended('tx-left', 1, 5000, 'EVDisconnected'));
    expect(await ledgerRow('CS_LEFT', 'tx-left')).toBeUndefined();
    expect(h.events.of('transactionStarted', (e) => e.stationId === 'CS_LEFT')).toEqual([]);
  });

  it('correlates remoteStartId with the remote start: its EVSE and id token find the app session waiting there', async () => {
    const ws = await station('CS_REMOTE');
    await h.db.pool.query(`INSERT INTO sessions (id, station_id, connector_id, driver_id, id_tag, origin, status) VALUES ('sess_remote', 'CS_REMOTE', 2, 'drv_bob', 'BOB', 'app', 'awaiting_plug_in')`);
    const { rows } = await h.db.pool.query(`INSERT INTO ocpp201_remote_starts (station_id, evse_id, id_token) VALUES ('CS_REMOTE', 2, 'BOB') RETURNING remote_start_id`);
    const remoteStartId = rows[0].remote_start_id;
    // Neither evse nor idToken in this Started: the remote start stands in for both.
    const { evse: _evse, ...withoutEvse } = started('tx-remote', { triggerReason: 'RemoteStart', transactionInfo: { transactionId: 'tx-remote', remoteStartId } });
    expect(await send(ws, withoutEvse)).toEqual({});
    const start = await h.events.waitFor('transactionStarted', (e) => e.stationId === 'CS_REMOTE');
    expect(start).toMatchObject({ sessionId: 'sess_remote', stationInitiated: false, connectorId: 2, idTag: 'BOB', driverId: 'drv_bob' });
    expect((await h.db.pool.query(`SELECT remote_start_id, evse_id FROM ocpp201_transactions WHERE station_id = 'CS_REMOTE'`)).rows[0]).toEqual({ remote_start_id: remoteStartId, evse_id: null });

    await send(ws, ended('tx-remote', 1, 156700, 'Remote'));
    expect(await h.events.waitFor('transactionStopped', (e) => e.sessionId === 'sess_remote')).toMatchObject({ reason: 'Remote', meterStopWh: 156700 });
  });

  it('applies unitOfMeasure multipliers exactly and counts whole Wh in the ledger and the session; the samples keep every digit', async () => {
    const ws = await station('CS_UNITS');
    await send(ws, {
      ...started('tx-units', { idToken: { idToken: 'BOB', type: 'ISO14443' } }),
      meterValue: [{ timestamp: t0, sampledValue: [{ value: 15420.07, context: 'Transaction.Begin', unitOfMeasure: { unit: 'Wh', multiplier: 1 } }] }],
    });
    const start = await h.events.waitFor('transactionStarted', (e) => e.stationId === 'CS_UNITS');
    expect(start.meterStartWh).toBe(154200);
    await send(ws, { ...updated('tx-units', 1, 0, t1), meterValue: [{ timestamp: t1, sampledValue: [{ value: 0.1554509, unitOfMeasure: { unit: 'kWh', multiplier: 3 } }] }] });
    const reading = await h.events.waitFor('meterValues', (e) => e.transactionId === start.transactionId && e.readings[0].timestamp === t1);
    expect(reading.readings[0].energyWh).toBe('155450');
    expect((await samplesOf(start.transactionId)).map((s) => [s.value, s.unit])).toEqual([
      ['154200.7', 'Wh'],
      ['155.4509', 'kWh'],
    ]);
  });

  it('tells the session a change of chargingState as the connector status billing reads the end of charging from (SuspendedEV), once per change', async () => {
    const ws = await station('CS_STATE');
    const info = (chargingState: string) => ({ transactionInfo: { transactionId: 'tx-state', chargingState }, triggerReason: 'ChargingStateChanged' });
    await send(ws, { ...started('tx-state', { idToken: { idToken: 'BOB', type: 'ISO14443' } }), ...info('EVConnected') });
    const start = await h.events.waitFor('transactionStarted', (e) => e.stationId === 'CS_STATE');
    await send(ws, { ...updated('tx-state', 1, 154500, t1), ...info('Charging') });
    await send(ws, { ...updated('tx-state', 2, 155000, t1.replace(':15:', ':16:')), ...info('Charging') });
    await send(ws, { ...updated('tx-state', 3, 155500, t2), ...info('SuspendedEV') });
    await send(ws, { ...updated('tx-state', 4, 155500, t2.replace(':30:', ':31:')), ...info('Charging') });
    await send(ws, { ...updated('tx-state', 5, 156000, t3.replace(':45:', ':40:')), ...info('EVConnected') });
    await send(ws, ended('tx-state', 6, 156000, 'Local'));
    await h.events.waitFor('transactionStopped', (e) => e.transactionId === start.transactionId);
    const statuses = h.events.of('connectorStatus', (e) => e.sessionId === start.sessionId).map((e) => [e.status, e.at]);
    // EVConnected before any charging says nothing; after it, charging is over (still plugged in).
    expect(statuses).toEqual([
      ['Charging', t1],
      ['SuspendedEV', t2],
      ['Charging', t2.replace(':30:', ':31:')],
      ['SuspendedEV', t3.replace(':45:', ':40:')],
    ]);
  });

  it("finishes, on the station's retry of the same seqNo, what a failed forwarding left undone: the start told once it can be, the stop after it", async () => {
    const ws = await station('CS_RETRY');
    h.events.failing.add('transactionStarted');
    try {
      const failed = await ws.call('retry1', 'TransactionEvent', started('tx-retry', { idToken: { idToken: 'BOB', type: 'ISO14443' } }));
      expect(failed.slice(0, 3)).toEqual([4, 'retry1', 'InternalError']);
      // Stored all the same: the ledger has the transaction, the session has not been told.
      const tx = await ledgerRow('CS_RETRY', 'tx-retry');
      expect(tx).toMatchObject({ meter_start: 154200 });
      // Later events wait behind the untold start (their samples are held), failing likewise.
      expect((await ws.call('retry2', 'TransactionEvent', updated('tx-retry', 1, 155000, t1)))[2]).toBe('InternalError');
    } finally {
      h.events.failing.delete('transactionStarted');
    }
    await send(ws, started('tx-retry', { idToken: { idToken: 'BOB', type: 'ISO14443' } }));
    const tx = await ledgerRow('CS_RETRY', 'tx-retry');
    await send(ws, ended('tx-retry', 2, 156000, 'Local'));
    await h.events.waitFor('transactionStopped', (e) => e.transactionId === tx.id);
    const forwarded = h.events.events.filter((e) => e.event.transactionId === tx.id).map((e) => e.kind);
    expect(forwarded).toEqual(['transactionStarted', 'meterValues', 'meterValues', 'meterValues', 'transactionStopped']);
    expect((await h.db.pool.query(`SELECT count(*)::int AS n FROM transactions WHERE station_id = 'CS_RETRY'`)).rows[0].n).toBe(1);
  });

  it("never maps a second station transaction onto the first one's ledger row, even when the ledger takes its start for a replay", async () => {
    const ws = await station('CS_TWIN');
    await send(ws, started('tx-a', { idToken: { idToken: 'BOB', type: 'ISO14443' } }));
    await send(ws, started('tx-b', { idToken: { idToken: 'BOB', type: 'ISO14443' } }));
    await send(ws, ended('tx-b', 1, 156000, 'Local'));
    const { rows } = await h.db.pool.query(`SELECT charger_transaction_id, transaction_id FROM ocpp201_transactions WHERE station_id = 'CS_TWIN' ORDER BY charger_transaction_id`);
    expect(rows).toEqual([
      { charger_transaction_id: 'tx-a', transaction_id: expect.any(Number) },
      { charger_transaction_id: 'tx-b', transaction_id: null },
    ]);
    expect((await ledgerRow('CS_TWIN', 'tx-a')).meter_stop).toBeNull();
  });

  it('answers a blocked id token Blocked and still records the transaction the station started', async () => {
    const ws = await station('CS_BLOCKED');
    const answer = await send(ws, started('tx-blocked', { idToken: { idToken: 'BLOCKED', type: 'ISO14443' } }));
    expect(answer.idTokenInfo).toEqual({ status: 'Blocked' });
    const start = await h.events.waitFor('transactionStarted', (e) => e.stationId === 'CS_BLOCKED');
    expect(start.idTagStatus).toBe('Blocked');
  });

  it('rejects a TransactionEvent that breaks its schema with 2.0.1 error codes, storing nothing', async () => {
    const ws = await station('CS_BAD');
    const reply = await ws.call('bad1', 'TransactionEvent', { ...started('tx-bad'), seqNo: 'zero' });
    expect(reply.slice(0, 3)).toEqual([4, 'bad1', 'TypeConstraintViolation']);
    const long = await ws.call('bad2', 'TransactionEvent', started('x'.repeat(37)));
    expect(long[2]).toBe('PropertyConstraintViolation');
    await eventually(
      () => h.db.pool.query(`SELECT count(*)::int AS n FROM ocpp201_transactions WHERE station_id = 'CS_BAD'`).then((r) => r.rows[0].n),
      (n) => n === 0,
    );
  });
});
