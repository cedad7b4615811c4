/** Authorize, StartTransaction, MeterValues, StopTransaction, DataTransfer and status notifications: persisted, then forwarded. */
import { createGatewayHarness, type GatewayHarness } from './support/gateway-harness';
import type { SimulatedChargePoint } from '../../src/simulator/charge-point';

describe('gateway transactions', () => {
  let h: GatewayHarness;

  beforeAll(async () => {
    h = await createGatewayHarness();
    h.gateway = await h.start();
    await h.addIdTag('ALICE', { driverId: 'drv_alice', expiryDate: new Date('2099-01-01T00:00:00Z'), parentIdTag: 'FLEET' });
    await h.addIdTag('BOB', { driverId: 'drv_bob' });
    await h.addIdTag('BLOCKED', { status: 'Blocked' });
    await h.addIdTag('OLD', { expiryDate: new Date('2020-01-01T00:00:00Z') });
    await h.addIdTag('EXPIRED', { status: 'Expired' });
    await h.addIdTag('CAROL');
    await h.addIdTag('DAVE');
    await h.addIdTag('ERIN');
  });
  afterAll(() => h.close());

  async function connected(id: string, options: object = {}): Promise<SimulatedChargePoint> {
    await h.addCharger(id);
    const cp = h.chargePoint({ chargePointId: id, ...options });
    await cp.connect();
    return cp;
  }

  it('answers Authorize from the id tag table: Accepted with expiry and parent, Blocked, Expired, Invalid', async () => {
    const cp = await connected('CP_AUTH');
    expect((await cp.authorize('ALICE')).idTagInfo).toEqual({ status: 'Accepted', expiryDate: '2099-01-01T00:00:00.000Z', parentIdTag: 'FLEET' });
    expect((await cp.authorize('BLOCKED')).idTagInfo.status).toBe('Blocked');
    expect((await cp.authorize('OLD')).idTagInfo.status).toBe('Expired');
    expect((await cp.authorize('EXPIRED')).idTagInfo.status).toBe('Expired');
    expect((await cp.authorize('NOBODY')).idTagInfo).toEqual({ status: 'Invalid' });
  });

  it('runs a charger-initiated transaction: a session row is created, meter values normalised to Wh, stop persisted and forwarded', async () => {
    const cp = await connected('CP_RFID', { meterStartWh: 154200 });
    const started = await cp.startTransaction(1, 'ALICE');
    expect(started.idTagInfo.status).toBe('Accepted');
    const txId = started.transactionId;

    const ev = await h.events.waitFor('transactionStarted', (e) => e.transactionId === txId);
    expect(ev).toMatchObject({ stationInitiated: true, stationId: 'CP_RFID', connectorId: 1, idTag: 'ALICE', driverId: 'drv_alice', meterStartWh: 154200 });
    const session = (await h.db.pool.query('SELECT * FROM sessions WHERE id = $1', [ev.sessionId])).rows[0];
    expect(session).toMatchObject({ origin: 'charger', status: 'charging', active: true, transaction_id: txId, id_tag: 'ALICE', driver_id: 'drv_alice', connector_id: 1 });
    const tx = (await h.db.pool.query('SELECT * FROM transactions WHERE id = $1', [txId])).rows[0];
    expect(tx).toMatchObject({ session_id: ev.sessionId, meter_start: 154200, id_tag: 'ALICE' });

    // Authorize for a tag already charging is Accepted: it may be the card that stops this transaction
    // (ConcurrentTx is only for StartTransaction, OCPP 1.6 §7.2); a second start with it is ConcurrentTx.
    expect((await cp.authorize('ALICE')).idTagInfo.status).toBe('Accepted');

    // MeterValues in kWh, with SoC and power, straight from the wire.
    await cp.call('MeterValues', {
      connectorId: 1,
      transactionId: txId,
      meterValue: [
        {
          timestamp: '2026-01-01T10:00:00.000Z',
          sampledValue: [
            { value: '155.45', unit: 'kWh', measurand: 'Energy.Active.Import.Register', context: 'Sample.Periodic', location: 'Outlet' },
            { value: '7.4', unit: 'kW', measurand: 'Power.Active.Import' },
            { value: '61', unit: 'Percent', measurand: 'SoC', location: 'EV' },
          ],
        },
      ],
    });
    const mv = await h.events.waitFor('meterValues', (e) => e.transactionId === txId);
    expect(mv).toEqual({
      sessionId: ev.sessionId,
      stationId: 'CP_RFID',
      connectorId: 1,
      transactionId: txId,
      readings: [{ timestamp: '2026-01-01T10:00:00.000Z', energyWh: '155450', powerW: 7400, socPercent: 61, context: 'Sample.Periodic' }],
    });
    const samples = await h.db.pool.query('SELECT measurand, unit, value, context, location, format FROM meter_samples WHERE transaction_id = $1 ORDER BY id', [txId]);
    expect(samples.rows).toEqual([
      { measurand: 'Energy.Active.Import.Register', unit: 'kWh', value: '155.45', context: 'Sample.Periodic', location: 'Outlet', format: 'Raw' },
      { measurand: 'Power.Active.Import', unit: 'kW', value: '7.4', context: 'Sample.Periodic', location: null, format: 'Raw' },
      { measurand: 'SoC', unit: 'Percent', value: '61', context: 'Sample.Periodic', location: 'EV', format: 'Raw' },
    ]);

    const stop = (await cp.call('StopTransaction', {
      transactionId: txId,
      meterStop: 156700,
      timestamp: '2026-01-01T10:30:00.000Z',
      idTag: 'ALICE',
      reason: 'EVDisconnected',
      transactionData: [{ timestamp: '2026-01-01T10:30:00.000Z', sampledValue: [{ value: '156700', context: 'Transaction.End' }] }],
    })) as { idTagInfo?: { status: string } };
    expect(stop.idTagInfo?.status).toBe('Accepted');
    const stopped = await h.events.waitFor('transactionStopped', (e) => e.transactionId === txId);
    expect(stopped).toEqual({ sessionId: ev.sessionId, stationId: 'CP_RFID', transactionId: txId, meterStopWh: 156700, timestamp: '2026-01-01T10:30:00.000Z', reason: 'EVDisconnected', idTag: 'ALICE' });
    const txAfter = (await h.db.pool.query('SELECT meter_stop, stop_reason, stop_id_tag, transaction_data FROM transactions WHERE id = $1', [txId])).rows[0];
    expect(txAfter).toMatchObject({ meter_stop: 156700, stop_reason: 'EVDisconnected', stop_id_tag: 'ALICE' });
    expect(txAfter.transaction_data).toHaveLength(1);
    const endSample = await h.db.pool.query(`SELECT value, measurand FROM meter_samples WHERE transaction_id = $1 AND context = 'Transaction.End'`, [txId]);
    expect(endSample.rows).toEqual([{ value: '156700', measurand: 'Energy.Active.Import.Register' }]);
  });

  it('gives an app-started session (waiting row without transaction) its transaction: stationInitiated false', async () => {
    const cp = await connected('CP_APP');
    await h.db.pool.query(`INSERT INTO sessions (id, station_id, connector_id, driver_id, id_tag, origin, status) VALUES ('sess_app', 'CP_APP', 1, 'drv_bob', 'BOB', 'app', 'awaiting_plug_in')`);
    const { transactionId } = await cp.startTransaction(1, 'BOB');
    const ev = await h.events.waitFor('transactionStarted', (e) => e.transactionId === transactionId);
    expect(ev).toMatchObject({ sessionId: 'sess_app', stationInitiated: false, driverId: 'drv_bob' });
    const row = (await h.db.pool.query(`SELECT transaction_id, status, origin FROM sessions WHERE id = 'sess_app'`)).rows[0];
    expect(row).toEqual({ transaction_id: transactionId, status: 'awaiting_plug_in', origin: 'app' });
    const count = await h.db.pool.query(`SELECT count(*)::int AS n FROM sessions WHERE station_id = 'CP_APP'`);
    expect(count.rows[0].n).toBe(1);
  });

  it('answers a replayed StartTransaction with the same transaction id, stores nothing twice, and forwards it again', async () => {
    const cp = await connected('CP_REPLAY');
    const payload = { connectorId: 1, idTag: 'CAROL', meterStart: 1000, timestamp: '2026-02-02T08:00:00.000Z' };
    const first = (await cp.call('StartTransaction', payload)) as { transactionId: number; idTagInfo: { status: string } };
    const second = (await cp.call('StartTransaction', payload)) as { transactionId: number; idTagInfo: { status: string } };
    expect(second.transactionId).toBe(first.transactionId);
    expect(second.idTagInfo.status).toBe('Accepted');
    const rows = await h.db.pool.query(`SELECT count(*)::int AS n FROM transactions WHERE station_id = 'CP_REPLAY'`);
    expect(rows.rows[0].n).toBe(1);
    const forwarded = h.events.of('transactionStarted', (e) => e.transactionId === first.transactionId);
    expect(forwarded).toHaveLength(2);
    expect(forwarded[1]).toEqual(forwarded[0]);

    // A replayed MeterValues frame stores each sample once.
    const mv = { connectorId: 1, transactionId: first.transactionId, meterValue: [{ timestamp: '2026-02-02T08:01:00.000Z', sampledValue: [{ value: '1100' }] }] };
    await cp.call('MeterValues', mv);
    await cp.call('MeterValues', mv);
    const samples = await h.db.pool.query('SELECT count(*)::int AS n FROM meter_samples WHERE transaction_id = $1', [first.transactionId]);
    expect(samples.rows[0].n).toBe(1);
  });

  it('keeps a second transaction on a busy connector out of the running session (stored against a failed, inactive session)', async () => {
    const cp = await connected('CP_BUSY');
    const a = (await cp.call('StartTransaction', { connectorId: 1, idTag: 'DAVE', meterStart: 0, timestamp: '2026-03-03T08:00:00.000Z' })) as { transactionId: number };
    const b = (await cp.call('StartTransaction', { connectorId: 1, idTag: 'ERIN', meterStart: 5, timestamp: '2026-03-03T08:05:00.000Z' })) as { transactionId: number };
    expect(b.transactionId).not.toBe(a.transactionId);
    const sessions = await h.db.pool.query(`SELECT active, status, transaction_id FROM sessions WHERE station_id = 'CP_BUSY' ORDER BY created_at`);
    expect(sessions.rows).toEqual([
      { active: true, status: 'charging', transaction_id: a.transactionId },
      { active: false, status: 'failed', transaction_id: b.transactionId },
    ]);
    expect(h.events.of('transactionStarted', (e) => e.transactionId === b.transactionId)).toHaveLength(0);
  });

  it('stores clock-aligned MeterValues without a transaction and forwards nothing', async () => {
    const cp = await connected('CP_CLOCK');
    await cp.call('MeterValues', { connectorId: 0, meterValue: [{ timestamp: '2026-04-04T00:00:00.000Z', sampledValue: [{ value: '999', context: 'Sample.Clock' }] }] });
    const rows = await h.db.pool.query(`SELECT transaction_id, context, unit, measurand FROM meter_samples WHERE station_id = 'CP_CLOCK'`);
    expect(rows.rows).toEqual([{ transaction_id: null, context: 'Sample.Clock', unit: 'Wh', measurand: 'Energy.Active.Import.Register' }]);
    expect(h.events.of('meterValues', (e) => e.stationId === 'CP_CLOCK')).toHaveLength(0);
  });

  it('answers a StopTransaction for an unknown transaction', async () => {
    const cp = await connected('CP_LOST');
    const answer = await cp.call('StopTransaction', { transactionId: 987654, meterStop: 10, timestamp: '2026-05-05T00:00:00.000Z' });
    expect(answer).toEqual({});
    expect(h.events.of('transactionStopped', (e) => e.transactionId === 987654)).toHaveLength(0);
  });

  it('answers CALLERROR InternalError when the session layer cannot take the event, and the charger retry succeeds', async () => {
    const cp = await connected('CP_FLAKY');
    h.events.failing.add('transactionStarted');
    const payload = { connectorId: 1, idTag: 'BOB', meterStart: 7, timestamp: '2026-06-06T00:00:00.000Z' };
    await expect(cp.call('StartTransaction', payload)).rejects.toMatchObject({ rpcErrorCode: 'InternalError' });
    h.events.failing.delete('transactionStarted');
    const retried = (await cp.call('StartTransaction', payload)) as { transactionId: number };
    expect(h.events.of('transactionStarted', (e) => e.transactionId === retried.transactionId)).toHaveLength(1);
  });

  it('forwards StatusNotification of a connector with an active session', async () => {
    const cp = await connected('CP_STATUS');
    await h.db.pool.query(`INSERT INTO sessions (id, station_id, connector_id, origin, status) VALUES ('sess_status', 'CP_STATUS', 1, 'app', 'charging')`);
    await cp.statusNotification(1, 'SuspendedEV');
    const ev = await h.events.waitFor('connectorStatus', (e) => e.sessionId === 'sess_status');
    expect(ev).toMatchObject({ stationId: 'CP_STATUS', connectorId: 1, status: 'SuspendedEV', errorCode: 'NoError' });
  });

  it('stores DataTransfer (UnknownVendorId unless a handler is registered) and diagnostics / firmware status', async () => {
    const cp = await connected('CP_MISC');
    expect(await cp.call('DataTransfer', { vendorId: 'com.acme', messageId: 'm', data: 'd' })).toEqual({ status: 'UnknownVendorId' });
    h.gateway.dataTransfers.register('com.acme', (req) => ({ status: 'Accepted', data: `echo ${req.data}` }));
    expect(await cp.call('DataTransfer', { vendorId: 'com.acme', data: 'hi' })).toEqual({ status: 'Accepted', data: 'echo hi' });
    const stored = await h.db.pool.query(`SELECT vendor_id, message_id, data, status FROM data_transfers WHERE station_id = 'CP_MISC' ORDER BY id`);
    expect(stored.rows).toEqual([
      { vendor_id: 'com.acme', message_id: 'm', data: 'd', status: 'UnknownVendorId' },
      { vendor_id: 'com.acme', message_id: null, data: 'hi', status: 'Accepted' },
    ]);
    await cp.call('DiagnosticsStatusNotification', { status: 'Uploaded' });
    await cp.call('FirmwareStatusNotification', { status: 'Installed' });
    const row = (await h.db.pool.query(`SELECT diagnostics_status, firmware_status FROM chargers WHERE id = 'CP_MISC'`)).rows[0];
    expect(row).toEqual({ diagnostics_status: 'Uploaded', firmware_status: 'Installed' });
  });
});
