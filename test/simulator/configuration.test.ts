/** The configuration store and its effects (OCPP 1.6 §5.3 ChangeConfiguration, §5.8 GetConfiguration, §9 keys). */
import { sleep, useSimulatorHarness } from './support/harness';

const h = useSimulatorHarness('CONF');
const get = (id: string, key?: string[]) => h.csms.command(id, 'GetConfiguration', key ? { key } : {});
const change = (id: string, key: string, value: string) => h.csms.command(id, 'ChangeConfiguration', { key, value });

// §9.1 Core Profile keys that are required (optional ones may be present too).
const REQUIRED_CORE = {
  AuthorizeRemoteTxRequests: false,
  ClockAlignedDataInterval: false,
  ConnectionTimeOut: false,
  ConnectorPhaseRotation: false,
  GetConfigurationMaxKeys: true,
  HeartbeatInterval: false,
  LocalAuthorizeOffline: false,
  LocalPreAuthorize: false,
  MeterValuesAlignedData: false,
  MeterValuesSampledData: false,
  MeterValueSampleInterval: false,
  NumberOfConnectors: true,
  ResetRetries: false,
  StopTransactionOnEVSideDisconnect: false,
  StopTransactionOnInvalidId: false,
  StopTxnAlignedData: false,
  StopTxnSampledData: false,
  SupportedFeatureProfiles: true,
  TransactionMessageAttempts: false,
  TransactionMessageRetryInterval: false,
  UnlockConnectorOnEVSideDisconnect: false,
};

describe('reading the configuration', () => {
  test('every required Core key is reported with its accessibility, and SupportedFeatureProfiles and NumberOfConnectors are read-only', async () => {
    const cp = await h.connected({ connectors: 2 });
    const { configurationKey } = await get(cp.chargePointId);
    const byKey = new Map(configurationKey.map((k: any) => [k.key, k]));
    for (const [key, readonly] of Object.entries(REQUIRED_CORE)) expect(byKey.get(key)).toMatchObject({ key, readonly });
    expect(byKey.get('NumberOfConnectors')).toEqual({ key: 'NumberOfConnectors', readonly: true, value: '2' });
    expect(byKey.get('SupportedFeatureProfiles')).toEqual({ key: 'SupportedFeatureProfiles', readonly: true, value: 'Core,FirmwareManagement,RemoteTrigger' });
    // §9.4 keys only when Smart Charging is declared.
    expect(byKey.has('ChargeProfileMaxStackLevel')).toBe(false);
  });

  test('a declared profile adds its keys (§9.2 Local Auth List, §9.3 Reservation, §9.4 Smart Charging)', async () => {
    const cp = await h.connected({ featureProfiles: ['Core', 'LocalAuthListManagement', 'Reservation', 'SmartCharging'] });
    const answer = await get(cp.chargePointId, ['SupportedFeatureProfiles', 'LocalAuthListMaxLength', 'ReserveConnectorZeroSupported', 'ChargeProfileMaxStackLevel', 'ChargingScheduleAllowedChargingRateUnit']);
    expect(answer.unknownKey).toBeUndefined();
    expect(answer.configurationKey).toEqual([
      { key: 'SupportedFeatureProfiles', readonly: true, value: 'Core,LocalAuthListManagement,Reservation,SmartCharging' },
      { key: 'LocalAuthListMaxLength', readonly: true, value: '100' },
      { key: 'ReserveConnectorZeroSupported', readonly: true, value: 'false' },
      { key: 'ChargeProfileMaxStackLevel', readonly: true, value: '8' },
      { key: 'ChargingScheduleAllowedChargingRateUnit', readonly: true, value: 'Current,Power' },
    ]);
  });

  test('GetConfigurationMaxKeys limits how many keys one request may name, not a request for all keys', async () => {
    const cp = await h.connected({ configuration: { GetConfigurationMaxKeys: '2' } });
    await expect(get(cp.chargePointId, ['HeartbeatInterval', 'ConnectionTimeOut', 'ResetRetries'])).rejects.toMatchObject({ rpcErrorCode: 'OccurrenceConstraintViolation' });  // the OCPP-J 1.6 errata spelling
    await expect(get(cp.chargePointId, ['HeartbeatInterval', 'NoSuchKey'])).resolves.toEqual({
      configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }],
      unknownKey: ['NoSuchKey'],
    });
    expect((await get(cp.chargePointId)).configurationKey.length).toBeGreaterThan(20);
  });

  test('a test can preset values and make any key read-only', async () => {
    const cp = await h.connected({ configuration: { ConnectionTimeOut: '45', VendorKey: 'x' }, readonlyKeys: ['HeartbeatInterval'] });
    expect((await get(cp.chargePointId, ['ConnectionTimeOut', 'VendorKey', 'HeartbeatInterval'])).configurationKey).toEqual([
      { key: 'ConnectionTimeOut', readonly: false, value: '45' },
      { key: 'VendorKey', readonly: false, value: 'x' },
      { key: 'HeartbeatInterval', readonly: true, value: '300' },
    ]);
    await expect(change(cp.chargePointId, 'HeartbeatInterval', '30')).resolves.toEqual({ status: 'Rejected' });
  });
});

describe('changing the configuration', () => {
  test.each([
    ['a read-only key', 'NumberOfConnectors', '4', 'Rejected'],
    ['an unknown key', 'NoSuchKey', '1', 'NotSupported'],
    ['a boolean key with a non-boolean value', 'LocalPreAuthorize', 'yes', 'Rejected'],
    ['an integer key with a negative value', 'ConnectionTimeOut', '-5', 'Rejected'],
    ['an integer key with a fraction', 'HeartbeatInterval', '1.5', 'Rejected'],
    ['a percentage above 100', 'LightIntensity', '101', 'Rejected'],
    ['a measurand list with an unknown measurand', 'StopTxnSampledData', 'Energy.Active.Import.Register,Nonsense', 'Rejected'],
    ['a measurand list with a repeated measurand', 'MeterValuesAlignedData', 'Voltage,Voltage', 'Rejected'],
    ['a valid OCPP measurand this meter cannot sample', 'MeterValuesSampledData', 'Frequency', 'Rejected'],
    ['a phase rotation that is not <connector>.<rotation>', 'ConnectorPhaseRotation', '1.XYZ', 'Rejected'],
  ])('%s is answered %s... and the value stays', async (_what, key, value, status) => {
    const cp = await h.connected();
    const before = cp.configuration.get(key);
    await expect(change(cp.chargePointId, key, value)).resolves.toEqual({ status });
    expect(cp.configuration.get(key)).toBe(before);
  });

  test('valid values are Accepted and stored: booleans case-insensitively, CSLs trimmed', async () => {
    const cp = await h.connected();
    await expect(change(cp.chargePointId, 'LocalPreAuthorize', 'TRUE')).resolves.toEqual({ status: 'Accepted' });
    await expect(change(cp.chargePointId, 'StopTxnSampledData', 'Energy.Active.Import.Register, Power.Active.Import')).resolves.toEqual({ status: 'Accepted' });
    await expect(change(cp.chargePointId, 'ConnectorPhaseRotation', '0.RST,1.NotApplicable')).resolves.toEqual({ status: 'Accepted' });
    expect((await get(cp.chargePointId, ['LocalPreAuthorize', 'StopTxnSampledData'])).configurationKey.map((k: any) => k.value)).toEqual([
      'true',
      'Energy.Active.Import.Register,Power.Active.Import',
    ]);
  });

  test('a reboot-required key answers RebootRequired, keeps its value until the charger reboots, then has the new one', async () => {
    const cp = await h.connected({ rebootRequiredKeys: ['ConnectionTimeOut'] });
    await expect(change(cp.chargePointId, 'ConnectionTimeOut', '90')).resolves.toEqual({ status: 'RebootRequired' });
    expect((await get(cp.chargePointId, ['ConnectionTimeOut'])).configurationKey[0].value).toBe('60');
    // RebootRequired still validates the value (§5.3: "setting has been changed" only for a valid one).
    await expect(change(cp.chargePointId, 'ConnectionTimeOut', 'soon')).resolves.toEqual({ status: 'Rejected' });
    const booted = cp.waitFor('booted');
    await expect(h.csms.command(cp.chargePointId, 'Reset', { type: 'Soft' })).resolves.toEqual({ status: 'Accepted' });
    await booted;
    expect((await get(cp.chargePointId, ['ConnectionTimeOut'])).configurationKey[0].value).toBe('90');
  });
});

describe('changes take effect', () => {
  test('MeterValueSampleInterval sets how often MeterValues go out during a transaction, 0 stops them', async () => {
    const cp = await h.connected({ autoMeterValues: true, secondMs: 20, configuration: { MeterValueSampleInterval: '5' } });
    const { transactionId } = await cp.startTransaction(1, 'TAG');
    const mv = () => h.csms.received(cp.chargePointId, ['MeterValues']);
    await sleep(330); // 100 ms interval
    const slow = mv().length;
    expect(slow).toBeGreaterThanOrEqual(2);
    expect(slow).toBeLessThanOrEqual(4);
    expect(mv()[0].params).toMatchObject({ connectorId: 1, transactionId });
    expect(mv()[0].params.meterValue[0].sampledValue[0].context).toBe('Sample.Periodic');
    await expect(change(cp.chargePointId, 'MeterValueSampleInterval', '1')).resolves.toEqual({ status: 'Accepted' });
    await sleep(330); // 20 ms interval
    const fast = mv().length - slow;
    expect(fast).toBeGreaterThanOrEqual(8);
    await expect(change(cp.chargePointId, 'MeterValueSampleInterval', '0')).resolves.toEqual({ status: 'Accepted' });
    await sleep(50);
    const stoppedAt = mv().length;
    await sleep(150);
    expect(mv().length).toBe(stoppedAt);
  });

  test('the periodic samples carry the MeterValuesSampledData measurands and advance the register by power × interval', async () => {
    const cp = await h.connected({ autoMeterValues: true, secondMs: 10, meterStartWh: 1000, configuration: { MeterValueSampleInterval: '6' } });
    await change(cp.chargePointId, 'MeterValuesSampledData', 'Energy.Active.Import.Register,Power.Active.Import');
    await cp.startTransaction(1, 'TAG');
    cp.setPower(1, 6000);
    const first = await h.next(cp.chargePointId, (c) => c.action === 'MeterValues');
    // 6 kW for 6 s = 10 Wh per sample
    expect(first.params.meterValue[0].sampledValue.map((v: any) => [v.measurand, v.value])).toEqual([
      ['Energy.Active.Import.Register', '1010'],
      ['Power.Active.Import', '6000'],
    ]);
  });

  test('HeartbeatInterval changes the heartbeat period at once', async () => {
    const cp = await h.connected({ secondMs: 20 });
    await sleep(100);
    expect(h.csms.received(cp.chargePointId, ['Heartbeat'])).toHaveLength(0); // 300 × 20 ms
    await expect(change(cp.chargePointId, 'HeartbeatInterval', '3')).resolves.toEqual({ status: 'Accepted' });
    await sleep(340); // one per 60 ms
    expect(h.csms.received(cp.chargePointId, ['Heartbeat']).length).toBeGreaterThanOrEqual(3);
  });

  test('StopTxnSampledData decides what StopTransaction carries in transactionData; empty leaves it out', async () => {
    const cp = await h.connected({ meterStartWh: 500 });
    await change(cp.chargePointId, 'StopTxnSampledData', 'Energy.Active.Import.Register,Voltage');
    await cp.startTransaction(1, 'TAG');
    cp.setMeterRegister(1, 800);
    await cp.stopTransaction(1);
    const [stop] = h.csms.received(cp.chargePointId, ['StopTransaction']);
    expect(stop.params.transactionData.map((m: any) => m.sampledValue.map((v: any) => `${v.context}/${v.measurand}=${v.value}`))).toEqual([
      ['Transaction.Begin/Energy.Active.Import.Register=500', 'Transaction.Begin/Voltage=230'],
      ['Transaction.End/Energy.Active.Import.Register=800', 'Transaction.End/Voltage=230'],
    ]);

    await change(cp.chargePointId, 'StopTxnSampledData', '');
    await cp.startTransaction(1, 'TAG');
    await cp.stopTransaction(1);
    expect(h.csms.received(cp.chargePointId, ['StopTransaction'])[1].params.transactionData).toBeUndefined();
  });

  test('ConnectionTimeOut cancels a remote start whose plug does not come: Preparing, then Available, no transaction', async () => {
    const cp = await h.connected({ secondMs: 20, plugDelayMs: 2000, configuration: { ConnectionTimeOut: '5' } });
    const from = h.csms.received(cp.chargePointId).length;
    const t0 = Date.now();
    await expect(h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { connectorId: 1, idTag: 'T' })).resolves.toEqual({ status: 'Accepted' });
    const available = await h.next(cp.chargePointId, (c) => c.action === 'StatusNotification' && c.params.status === 'Available');
    expect(available.at - t0).toBeGreaterThanOrEqual(90);
    expect(available.at - t0).toBeLessThan(1000);
    expect(h.labels(cp.chargePointId, from)).toEqual(['Status:1:Preparing', 'Status:1:Available']);
    // Within the timeout the same start goes through.
    await change(cp.chargePointId, 'ConnectionTimeOut', '500');
    const started = cp.waitFor('transactionStarted');
    await h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { connectorId: 1, idTag: 'T' });
    await expect(started).resolves.toMatchObject({ connectorId: 1, idTag: 'T' });
  });
});
