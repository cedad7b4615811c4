/**
 * The contract commands against the independently written 2.0.1 simulator
 * (src/simulator/v201/charging-station.ts) through gateway.commands: its device model answers the
 * configuration translations (limits, read-only variables, valuesList, ItemsPerMessage), its
 * behaviour the rest.
 */
import { planSocReporting, sampledDataKey, sampledDataMaxLengthKey } from '../../../src/ocpp/soc-configuration';
import { planConfiguration, stationFacts } from '../../../src/ocpp/configuration-plan';
import { SimulatedChargingStation201, type SimulatedChargingStation201Options } from '../../../src/simulator/v201/charging-station';
import { commandFailure, createGatewayHarness, eventually, PASSWORD, type GatewayHarness } from '../support/gateway-harness';

describe('contract commands to the 2.0.1 simulator', () => {
  let h: GatewayHarness;
  const stations: SimulatedChargingStation201[] = [];

  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.start({ GATEWAY_COMMAND_TIMEOUT_MS: '3000' });
    await h.addIdTag('DRIVER1');
  });
  afterAll(async () => {
    for (const s of stations) await s.close().catch(() => undefined);
    await h.close();
  });

  async function station(stationId: string, options: Partial<SimulatedChargingStation201Options> = {}): Promise<SimulatedChargingStation201> {
    await h.addCharger(stationId);
    const s = new SimulatedChargingStation201({ url: h.gateway.url, stationId, password: PASSWORD, evses: 2, callTimeoutMs: 3000, ...options });
    stations.push(s);
    await expect(s.connect()).resolves.toMatchObject({ status: 'Accepted' });
    return s;
  }
  const requests = (s: SimulatedChargingStation201, action: string) => s.received.filter((r) => r.action === action).map((r) => r.payload as any);

  it('a whole read fits one GetVariables and gives what the reconciliation needs: connectors, profiles, the sampled-data keys', async () => {
    const s = await station('SIM_READALL');
    const read = await h.gateway.commands.getConfiguration({ stationId: 'SIM_READALL' });
    expect(requests(s, 'GetVariables')).toHaveLength(1);
    expect(stationFacts(read)).toEqual({ featureProfiles: ['Core', 'FirmwareManagement', 'RemoteTrigger', 'LocalAuthListManagement', 'Reservation', 'SmartCharging'], numberOfConnectors: 2 });
    const byKey = Object.fromEntries(read.configurationKey.map((k) => [k.key, k]));
    expect(byKey.MeterValuesSampledData).toMatchObject({ readonly: false, value: s.variable('SampledDataCtrlr.TxUpdatedMeasurands') });
    expect(byKey.ChargingScheduleAllowedChargingRateUnit).toEqual({ key: 'ChargingScheduleAllowedChargingRateUnit', readonly: true, value: 'Current,Power' });
    expect(byKey.LocalAuthListEnabled).toEqual({ key: 'LocalAuthListEnabled', readonly: false, value: 'true' });
  });

  it('the reconciliation plan for the network defaults goes through SetVariables and the simulator takes it', async () => {
    const s = await station('SIM_PLAN');
    const read = await h.gateway.commands.getConfiguration({ stationId: 'SIM_PLAN' });
    const plan = planConfiguration(
      [
        { key: 'MeterValueSampleInterval', value: '30', source: 'network_default' },
        { key: 'StopTxnSampledData', value: 'Energy.Active.Import.Register', source: 'network_default' },
        { key: 'HeartbeatInterval', value: '300', source: 'network_default' },
        { key: 'ConnectionTimeOut', value: '120', source: 'network_default' },
      ],
      read,
    );
    expect(plan.drift).toEqual([]);
    for (const change of plan.changes) {
      await expect(h.gateway.commands.changeConfiguration({ stationId: 'SIM_PLAN', key: change.key, value: change.value })).resolves.toEqual({ status: 'Accepted' });
    }
    expect(s.variable('SampledDataCtrlr.TxUpdatedInterval')).toBe('30');
    expect(s.variable('OCPPCommCtrlr.HeartbeatInterval')).toBe('300');
    expect(s.variable('TxCtrlr.EVConnectionTimeOut')).toBe('120');
    expect(s.variable('SampledDataCtrlr.TxEndedMeasurands')?.split(',')).toContain('Energy.Active.Import.Register');
  });

  it('the SoC step adds SoC to TxUpdatedMeasurands and keeps what was there; a station whose EV has no SoC rejects it', async () => {
    const s = await station('SIM_SOC', { variables: { 'SampledDataCtrlr.TxUpdatedMeasurands': 'Energy.Active.Import.Register,Power.Active.Import' } });
    const plan = planSocReporting(await h.gateway.commands.getConfiguration({ stationId: 'SIM_SOC', key: [sampledDataKey, sampledDataMaxLengthKey] }));
    expect(plan).toEqual({ action: 'change', value: 'Energy.Active.Import.Register,Power.Active.Import,SoC', measurands: ['Energy.Active.Import.Register', 'Power.Active.Import'] });
    await expect(h.gateway.commands.changeConfiguration({ stationId: 'SIM_SOC', key: sampledDataKey, value: plan.action === 'change' ? plan.value : '' })).resolves.toEqual({ status: 'Accepted' });
    expect(s.variable('SampledDataCtrlr.TxUpdatedMeasurands')).toBe('Energy.Active.Import.Register,Power.Active.Import,SoC');

    const noSoc = await station('SIM_NO_SOC', { supportsSoc: false });
    const before = noSoc.variable('SampledDataCtrlr.TxUpdatedMeasurands');
    const noSocPlan = planSocReporting(await h.gateway.commands.getConfiguration({ stationId: 'SIM_NO_SOC', key: [sampledDataKey, sampledDataMaxLengthKey] }));
    expect(noSocPlan.action).toBe('change');
    await expect(h.gateway.commands.changeConfiguration({ stationId: 'SIM_NO_SOC', key: sampledDataKey, value: noSocPlan.action === 'change' ? noSocPlan.value : '' })).resolves.toEqual({
      status: 'Rejected',
    });
    expect(noSoc.variable('SampledDataCtrlr.TxUpdatedMeasurands')).toBe(before);
  });

  it('a read-only variable is Rejected, an unknown one NotSupported', async () => {
    await station('SIM_SET_LIMITS');
    await expect(h.gateway.commands.changeConfiguration({ stationId: 'SIM_SET_LIMITS', key: 'ChargeProfileMaxStackLevel', value: '3' })).resolves.toEqual({ status: 'Rejected' });
    await expect(h.gateway.commands.changeConfiguration({ stationId: 'SIM_SET_LIMITS', key: 'NoSuchCtrlr.Thing', value: '1' })).resolves.toEqual({ status: 'NotSupported' });
  });

  it('RemoteStartTransaction: the simulator starts on the EVSE and echoes the remoteStartId', async () => {
    const s = await station('SIM_START', { plugDelayMs: 10 });
    await expect(h.gateway.commands.remoteStartTransaction({ stationId: 'SIM_START', connectorId: 2, idTag: 'DRIVER1' })).resolves.toEqual({ status: 'Accepted' });
    const [sent] = requests(s, 'RequestStartTransaction');
    expect(sent).toMatchObject({ idToken: { idToken: 'DRIVER1', type: 'Central' }, evseId: 2 });
    await eventually(async () => s.transactionId(2), (id) => id !== undefined);
    const { rows } = await h.db.pool.query('SELECT station_id, evse_id, id_token FROM ocpp201_remote_starts WHERE remote_start_id = $1', [sent.remoteStartId]);
    expect(rows).toEqual([{ station_id: 'SIM_START', evse_id: 2, id_token: 'DRIVER1' }]);
  });

  it('Reset, UnlockConnector, ChangeAvailability, TriggerMessage, GetBaseReport, UpdateFirmware and GetLog are each answered in 1.6 words', async () => {
    const s = await station('SIM_MISC', { commandBehaviour: { UpdateFirmware: 'reject' } });
    await expect(h.gateway.commands.unlockConnector({ stationId: 'SIM_MISC', connectorId: 1 })).resolves.toEqual({ status: 'Unlocked' });
    await expect(h.gateway.commands.changeAvailability({ stationId: 'SIM_MISC', connectorId: 2, type: 'Inoperative' })).resolves.toEqual({ status: 'Accepted' });
    await eventually(async () => s.status(2), (status) => status === 'Unavailable');
    await expect(h.gateway.commands.triggerMessage({ stationId: 'SIM_MISC', requestedMessage: 'StatusNotification', connectorId: 1 })).resolves.toEqual({ status: 'Accepted' });
    await expect(h.gateway.commands.getBaseReport({ stationId: 'SIM_MISC', reportBase: 'SummaryInventory' })).resolves.toMatchObject({ status: 'Accepted' });
    await expect(h.gateway.commands.getDiagnostics({ stationId: 'SIM_MISC', location: 'https://up.example.com/logs' })).resolves.toEqual(expect.any(Object));
    expect(requests(s, 'GetLog')[0]).toMatchObject({ logType: 'DiagnosticsLog', log: { remoteLocation: 'https://up.example.com/logs' } });
    const failure = await commandFailure(h.gateway.commands.updateFirmware({ stationId: 'SIM_MISC', location: 'https://fw.example.com/x.bin', retrieveDate: new Date().toISOString() }));
    expect(failure.details?.[0]).toMatchObject({ errorCode: 'GenericError', errorDetails: { status: 'Rejected' } });
    await expect(h.gateway.commands.reset({ stationId: 'SIM_MISC', type: 'Hard' })).resolves.toEqual({ status: 'Accepted' });
    expect(requests(s, 'Reset')).toEqual([{ type: 'Immediate' }]);
  });
});
