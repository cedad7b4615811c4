/** The 2.0.1 station's boot, heartbeat, status, RFID and remote transactions against a strict 2.0.1 CSMS stand-in. */
import { sleep, useStationHarness } from './support/harness';

const h = useStationHarness('CS201');
const { station, connected } = h;

const register = (event: any, context: string) =>
  event.meterValue
    .flatMap((m: any) => m.sampledValue)
    .filter((v: any) => v.context === context && (v.measurand ?? 'Energy.Active.Import.Register') === 'Energy.Active.Import.Register')
    .map((v: any) => v.value);

describe('boot (B01–B03)', () => {
  test('an accepted boot sends BootNotification PowerUp, then StatusNotification Available for every EVSE', async () => {
    const s = station({ evses: 2, vendorName: 'Acme', model: 'Wallbox' });
    await expect(s.connect()).resolves.toEqual({ status: 'Accepted' });
    await h.next(s.stationId, (c) => c.action === 'StatusNotification' && c.params.evseId === 2, 2000, true);
    expect(h.labels(s.stationId)).toEqual(['BootNotification', 'Status:1:Available', 'Status:2:Available']);
    const boot = h.csms.received(s.stationId, ['BootNotification'])[0].params;
    expect(boot).toMatchObject({ reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'Wallbox' } });
    expect(h.csms.received(s.stationId, ['StatusNotification'])[0].params).toMatchObject({ connectorStatus: 'Available', evseId: 1, connectorId: 1 });
    expect(s.variable('OCPPCommCtrlr.HeartbeatInterval')).toBe('300');
  });

  test('a Pending boot sends no status and boots again after the interval (TC_B_02_CS)', async () => {
    h.csms.bootStatus = 'Pending';
    h.csms.bootInterval = 1;
    const s = station({ secondMs: 100 });
    await expect(s.connect()).resolves.toEqual({ status: 'Pending' });
    h.csms.bootStatus = 'Accepted';
    await h.next(s.stationId, (c) => c.action === 'StatusNotification', 2000);
    expect(h.labels(s.stationId)).toEqual(['BootNotification', 'BootNotification', 'Status:1:Available']);
    expect(s.bootAccepted).toBe(true);
  });

  test('a Rejected boot sends nothing else until it boots again after the interval (TC_B_03_CS)', async () => {
    h.csms.bootStatus = 'Rejected';
    h.csms.bootInterval = 2;
    const s = station({ secondMs: 100 });
    await expect(s.connect()).resolves.toEqual({ status: 'Rejected' });
    await sleep(100);
    expect(h.labels(s.stationId)).toEqual(['BootNotification']);
    await h.next(s.stationId, (c) => c.action === 'BootNotification', 2000);
    expect(s.bootAccepted).toBe(false);
  });

  test('the password goes in HTTP Basic auth and a wrong one is refused', async () => {
    h.csms.passwords.set('CS201_PW', 'a-sixteen-chars-password');
    const good = station({ stationId: 'CS201_PW', password: 'a-sixteen-chars-password' });
    await expect(good.connect()).resolves.toEqual({ status: 'Accepted' });
    await good.close();
    const bad = station({ stationId: 'CS201_PW', password: 'wrong-password-000' });
    await expect(bad.connect()).rejects.toThrow();
  });

  test('the boot interval drives Heartbeat', async () => {
    h.csms.bootInterval = 1;
    const s = await connected({ secondMs: 100 });
    await h.next(s.stationId, (c) => c.action === 'Heartbeat', 2000);
  });
});

describe('RFID transactions (C01, E01–E07)', () => {
  test('a presented card is authorized, then Started/Updated/Ended carry seqNo 0..2 and the Begin and End registers', async () => {
    const s = await connected({ meterStartWh: 154200 });
    await expect(s.presentIdToken(1, 'CARD-1')).resolves.toEqual({ started: true, status: 'Accepted' });
    const transactionId = s.transactionId(1)!;
    expect(transactionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.status(1)).toBe('Occupied');
    s.setMeterRegister(1, 155000);
    await s.sendMeterValues(1);
    s.setMeterRegister(1, 156700);
    await s.stopTransaction(1);

    expect(h.labels(s.stationId).slice(2)).toEqual(['Authorize', 'Status:1:Occupied', 'TE:Started:0', 'TE:Updated:1', 'TE:Ended:2', 'Status:1:Available']);
    expect(h.csms.received(s.stationId, ['Authorize'])[0].params).toEqual({ idToken: { idToken: 'CARD-1', type: 'ISO14443' } });
    const [started, updated, ended] = h.csms.events(s.stationId);
    expect(started).toMatchObject({
      triggerReason: 'Authorized',
      evse: { id: 1, connectorId: 1 },
      idToken: { idToken: 'CARD-1', type: 'ISO14443' },
      transactionInfo: { transactionId, chargingState: 'Charging' },
    });
    expect(started.offline).toBeUndefined();
    expect(register(started, 'Transaction.Begin')).toEqual([154200]);
    expect(started.meterValue[0].sampledValue[0].unitOfMeasure).toEqual({ unit: 'Wh', multiplier: 0 });
    expect(updated).toMatchObject({ triggerReason: 'MeterValuePeriodic', transactionInfo: { transactionId } });
    expect(register(updated, 'Sample.Periodic')).toEqual([155000]);
    expect(ended).toMatchObject({ triggerReason: 'StopAuthorized', transactionInfo: { transactionId, stoppedReason: 'Local' }, idToken: { idToken: 'CARD-1' } });
    expect(register(ended, 'Transaction.End')).toEqual([156700]);
    expect(s.transactionId(1)).toBeUndefined();
  });

  test('presenting the same card again stops the transaction', async () => {
    const s = await connected();
    await s.presentIdToken(1, 'CARD-2');
    await expect(s.presentIdToken(1, 'card-2')).resolves.toMatchObject({ started: false, stopped: true });
    const ended = h.csms.events(s.stationId).find((e) => e.eventType === 'Ended');
    expect(ended).toMatchObject({ triggerReason: 'StopAuthorized', transactionInfo: { stoppedReason: 'Local' } });
  });

  test('a card the CSMS does not accept starts nothing (TC_C_02_CS)', async () => {
    h.csms.responders.set('Authorize', () => ({ idTokenInfo: { status: 'Blocked' } }));
    const s = await connected();
    await expect(s.presentIdToken(1, 'BLOCKED')).resolves.toEqual({ started: false, status: 'Blocked' });
    expect(h.csms.events(s.stationId)).toEqual([]);
    expect(s.status(1)).toBe('Available');
  });

  test('a Started answered Invalid ends the transaction as DeAuthorized (TxCtrlr.StopTxOnInvalidId)', async () => {
    h.csms.responders.set('TransactionEvent', (c) => (c.params.eventType === 'Started' ? { idTokenInfo: { status: 'Invalid' } } : {}));
    const s = await connected();
    const ended = s.waitFor('transactionEnded');
    await s.startTransaction(1, 'STOLEN');
    await expect(ended).resolves.toMatchObject({ stoppedReason: 'DeAuthorized' });
    await h.next(s.stationId, (c) => c.action === 'TransactionEvent' && c.params.eventType === 'Ended', 2000, true);
    expect(h.csms.events(s.stationId)[1]).toMatchObject({ triggerReason: 'Deauthorized', seqNo: 1, transactionInfo: { stoppedReason: 'DeAuthorized' } });
  });

  test('SoC, when configured, is sampled with unit Percent at location EV', async () => {
    const s = await connected({ variables: { 'SampledDataCtrlr.TxUpdatedMeasurands': 'Energy.Active.Import.Register,SoC' } });
    await s.startTransaction(1, 'CARD');
    s.setSoc(1, 74);
    await s.sendMeterValues(1);
    const updated = h.csms.events(s.stationId)[1];
    expect(updated.meterValue[0].sampledValue).toContainEqual({ value: 74, context: 'Sample.Periodic', measurand: 'SoC', location: 'EV', unitOfMeasure: { unit: 'Percent', multiplier: 0 } });
  });

  test('advance() charges at the power exactly: 10 kW for 15 minutes is 2500 Wh', async () => {
    const s = await connected({ meterStartWh: 154200, defaultPowerW: 10_000 });
    await s.startTransaction(1, 'CARD');
    for (let i = 0; i < 15; i++) s.advance(1, 60);
    expect(s.meterRegisterWh(1).toString()).toBe('156700');
  });
});

describe('remote start and stop (F01–F03)', () => {
  test('RequestStartTransaction is accepted and, after the plug-in delay, Started carries RemoteStart and the remoteStartId (TC_F_01_CS)', async () => {
    const s = await connected({ meterStartWh: 154200, plugDelayMs: 200 });
    const t0 = Date.now();
    const answer = await h.csms.command(s.stationId, 'RequestStartTransaction', { idToken: { idToken: 'ALICE0001', type: 'Central' }, evseId: 1, remoteStartId: 42 });
    expect(answer).toEqual({ status: 'Accepted' });
    const call = await h.next(s.stationId, (c) => c.action === 'TransactionEvent', 3000);
    expect(call.at - t0).toBeGreaterThanOrEqual(180);
    expect(call.params).toMatchObject({
      eventType: 'Started',
      seqNo: 0,
      triggerReason: 'RemoteStart',
      evse: { id: 1, connectorId: 1 },
      idToken: { idToken: 'ALICE0001', type: 'Central' },
      transactionInfo: { remoteStartId: 42, transactionId: s.transactionId(1) },
    });
    expect(register(call.params, 'Transaction.Begin')).toEqual([154200]);
    expect(s.received.map((r) => r.action)).toEqual(['RequestStartTransaction']);
  });

  test('without evseId a free EVSE is chosen; a busy or unknown EVSE is Rejected', async () => {
    const s = await connected({ evses: 2 });
    await s.startTransaction(1, 'LOCAL');
    await expect(h.csms.command(s.stationId, 'RequestStartTransaction', { idToken: { idToken: 'X', type: 'Central' }, evseId: 1, remoteStartId: 1 })).resolves.toEqual({ status: 'Rejected' });
    await expect(h.csms.command(s.stationId, 'RequestStartTransaction', { idToken: { idToken: 'X', type: 'Central' }, evseId: 9, remoteStartId: 2 })).resolves.toEqual({ status: 'Rejected' });
    const started = s.waitFor('transactionStarted', (e) => e.remoteStartId === 3);
    await expect(h.csms.command(s.stationId, 'RequestStartTransaction', { idToken: { idToken: 'APP', type: 'Central' }, remoteStartId: 3 })).resolves.toEqual({ status: 'Accepted' });
    await expect(started).resolves.toMatchObject({ evseId: 2 });
  });

  test('with AuthCtrlr.AuthorizeRemoteStart the id token is authorized before the start', async () => {
    const s = await connected({ variables: { 'AuthCtrlr.AuthorizeRemoteStart': 'true' } });
    const started = s.waitFor('transactionStarted');
    await h.csms.command(s.stationId, 'RequestStartTransaction', { idToken: { idToken: 'APP', type: 'Central' }, remoteStartId: 5 });
    await started;
    expect(h.labels(s.stationId).slice(2, 4)).toEqual(['Authorize', 'Status:1:Occupied']);
  });

  test('RequestStopTransaction ends the transaction with RemoteStop / Remote and the End register (TC_F_03_CS)', async () => {
    const s = await connected({ meterStartWh: 154200 });
    const { transactionId } = await s.startTransaction(1, 'TAG');
    s.setMeterRegister(1, 156700);
    await expect(h.csms.command(s.stationId, 'RequestStopTransaction', { transactionId })).resolves.toEqual({ status: 'Accepted' });
    const ended = await h.next(s.stationId, (c) => c.action === 'TransactionEvent' && c.params.eventType === 'Ended', 2000, true);
    expect(ended.params).toMatchObject({ seqNo: 1, triggerReason: 'RemoteStop', transactionInfo: { transactionId, stoppedReason: 'Remote' } });
    expect(register(ended.params, 'Transaction.End')).toEqual([156700]);
    expect(register(ended.params, 'Transaction.Begin')).toEqual([154200]);
    await h.next(s.stationId, (c) => c.action === 'StatusNotification' && c.params.connectorStatus === 'Available', 2000, false);
  });

  test('RequestStopTransaction of an unknown transaction is Rejected and sends nothing', async () => {
    const s = await connected();
    await s.startTransaction(1, 'TAG');
    const before = h.csms.received(s.stationId).length;
    await expect(h.csms.command(s.stationId, 'RequestStopTransaction', { transactionId: 'nope' })).resolves.toEqual({ status: 'Rejected' });
    await sleep(50);
    expect(h.csms.received(s.stationId)).toHaveLength(before);
  });

  test('commandBehaviour scripts reject, callerror and ignore', async () => {
    const s = await connected({ commandBehaviour: { RequestStartTransaction: 'reject', RequestStopTransaction: 'callerror', GetVariables: 'ignore' } });
    await expect(h.csms.command(s.stationId, 'RequestStartTransaction', { idToken: { idToken: 'A', type: 'Central' }, remoteStartId: 1 })).resolves.toEqual({ status: 'Rejected' });
    await expect(h.csms.command(s.stationId, 'RequestStopTransaction', { transactionId: 'x' })).rejects.toMatchObject({ rpcErrorCode: 'InternalError' });
    await expect(
      h.csms.command(s.stationId, 'GetVariables', { getVariableData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] }, { callTimeoutMs: 200 }),
    ).rejects.toThrow();
    expect(h.csms.events(s.stationId)).toEqual([]);
  });
});
