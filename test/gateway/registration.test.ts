/**
 * Registration status (OCPP 1.6 §4.2): what a Pending or Rejected charger may send, and what the
 * central system sends it. The rules: src/gateway/rules/registration.ts.
 */
import { ChargerCommandErrors } from '../../src/ocpp/charger-commands';
import { commandFailure, createGatewayHarness, rawSocket, type GatewayHarness, type RawOcppSocket } from './support/gateway-harness';

describe('registration status on the live connection', () => {
  let h: GatewayHarness;

  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.start();
    await h.addIdTag('REG_TAG');
  });
  afterAll(() => h.close());

  const now = () => new Date().toISOString();
  const boot = { chargePointVendor: 'Acme', chargePointModel: 'Volt' };
  const messages: Record<string, object> = {
    Heartbeat: {},
    StatusNotification: { connectorId: 1, errorCode: 'NoError', status: 'Available' },
    MeterValues: { connectorId: 1, meterValue: [{ timestamp: now(), sampledValue: [{ value: '1200' }] }] },
    StopTransaction: { transactionId: 424242, meterStop: 1500, timestamp: now() },
    DiagnosticsStatusNotification: { status: 'Idle' },
    FirmwareStatusNotification: { status: 'Idle' },
    Authorize: { idTag: 'REG_TAG' },
    StartTransaction: { connectorId: 1, idTag: 'REG_TAG', meterStart: 0, timestamp: now() },
    DataTransfer: { vendorId: 'Acme' },
  };

  /** Each action's reply: 'ok' for a CALLRESULT, else the CALLERROR code. */
  async function replies(ws: RawOcppSocket, actions: string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const action of actions) {
      const reply = await ws.call(`${action}-${Math.random()}`, action, messages[action]);
      out[action] = reply[0] === 3 ? 'ok' : String(reply[2]);
    }
    return out;
  }

  it('a Rejected charger is answered BootNotification only; everything else is a SecurityError', async () => {
    await h.addCharger('CP_REG_REJ', undefined, 'Rejected');
    const ws = await rawSocket(h, 'CP_REG_REJ');
    const answer = await ws.call('boot', 'BootNotification', boot);
    expect(answer[0]).toBe(3);
    expect(answer[2]).toMatchObject({ status: 'Rejected' });
    const all = Object.keys(messages);
    expect(await replies(ws, all)).toEqual(Object.fromEntries(all.map((a) => [a, 'SecurityError'])));
    const stored = await h.db.pool.query(`SELECT count(*)::int AS n FROM status_notifications WHERE station_id = 'CP_REG_REJ'`);
    expect(stored.rows[0].n).toBe(0);
  });

  it('a Pending charger is heard on what it may report (nothing lost), but may not authorize, start or DataTransfer', async () => {
    await h.addCharger('CP_REG_PEND', undefined, 'Pending');
    const ws = await rawSocket(h, 'CP_REG_PEND');
    expect((await ws.call('boot', 'BootNotification', boot))[2]).toMatchObject({ status: 'Pending' });
    expect(await replies(ws, Object.keys(messages))).toEqual({
      Heartbeat: 'ok',
      StatusNotification: 'ok',
      MeterValues: 'ok',
      StopTransaction: 'ok',
      DiagnosticsStatusNotification: 'ok',
      FirmwareStatusNotification: 'ok',
      Authorize: 'SecurityError',
      StartTransaction: 'SecurityError',
      DataTransfer: 'SecurityError',
    });
    const samples = await h.db.pool.query(`SELECT count(*)::int AS n FROM meter_samples WHERE station_id = 'CP_REG_PEND'`);
    expect(samples.rows[0].n).toBe(1);
    const started = await h.db.pool.query(`SELECT count(*)::int AS n FROM transactions WHERE station_id = 'CP_REG_PEND'`);
    expect(started.rows[0].n).toBe(0);
  });

  it('follows the BootNotification answer and the operator: accepted while connected, then rejected at the next boot', async () => {
    await h.addCharger('CP_REG_FLIP', undefined, 'Pending');
    const ws = await rawSocket(h, 'CP_REG_FLIP');
    expect(await replies(ws, ['Authorize'])).toEqual({ Authorize: 'SecurityError' });
    // The operator accepts it: no new BootNotification needed.
    await h.db.pool.query(`UPDATE chargers SET registration_status = 'Accepted' WHERE id = 'CP_REG_FLIP'`);
    expect(await replies(ws, ['Authorize', 'DataTransfer'])).toEqual({ Authorize: 'ok', DataTransfer: 'ok' });
    // The operator rejects it: the next BootNotification answers Rejected, and from then on only that is heard.
    await h.db.pool.query(`UPDATE chargers SET registration_status = 'Rejected' WHERE id = 'CP_REG_FLIP'`);
    expect((await ws.call('boot', 'BootNotification', boot))[2]).toMatchObject({ status: 'Rejected' });
    expect(await replies(ws, ['StatusNotification', 'Authorize'])).toEqual({ StatusNotification: 'SecurityError', Authorize: 'SecurityError' });
  });

  it('sends no RemoteStart/StopTransaction to a Pending charger (a non-retryable ChargerNotAccepted), but configuration commands go out', async () => {
    await h.addCharger('CP_REG_CMD', undefined, 'Pending');
    const cp = h.chargePoint({ chargePointId: 'CP_REG_CMD' });
    expect((await cp.connect()).status).toBe('Pending');

    const start = await commandFailure(h.gateway.commands.remoteStartTransaction({ stationId: 'CP_REG_CMD', connectorId: 1, idTag: 'REG_TAG' }));
    expect(start).toMatchObject({ type: ChargerCommandErrors.NotAccepted, nonRetryable: true });
    expect(start.message).toMatch(/Pending/);
    expect(start.details?.[0]).toEqual({ registrationStatus: 'Pending' });
    const stop = await commandFailure(h.gateway.commands.remoteStopTransaction({ stationId: 'CP_REG_CMD', transactionId: 1 }));
    expect(stop).toMatchObject({ type: ChargerCommandErrors.NotAccepted, nonRetryable: true });
    expect(cp.transactionId(1)).toBeUndefined();

    const conf = await h.gateway.commands.getConfiguration({ stationId: 'CP_REG_CMD', key: ['HeartbeatInterval'] });
    expect(conf.configurationKey.map((k) => k.key)).toEqual(['HeartbeatInterval']);
    expect(await h.gateway.commands.changeConfiguration({ stationId: 'CP_REG_CMD', key: 'MeterValueSampleInterval', value: '30' })).toEqual({ status: 'Accepted' });
    expect(await h.gateway.commands.triggerMessage({ stationId: 'CP_REG_CMD', requestedMessage: 'Heartbeat' })).toEqual({ status: 'Accepted' });

    // Once the operator accepts it, RemoteStartTransaction goes out.
    await h.db.pool.query(`UPDATE chargers SET registration_status = 'Accepted' WHERE id = 'CP_REG_CMD'`);
    expect(await h.gateway.commands.remoteStartTransaction({ stationId: 'CP_REG_CMD', connectorId: 1, idTag: 'REG_TAG' })).toEqual({ status: 'Accepted' });
  });

  it('sends nothing at all to a Rejected charger', async () => {
    await h.addCharger('CP_REG_CMD_REJ', undefined, 'Rejected');
    const ws = await rawSocket(h, 'CP_REG_CMD_REJ');
    const err = await commandFailure(h.gateway.commands.getConfiguration({ stationId: 'CP_REG_CMD_REJ' }));
    expect(err).toMatchObject({ type: ChargerCommandErrors.NotAccepted, nonRetryable: true });
    await new Promise((r) => setTimeout(r, 100));
    expect(ws.received.filter((m) => m[0] === 2)).toEqual([]);
  });
});
