/** Reset, UnlockConnector, ChangeAvailability, TriggerMessage, ClearCache, DataTransfer, GetBaseReport, NotifyEvent, SecurityEventNotification. */
import { sleep, useStationHarness } from './support/harness';

const h = useStationHarness('PC201');
const { connected } = h;

describe('Reset (B11, B12)', () => {
  test('Immediate ends the transaction as ImmediateReset, reboots with reason RemoteReset and reports the reset as security events (TC_B_21_CS)', async () => {
    const s = await connected({ meterStartWh: 500 });
    const { transactionId } = await s.startTransaction(1, 'TAG');
    await expect(h.csms.command(s.stationId, 'Reset', { type: 'Immediate' })).resolves.toEqual({ status: 'Accepted' });
    await h.next(s.stationId, (c) => c.action === 'SecurityEventNotification' && c.params.type === 'StartupOfTheDevice', 3000);
    const labels = h.labels(s.stationId, 4);
    expect(labels).toEqual(['TE:Ended:1', 'Status:1:Available', 'BootNotification', 'Status:1:Available', 'SecurityEventNotification', 'SecurityEventNotification']);
    const ended = h.csms.events(s.stationId)[1];
    expect(ended).toMatchObject({ triggerReason: 'ResetCommand', transactionInfo: { transactionId, stoppedReason: 'ImmediateReset' } });
    expect(h.csms.received(s.stationId, ['BootNotification'])[1].params.reason).toBe('RemoteReset');
    expect(h.csms.received(s.stationId, ['SecurityEventNotification']).map((c) => c.params.type)).toEqual(['ResetOrReboot', 'StartupOfTheDevice']);
  });

  test('OnIdle with a transaction is Scheduled and reboots when the transaction ends', async () => {
    const s = await connected();
    await s.startTransaction(1, 'TAG');
    await expect(h.csms.command(s.stationId, 'Reset', { type: 'OnIdle' })).resolves.toEqual({ status: 'Scheduled' });
    await sleep(50);
    expect(h.csms.received(s.stationId, ['BootNotification'])).toHaveLength(1);
    await s.stopTransaction(1);
    await h.next(s.stationId, (c) => c.action === 'BootNotification', 3000);
  });

  test('a reset of an unknown EVSE is Rejected', async () => {
    const s = await connected();
    await expect(h.csms.command(s.stationId, 'Reset', { type: 'Immediate', evseId: 7 })).resolves.toEqual({ status: 'Rejected' });
  });
});

describe('UnlockConnector (F05)', () => {
  test('an idle connector unlocks; an authorized transaction keeps it locked; an unknown one is reported', async () => {
    const s = await connected({ evses: 2 });
    await s.startTransaction(2, 'TAG');
    await expect(h.csms.command(s.stationId, 'UnlockConnector', { evseId: 1, connectorId: 1 })).resolves.toEqual({ status: 'Unlocked' });
    await expect(h.csms.command(s.stationId, 'UnlockConnector', { evseId: 2, connectorId: 1 })).resolves.toEqual({ status: 'OngoingAuthorizedTransaction' });
    await expect(h.csms.command(s.stationId, 'UnlockConnector', { evseId: 3, connectorId: 1 })).resolves.toEqual({ status: 'UnknownConnector' });
    await expect(h.csms.command(s.stationId, 'UnlockConnector', { evseId: 1, connectorId: 2 })).resolves.toEqual({ status: 'UnknownConnector' });
  });
});

describe('ChangeAvailability (G03, G04)', () => {
  test('an EVSE made Inoperative reports Unavailable and refuses a remote start; Operative brings it back', async () => {
    const s = await connected();
    await expect(h.csms.command(s.stationId, 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 1 } })).resolves.toEqual({ status: 'Accepted' });
    await h.next(s.stationId, (c) => c.action === 'StatusNotification' && c.params.connectorStatus === 'Unavailable', 2000, true);
    await expect(h.csms.command(s.stationId, 'RequestStartTransaction', { idToken: { idToken: 'A', type: 'Central' }, remoteStartId: 1 })).resolves.toEqual({ status: 'Rejected' });
    await h.csms.command(s.stationId, 'ChangeAvailability', { operationalStatus: 'Operative', evse: { id: 1 } });
    await h.next(s.stationId, (c) => c.action === 'StatusNotification' && c.params.connectorStatus === 'Available', 2000);
  });

  test('with a transaction running the change is Scheduled and applies when it ends', async () => {
    const s = await connected();
    await s.startTransaction(1, 'TAG');
    await expect(h.csms.command(s.stationId, 'ChangeAvailability', { operationalStatus: 'Inoperative' })).resolves.toEqual({ status: 'Scheduled' });
    expect(s.status(1)).toBe('Occupied');
    await s.stopTransaction(1);
    expect(s.status(1)).toBe('Unavailable');
  });

  test('an unknown EVSE is Rejected', async () => {
    const s = await connected();
    await expect(h.csms.command(s.stationId, 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 4 } })).resolves.toEqual({ status: 'Rejected' });
  });
});

describe('TriggerMessage (F06)', () => {
  test('Heartbeat, StatusNotification, MeterValues and TransactionEvent are sent after the answer', async () => {
    const s = await connected({ meterStartWh: 100 });
    await expect(h.csms.command(s.stationId, 'TriggerMessage', { requestedMessage: 'TransactionEvent' })).resolves.toEqual({ status: 'Rejected' });
    await expect(h.csms.command(s.stationId, 'TriggerMessage', { requestedMessage: 'Heartbeat' })).resolves.toEqual({ status: 'Accepted' });
    await h.next(s.stationId, (c) => c.action === 'Heartbeat', 2000, true);
    await expect(h.csms.command(s.stationId, 'TriggerMessage', { requestedMessage: 'StatusNotification', evse: { id: 1, connectorId: 1 } })).resolves.toEqual({ status: 'Accepted' });
    await expect(h.csms.command(s.stationId, 'TriggerMessage', { requestedMessage: 'MeterValues', evse: { id: 1 } })).resolves.toEqual({ status: 'Accepted' });
    const mv = await h.next(s.stationId, (c) => c.action === 'MeterValues', 2000, true);
    expect(mv.params).toMatchObject({ evseId: 1, meterValue: [{ sampledValue: [{ value: 100, context: 'Trigger', measurand: 'Energy.Active.Import.Register' }] }] });
    await s.startTransaction(1, 'TAG');
    await h.csms.command(s.stationId, 'TriggerMessage', { requestedMessage: 'TransactionEvent', evse: { id: 1 } });
    const te = await h.next(s.stationId, (c) => c.action === 'TransactionEvent' && c.params.eventType === 'Updated', 2000, true);
    expect(te.params).toMatchObject({ triggerReason: 'Trigger', seqNo: 1 });
  });

  test('BootNotification is Rejected once the boot was accepted, and sent with reason Triggered while Pending', async () => {
    h.csms.bootStatus = 'Pending';
    const s = h.station();
    await s.connect();
    h.csms.bootStatus = 'Accepted';
    await expect(h.csms.command(s.stationId, 'TriggerMessage', { requestedMessage: 'BootNotification' })).resolves.toEqual({ status: 'Accepted' });
    const boot = await h.next(s.stationId, (c) => c.action === 'BootNotification' && c.params.reason === 'Triggered', 2000, true);
    expect(boot).toBeDefined();
    await h.next(s.stationId, (c) => c.action === 'StatusNotification', 2000, true);
    await expect(h.csms.command(s.stationId, 'TriggerMessage', { requestedMessage: 'BootNotification' })).resolves.toEqual({ status: 'Rejected' });
  });

  test('a message the station cannot trigger answers NotImplemented', async () => {
    const s = await connected();
    await expect(h.csms.command(s.stationId, 'TriggerMessage', { requestedMessage: 'SignV2GCertificate' })).resolves.toEqual({ status: 'NotImplemented' });
  });
});

describe('ClearCache and DataTransfer', () => {
  test('ClearCache empties the authorization cache, and is Rejected when the cache is disabled (TC_C_37_CS)', async () => {
    const s = await connected();
    await s.authorize({ idToken: 'T', type: 'ISO14443' });
    expect(s.authorizationCache.size).toBe(1);
    await expect(h.csms.command(s.stationId, 'ClearCache', {})).resolves.toEqual({ status: 'Accepted' });
    expect(s.authorizationCache.size).toBe(0);
    const off = await connected({ variables: { 'AuthCacheCtrlr.Enabled': 'false' } });
    await expect(h.csms.command(off.stationId, 'ClearCache', {})).resolves.toEqual({ status: 'Rejected' });
  });

  test('DataTransfer answers UnknownVendorId by default and the configured handler otherwise', async () => {
    const s = await connected();
    await expect(h.csms.command(s.stationId, 'DataTransfer', { vendorId: 'com.example' })).resolves.toEqual({ status: 'UnknownVendorId' });
    const t = await connected({ dataTransfer: (r) => (r.vendorId === 'com.example' ? { status: 'Accepted', data: { echo: r.data } } : { status: 'UnknownVendorId' }) });
    await expect(h.csms.command(t.stationId, 'DataTransfer', { vendorId: 'com.example', messageId: 'm', data: 'x' })).resolves.toEqual({ status: 'Accepted', data: { echo: 'x' } });
  });
});

describe('GetBaseReport (B07)', () => {
  test('the report comes in NotifyReport parts of ItemsPerMessage entries, seqNo from 0, tbc until the last (TC_B_12_CS)', async () => {
    const s = await connected({ variables: { 'DeviceDataCtrlr.ItemsPerMessage[GetReport]': '10' } });
    await expect(h.csms.command(s.stationId, 'GetBaseReport', { requestId: 7, reportBase: 'FullInventory' })).resolves.toEqual({ status: 'Accepted' });
    await h.next(s.stationId, (c) => c.action === 'NotifyReport' && c.params.tbc === false, 3000, true);
    const parts = h.csms.received(s.stationId, ['NotifyReport']).map((c) => c.params);
    expect(parts.length).toBeGreaterThan(3);
    expect(parts.map((p) => p.seqNo)).toEqual(parts.map((_, i) => i));
    expect(parts.map((p) => p.tbc)).toEqual(parts.map((_, i) => i < parts.length - 1));
    expect(parts.every((p) => p.requestId === 7 && p.reportData.length <= 10)).toBe(true);
    const all = parts.flatMap((p) => p.reportData);
    expect(all).toContainEqual(
      expect.objectContaining({
        component: { name: 'SampledDataCtrlr' },
        variable: { name: 'TxUpdatedMeasurands' },
        variableAttribute: [expect.objectContaining({ value: 'Energy.Active.Import.Register', mutability: 'ReadWrite' })],
        variableCharacteristics: expect.objectContaining({ dataType: 'MemberList', valuesList: expect.stringContaining('SoC') }),
      }),
    );
  });

  test('ConfigurationInventory reports only writable variables', async () => {
    const s = await connected();
    await h.csms.command(s.stationId, 'GetBaseReport', { requestId: 8, reportBase: 'ConfigurationInventory' });
    await h.next(s.stationId, (c) => c.action === 'NotifyReport' && !c.params.tbc, 3000, true);
    const all = h.csms.received(s.stationId, ['NotifyReport']).flatMap((c) => c.params.reportData);
    expect(all.length).toBeGreaterThan(0);
    expect(all.every((d: any) => d.variableAttribute[0].mutability !== 'ReadOnly')).toBe(true);
  });
});

describe('NotifyEvent (N07)', () => {
  test('a connector fault reports Faulted and a NotifyEvent; clearing it reports cleared', async () => {
    const s = await connected();
    await s.fault(1);
    const event = await h.next(s.stationId, (c) => c.action === 'NotifyEvent', 2000, true);
    expect(event.params).toMatchObject({
      seqNo: 0,
      eventData: [{ trigger: 'Delta', actualValue: 'Faulted', component: { name: 'Connector', evse: { id: 1, connectorId: 1 } }, variable: { name: 'AvailabilityState' } }],
    });
    expect(s.status(1)).toBe('Faulted');
    await s.clearFault(1);
    const cleared = h.csms.received(s.stationId, ['NotifyEvent'])[1].params;
    expect(cleared.eventData[0]).toMatchObject({ cleared: true, actualValue: 'Available' });
    expect(cleared.eventData[0].eventId).toBeGreaterThan(event.params.eventData[0].eventId);
  });
});
