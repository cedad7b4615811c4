import { createRPCError } from 'ocpp-rpc';
import { useSimulatorHarness } from './support/harness';

const h = useSimulatorHarness('CP');
const { chargePoint, connected } = h;

const actions = (id: string) => h.csms.received(id).map((c) => (c.action === 'StatusNotification' ? `Status:${c.params.status}` : c.action));

describe('connecting', () => {
  test('a charge point boots with vendor and model, then reports every connector Available', async () => {
    const cp = chargePoint({ connectors: 2, vendor: 'Acme', model: 'Wallbox 11' });
    await expect(cp.connect()).resolves.toEqual({ status: 'Accepted' });
    const calls = h.csms.received(cp.chargePointId);
    expect(calls.map((c) => c.action)).toEqual(['BootNotification', 'StatusNotification', 'StatusNotification']);
    expect(calls[0].params).toMatchObject({ chargePointVendor: 'Acme', chargePointModel: 'Wallbox 11' });
    expect(calls.slice(1).map((c) => [c.params.connectorId, c.params.status, c.params.errorCode])).toEqual([
      [1, 'Available', 'NoError'],
      [2, 'Available', 'NoError'],
    ]);
    expect(cp.configuration.get('HeartbeatInterval')).toBe('300');
  });

  test('a Pending boot answer is returned and no status is reported', async () => {
    h.csms.bootStatus = 'Pending';
    const cp = chargePoint();
    await expect(cp.connect()).resolves.toEqual({ status: 'Pending' });
    expect(actions(cp.chargePointId)).toEqual(['BootNotification']);
  });

  test('the password is sent with HTTP Basic auth and a wrong one is refused', async () => {
    h.csms.passwords.set('CP_SECRET', 'right');
    const good = chargePoint({ chargePointId: 'CP_SECRET', password: 'right' });
    await expect(good.connect()).resolves.toEqual({ status: 'Accepted' });
    await good.close();
    const bad = chargePoint({ chargePointId: 'CP_SECRET', password: 'wrong' });
    await expect(bad.connect()).rejects.toThrow();
  });

  test('the boot interval drives heartbeats', async () => {
    h.csms.heartbeatInterval = 1;
    const cp = await connected();
    await h.csms.waitForCall((c) => c.chargePointId === cp.chargePointId && c.action === 'Heartbeat', 3000);
  });
});

describe('remote start and stop', () => {
  test('an accepted RemoteStart sends Preparing, StartTransaction with the register, then Charging', async () => {
    const cp = await connected({ meterStartWh: 154200, plugDelayMs: 50 });
    const started = cp.waitFor('transactionStarted');
    const answer = await h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { connectorId: 1, idTag: 'TAG-1' });
    expect(answer).toEqual({ status: 'Accepted' });
    const event = await started;
    await h.csms.waitForCall((c) => c.action === 'StatusNotification' && c.params.status === 'Charging', 2000, true);

    expect(actions(cp.chargePointId).slice(2)).toEqual(['Status:Preparing', 'StartTransaction', 'Status:Charging']);
    const start = h.csms.received(cp.chargePointId, ['StartTransaction'])[0];
    expect(start.params).toMatchObject({ connectorId: 1, idTag: 'TAG-1', meterStart: 154200 });
    expect(Date.parse(start.params.timestamp)).not.toBeNaN();
    expect(event).toMatchObject({ connectorId: 1, transactionId: 1000, idTag: 'TAG-1', meterStart: 154200 });
    expect(cp.transactionId(1)).toBe(1000);
  });

  test('the plug-in delay passes before the transaction starts', async () => {
    const cp = await connected({ plugDelayMs: 300 });
    const t0 = Date.now();
    await h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { connectorId: 1, idTag: 'TAG-1' });
    const start = await h.csms.waitForCall((c) => c.action === 'StartTransaction');
    expect(start.at - t0).toBeGreaterThanOrEqual(280);
  });

  test('a RemoteStart without a connector picks a free one, and a busy connector is refused', async () => {
    const cp = await connected({ connectors: 2 });
    await cp.startTransaction(1, 'LOCAL');
    await expect(h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { connectorId: 1, idTag: 'X' })).resolves.toEqual({ status: 'Rejected' });
    const started = cp.waitFor('transactionStarted', (e) => e.idTag === 'APP');
    await expect(h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { idTag: 'APP' })).resolves.toEqual({ status: 'Accepted' });
    await expect(started).resolves.toMatchObject({ connectorId: 2 });
  });

  test('an accepted RemoteStop sends StopTransaction with reason Remote and the register, then Finishing and Available', async () => {
    const cp = await connected({ meterStartWh: 154200 });
    const { transactionId } = await cp.startTransaction(1, 'TAG-1');
    cp.setMeterRegister(1, 156700);
    const stopped = cp.waitFor('transactionStopped');
    await expect(h.csms.command(cp.chargePointId, 'RemoteStopTransaction', { transactionId })).resolves.toEqual({ status: 'Accepted' });
    await expect(stopped).resolves.toMatchObject({ connectorId: 1, transactionId, meterStop: 156700, reason: 'Remote' });
    await h.csms.waitForCall((c) => c.action === 'StatusNotification' && c.params.status === 'Available', 2000);

    expect(actions(cp.chargePointId).slice(-3)).toEqual(['StopTransaction', 'Status:Finishing', 'Status:Available']);
    const stop = h.csms.received(cp.chargePointId, ['StopTransaction'])[0];
    expect(stop.params).toMatchObject({ transactionId, meterStop: 156700, reason: 'Remote', idTag: 'TAG-1' });
    expect(stop.params.transactionData.map((m: any) => [m.sampledValue[0].context, m.sampledValue[0].value])).toEqual([
      ['Transaction.Begin', '154200'],
      ['Transaction.End', '156700'],
    ]);
    expect(cp.transactionId(1)).toBeUndefined();
  });

  test('a RemoteStop for an unknown transaction is rejected and nothing is sent', async () => {
    const cp = await connected();
    await cp.startTransaction(1, 'TAG-1');
    const before = h.csms.received(cp.chargePointId).length;
    await expect(h.csms.command(cp.chargePointId, 'RemoteStopTransaction', { transactionId: 424242 })).resolves.toEqual({ status: 'Rejected' });
    await new Promise((r) => setTimeout(r, 100));
    expect(h.csms.received(cp.chargePointId)).toHaveLength(before);
    expect(cp.transactionId(1)).toBe(1000);
  });

  test('a start the CSMS does not accept is stopped as DeAuthorized', async () => {
    h.csms.responders.set('StartTransaction', () => ({ transactionId: 7, idTagInfo: { status: 'Invalid' } }));
    const cp = await connected();
    const stopped = cp.waitFor('transactionStopped');
    await cp.startTransaction(1, 'BAD');
    await expect(stopped).resolves.toMatchObject({ transactionId: 7, reason: 'DeAuthorized' });
  });
});

describe('command behaviours', () => {
  test('reject answers Rejected and starts nothing', async () => {
    const cp = await connected();
    cp.behaviour.RemoteStartTransaction = 'reject';
    await expect(h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { connectorId: 1, idTag: 'T' })).resolves.toEqual({ status: 'Rejected' });
    await new Promise((r) => setTimeout(r, 100));
    expect(h.csms.received(cp.chargePointId, ['StartTransaction'])).toHaveLength(0);
  });

  test('callerror answers a CALLERROR InternalError', async () => {
    const cp = await connected();
    cp.behaviour.GetConfiguration = 'callerror';
    await expect(h.csms.command(cp.chargePointId, 'GetConfiguration', {})).rejects.toMatchObject({ rpcErrorCode: 'InternalError' });
  });

  test('ignore never answers, and closing the charger does not wait for it', async () => {
    const cp = await connected();
    cp.behaviour.RemoteStopTransaction = 'ignore';
    const seen = cp.waitFor('call', (c) => c.action === 'RemoteStopTransaction');
    const answer = h.csms.command(cp.chargePointId, 'RemoteStopTransaction', { transactionId: 1 }, { callTimeoutMs: 400 });
    await seen;
    await expect(answer).rejects.toThrow(/timed? ?out/i);
    const t0 = Date.now();
    await cp.close();
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  test('reboot_required and not_supported shape the ChangeConfiguration answer without changing the value', async () => {
    const cp = await connected();
    cp.behaviour.ChangeConfiguration = 'reboot_required';
    await expect(h.csms.command(cp.chargePointId, 'ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '10' })).resolves.toEqual({ status: 'RebootRequired' });
    cp.behaviour.ChangeConfiguration = 'not_supported';
    await expect(h.csms.command(cp.chargePointId, 'ChangeConfiguration', { key: 'MeterValueSampleInterval', value: '10' })).resolves.toEqual({ status: 'NotSupported' });
    expect(cp.configuration.get('MeterValueSampleInterval')).toBe('60');
  });

  test('the other commands answer per the protocol', async () => {
    const cp = await connected();
    const id = cp.chargePointId;
    await expect(h.csms.command(id, 'ClearCache', {})).resolves.toEqual({ status: 'Accepted' });
    await expect(h.csms.command(id, 'UnlockConnector', { connectorId: 1 })).resolves.toEqual({ status: 'Unlocked' });
    await expect(h.csms.command(id, 'ChangeAvailability', { connectorId: 1, type: 'Inoperative' })).resolves.toEqual({ status: 'Accepted' });
    await h.csms.waitForCall((c) => c.action === 'StatusNotification' && c.params.status === 'Unavailable', 2000, true);
    const triggered = h.csms.waitForCall((c) => c.action === 'MeterValues');
    await expect(h.csms.command(id, 'TriggerMessage', { requestedMessage: 'MeterValues', connectorId: 1 })).resolves.toEqual({ status: 'Accepted' });
    expect((await triggered).params.meterValue[0].sampledValue[0].context).toBe('Trigger');
    cp.behaviour.UnlockConnector = 'reject';
    await expect(h.csms.command(id, 'UnlockConnector', { connectorId: 1 })).resolves.toEqual({ status: 'UnlockFailed' });
  });
});

describe('configuration', () => {
  test('GetConfiguration without keys returns every key, with read-only flags', async () => {
    const cp = await connected();
    const answer = await h.csms.command(cp.chargePointId, 'GetConfiguration', {});
    expect(answer.configurationKey).toHaveLength(cp.configuration.size);
    expect(answer.configurationKey).toEqual(
      expect.arrayContaining([
        { key: 'MeterValuesSampledData', readonly: false, value: 'Energy.Active.Import.Register' },
        { key: 'MeterValuesSampledDataMaxLength', readonly: true, value: '4' },
        { key: 'MeterValueSampleInterval', readonly: false, value: '60' },
      ]),
    );
    expect(answer.unknownKey).toBeUndefined();
  });

  test('GetConfiguration with keys returns those and lists unknown ones', async () => {
    const cp = await connected();
    const answer = await h.csms.command(cp.chargePointId, 'GetConfiguration', { key: ['MeterValuesSampledData', 'NoSuchKey'] });
    expect(answer).toEqual({
      configurationKey: [{ key: 'MeterValuesSampledData', readonly: false, value: 'Energy.Active.Import.Register' }],
      unknownKey: ['NoSuchKey'],
    });
  });

  test('ChangeConfiguration adds SoC to the measurands and emits configurationChanged', async () => {
    const cp = await connected();
    const changed = cp.waitFor('configurationChanged');
    const value = 'Energy.Active.Import.Register,SoC';
    await expect(h.csms.command(cp.chargePointId, 'ChangeConfiguration', { key: 'MeterValuesSampledData', value })).resolves.toEqual({ status: 'Accepted' });
    await expect(changed).resolves.toEqual({ key: 'MeterValuesSampledData', value });
    expect(cp.configuration.get('MeterValuesSampledData')).toBe(value);
  });

  test.each([
    ['an unknown measurand', 'Energy.Active.Import.Register,Bogus.Measurand', 'Rejected'],
    ['more measurands than MeterValuesSampledDataMaxLength', 'Energy.Active.Import.Register,SoC,Power.Active.Import,Voltage,Current.Import', 'Rejected'],
  ])('ChangeConfiguration with %s is Rejected and the old value stays', async (_what, value, status) => {
    const cp = await connected();
    await expect(h.csms.command(cp.chargePointId, 'ChangeConfiguration', { key: 'MeterValuesSampledData', value })).resolves.toEqual({ status });
    expect(cp.configuration.get('MeterValuesSampledData')).toBe('Energy.Active.Import.Register');
  });

  test('adding SoC on a charger without SoC support answers NotSupported', async () => {
    const cp = await connected({ supportsSoc: false });
    await expect(
      h.csms.command(cp.chargePointId, 'ChangeConfiguration', { key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register,SoC' }),
    ).resolves.toEqual({ status: 'NotSupported' });
    await expect(
      h.csms.command(cp.chargePointId, 'ChangeConfiguration', { key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register,Power.Active.Import' }),
    ).resolves.toEqual({ status: 'Accepted' });
  });

  test('read-only and unknown keys cannot be changed', async () => {
    const cp = await connected();
    await expect(h.csms.command(cp.chargePointId, 'ChangeConfiguration', { key: 'MeterValuesSampledDataMaxLength', value: '9' })).resolves.toEqual({ status: 'Rejected' });
    await expect(h.csms.command(cp.chargePointId, 'ChangeConfiguration', { key: 'NoSuchKey', value: '1' })).resolves.toEqual({ status: 'NotSupported' });
    await expect(h.csms.command(cp.chargePointId, 'ChangeConfiguration', { key: 'MeterValueSampleInterval', value: 'often' })).resolves.toEqual({ status: 'Rejected' });
  });
});

describe('meter values', () => {
  test('by default only the energy register is sampled, in Wh, with the transaction id', async () => {
    const cp = await connected({ meterStartWh: 154200 });
    const { transactionId } = await cp.startTransaction(1, 'TAG');
    await cp.sendMeterValues(1);
    const mv = h.csms.received(cp.chargePointId, ['MeterValues'])[0].params;
    expect(mv.transactionId).toBe(transactionId);
    expect(mv.connectorId).toBe(1);
    expect(mv.meterValue[0].sampledValue).toEqual([
      { value: '154200', context: 'Sample.Periodic', format: 'Raw', measurand: 'Energy.Active.Import.Register', location: 'Outlet', unit: 'Wh' },
    ]);
  });

  test('every configured measurand is sampled, SoC in Percent at the EV', async () => {
    const cp = await connected({ meterStartWh: 1000 });
    cp.configuration.set('MeterValuesSampledData', 'Energy.Active.Import.Register,SoC,Power.Active.Import,Current.Import');
    await cp.startTransaction(1, 'TAG');
    cp.setPower(1, 11040);
    cp.setSoc(1, 74);
    await cp.sendMeterValues(1);
    const values = h.csms.received(cp.chargePointId, ['MeterValues'])[0].params.meterValue[0].sampledValue;
    expect(values.map((v: any) => [v.measurand, v.value, v.unit, v.location])).toEqual([
      ['Energy.Active.Import.Register', '1000', 'Wh', 'Outlet'],
      ['SoC', '74', 'Percent', 'EV'],
      ['Power.Active.Import', '11040', 'W', 'Outlet'],
      ['Current.Import', '16', 'A', 'Outlet'],
    ]);
  });

  test('meter values without a transaction carry no transaction id', async () => {
    const cp = await connected();
    await cp.sendMeterValues(1);
    expect(h.csms.received(cp.chargePointId, ['MeterValues'])[0].params.transactionId).toBeUndefined();
  });

  test('charging adds exactly power × time to the register: 2.5 kWh from 154200 Wh ends at 156700 Wh', async () => {
    const cp = await connected({ meterStartWh: 154200, socStartPercent: 20, batteryCapacityWh: 50_000 });
    await cp.startTransaction(1, 'TAG');
    cp.setPower(1, 9000);
    for (let i = 0; i < 100; i++) cp.advance(1, 10); // 9 kW × 1000 s = 2500 Wh
    expect(cp.meterRegisterWh(1).toString()).toBe('156700');
    expect(cp.soc(1)).toBeCloseTo(25, 9);
    // 11 kW for 10 s is 30.5555… Wh: reported as a decimal, never rounded up
    cp.setPower(1, 11000);
    cp.advance(1, 10);
    await cp.sendMeterValues(1);
    const [mv] = h.csms.received(cp.chargePointId, ['MeterValues']);
    expect(mv.params.meterValue[0].sampledValue[0].value).toBe('156730.555');
    await cp.stopTransaction(1);
    expect(h.csms.received(cp.chargePointId, ['StopTransaction'])[0].params.meterStop).toBe(156730);
  });
});

describe('offline', () => {
  test('transaction messages queue while the connection is down and are delivered in order after reconnect', async () => {
    const cp = await connected({ meterStartWh: 100 });
    const { transactionId } = await cp.startTransaction(1, 'TAG');
    cp.dropConnection();
    await h.csms.waitForCall(() => false, 100).catch(() => undefined);
    expect(h.csms.clients.has(cp.chargePointId)).toBe(false);

    cp.setMeterRegister(1, 200);
    const mv1 = cp.sendMeterValues(1);
    cp.setMeterRegister(1, 300);
    const mv2 = cp.sendMeterValues(1);
    cp.setMeterRegister(1, 400);
    const stop = cp.stopTransaction(1, 'EVDisconnected');
    await expect(cp.heartbeat()).rejects.toThrow(/not connected/);
    expect(cp.queuedMessages).toBe(3);

    const countBefore = h.csms.received(cp.chargePointId).length;
    await cp.reconnect();
    await Promise.all([mv1, mv2, stop]);
    const after = h.csms.received(cp.chargePointId).slice(countBefore);
    expect(after.slice(0, 3).map((c) => [c.action, c.params.transactionId])).toEqual([
      ['MeterValues', transactionId],
      ['MeterValues', transactionId],
      ['StopTransaction', transactionId],
    ]);
    expect(after[0].params.meterValue[0].sampledValue[0].value).toBe('200');
    expect(after[1].params.meterValue[0].sampledValue[0].value).toBe('300');
    expect(after[2].params.meterStop).toBe(400);
    expect(after.find((c) => c.action === 'BootNotification')).toBeUndefined();
  });

  test('a StartTransaction sent offline gets its id on delivery and later messages use it', async () => {
    const cp = await connected();
    cp.dropConnection();
    const started = cp.startTransaction(1, 'OFFLINE');
    await new Promise((r) => setTimeout(r, 20));
    expect(cp.transactionId(1)).toBeUndefined();
    const mv = cp.sendMeterValues(1);
    const stop = cp.stopTransaction(1);
    await cp.reconnect();
    const { transactionId } = await started;
    await Promise.all([mv, stop]);
    const txCalls = h.csms.received(cp.chargePointId, ['StartTransaction', 'MeterValues', 'StopTransaction']);
    expect(txCalls.map((c) => [c.action, c.params.transactionId])).toEqual([
      ['StartTransaction', undefined],
      ['MeterValues', transactionId],
      ['StopTransaction', transactionId],
    ]);
  });

  test('a transaction message answered with a CALLERROR is retried until the CSMS stores it', async () => {
    const cp = await connected();
    let failures = 1;
    h.csms.responders.set('StartTransaction', () => {
      if (failures-- > 0) throw createRPCError('InternalError', 'database down');
      return { transactionId: 55, idTagInfo: { status: 'Accepted' } };
    });
    await expect(cp.startTransaction(1, 'TAG')).resolves.toMatchObject({ transactionId: 55 });
    expect(h.csms.received(cp.chargePointId, ['StartTransaction'])).toHaveLength(2);
  });

  test('the socket closing on the server side also queues, and auto-reconnect flushes', async () => {
    const cp = await connected({ reconnect: true });
    const { transactionId } = await cp.startTransaction(1, 'TAG');
    const disconnected = cp.waitFor('disconnected');
    await h.csms.clients.get(cp.chargePointId)!.close({ code: 1001, force: true });
    await disconnected;
    const reconnected = cp.waitFor('connected');
    const stop = cp.stopTransaction(1);
    await reconnected;
    await stop;
    expect(h.csms.received(cp.chargePointId, ['StopTransaction'])[0].params.transactionId).toBe(transactionId);
  });
});
