/**
 * The contract commands (1.6 words) as a 2.0.1 station gets them, over a real socket through
 * gateway.commands (the functions the Temporal activities are): each translation's frame on the
 * wire (ocpp-rpc's strict mode validates it against the 2.0.1 schema before it leaves) and its
 * answer read back in 1.6's words.
 */
import { planSocReporting, sampledDataKey, sampledDataMaxLengthKey } from '../../../src/ocpp/soc-configuration';
import { translateCommand201 } from '../../../src/gateway/commands/v201';
import { InMemoryStorage } from '../support/in-memory-storage';
import { commandFailure, createGatewayHarness, PASSWORD, type GatewayHarness } from '../support/gateway-harness';
import { deviceModel, measurands, ScriptedStation201 } from './support/scripted-station';

describe('contract commands to an OCPP 2.0.1 station', () => {
  let h: GatewayHarness;
  const stations: ScriptedStation201[] = [];
  const connect = async (id: string, model = deviceModel()) => {
    await h.addCharger(id);
    const station = await ScriptedStation201.connect(h.gateway.url, id, PASSWORD, model);
    stations.push(station);
    return station;
  };

  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.start();
  });
  afterAll(async () => {
    for (const s of stations) s.close();
    await h.close();
  });

  describe('RemoteStartTransaction → RequestStartTransaction (F01)', () => {
    it('sends the id tag as a Central token on the EVSE with a recorded remoteStartId, and passes the answer through (TC_F_01_CSMS)', async () => {
      const station = await connect('CS_START');
      station.answers.RequestStartTransaction = () => ({ status: 'Accepted' });
      await expect(h.gateway.commands.remoteStartTransaction({ stationId: 'CS_START', connectorId: 2, idTag: 'DRIVER1' })).resolves.toEqual({ status: 'Accepted' });
      const sent = station.last('RequestStartTransaction');
      expect(sent).toEqual({ idToken: { idToken: 'DRIVER1', type: 'Central' }, evseId: 2, remoteStartId: expect.any(Number) });
      const { rows } = await h.db.pool.query('SELECT station_id, evse_id, id_token FROM ocpp201_remote_starts WHERE remote_start_id = $1', [sent.remoteStartId]);
      expect(rows).toEqual([{ station_id: 'CS_START', evse_id: 2, id_token: 'DRIVER1' }]);

      station.answers.RequestStartTransaction = () => ({ status: 'Rejected' });
      await expect(h.gateway.commands.remoteStartTransaction({ stationId: 'CS_START', idTag: 'DRIVER1' })).resolves.toEqual({ status: 'Rejected' });
      const second = station.last('RequestStartTransaction');
      expect(second).not.toHaveProperty('evseId');
      expect(second.remoteStartId).toBeGreaterThan(sent.remoteStartId);
    });

    it("carries a TxProfile in 2.0.1's form, without a transaction id (the transaction does not exist yet)", async () => {
      const station = await connect('CS_START_PROFILE');
      station.answers.RequestStartTransaction = () => ({ status: 'Accepted' });
      const chargingProfile = {
        chargingProfileId: 7,
        stackLevel: 1,
        chargingProfilePurpose: 'TxProfile' as const,
        chargingProfileKind: 'Relative' as const,
        chargingSchedule: { chargingRateUnit: 'A' as const, chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] },
      };
      await h.gateway.commands.remoteStartTransaction({ stationId: 'CS_START_PROFILE', connectorId: 1, idTag: 'DRIVER1', chargingProfile });
      expect(station.last('RequestStartTransaction').chargingProfile).toEqual({
        id: 7,
        stackLevel: 1,
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: [{ id: 7, chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] }],
      });
    });
  });

  describe('RemoteStopTransaction → RequestStopTransaction (F03)', () => {
    it("names the station's own transaction id (TC_F_03_CSMS)", async () => {
      const station = await connect('CS_STOP');
      await h.db.pool.query(`INSERT INTO sessions (id, station_id, connector_id, origin, status) VALUES ('sess_stop201', 'CS_STOP', 1, 'app', 'charging')`);
      const { rows } = await h.db.pool.query(
        `INSERT INTO transactions (session_id, station_id, connector_id, id_tag, meter_start, start_timestamp) VALUES ('sess_stop201', 'CS_STOP', 1, 'DRIVER1', 0, now()) RETURNING id`,
      );
      const transactionId: number = rows[0].id;
      await h.db.pool.query(`INSERT INTO ocpp201_transactions (station_id, charger_transaction_id, transaction_id, evse_id) VALUES ('CS_STOP', 'tx-0f3a', $1, 1)`, [transactionId]);
      station.answers.RequestStopTransaction = () => ({ status: 'Accepted' });
      await expect(h.gateway.commands.remoteStopTransaction({ stationId: 'CS_STOP', transactionId })).resolves.toEqual({ status: 'Accepted' });
      expect(station.last('RequestStopTransaction')).toEqual({ transactionId: 'tx-0f3a' });
    });

    it('answers Rejected without sending anything for a transaction the station never reported', async () => {
      const station = await connect('CS_STOP_UNKNOWN');
      await expect(h.gateway.commands.remoteStopTransaction({ stationId: 'CS_STOP_UNKNOWN', transactionId: 999999 })).resolves.toEqual({ status: 'Rejected' });
      expect(station.requests.map((r) => r.action)).not.toContain('RequestStopTransaction');
    });
  });

  describe('GetConfiguration → GetVariables, ChangeConfiguration → SetVariables (B06, B05)', () => {
    it('reads named keys as their variables: readonly by the standard, values in 1.6 form, the rest unknown (TC_B_06_CSMS)', async () => {
      const station = await connect('CS_GETVARS');
      const answer = await h.gateway.commands.getConfiguration({
        stationId: 'CS_GETVARS',
        key: ['MeterValuesSampledData', 'HeartbeatInterval', 'ChargingScheduleAllowedChargingRateUnit', 'AuthorizeRemoteTxRequests', 'LocalAuthListMaxLength', 'VendorThing'],
      });
      expect(station.last('GetVariables').getVariableData).toEqual([
        { component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedMeasurands' } },
        { component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } },
        { component: { name: 'SmartChargingCtrlr' }, variable: { name: 'RateUnit' } },
        { component: { name: 'AuthCtrlr' }, variable: { name: 'AuthorizeRemoteStart' } },
      ]);
      expect(answer).toEqual({
        configurationKey: [
          { key: 'MeterValuesSampledData', readonly: false, value: 'Energy.Active.Import.Register,Power.Active.Import' },
          { key: 'HeartbeatInterval', readonly: false, value: '300' },
          { key: 'ChargingScheduleAllowedChargingRateUnit', readonly: true, value: 'Current,Power' },
        ],
        unknownKey: ['AuthorizeRemoteTxRequests', 'LocalAuthListMaxLength', 'VendorThing'],
      });
    });

    it('a whole read lists what the station has, with NumberOfConnectors from its EVSEs and SupportedFeatureProfiles from its controllers', async () => {
      await connect('CS_READALL');
      const { configurationKey, unknownKey } = await h.gateway.commands.getConfiguration({ stationId: 'CS_READALL' });
      const byKey = Object.fromEntries(configurationKey.map((k) => [k.key, k]));
      expect(unknownKey).toEqual([]);
      expect(byKey.NumberOfConnectors).toEqual({ key: 'NumberOfConnectors', readonly: true, value: '2' });
      // LocalAuthListCtrlr is Available; ReservationCtrlr says it is not; SmartChargingCtrlr reports only Enabled.
      expect(byKey.SupportedFeatureProfiles).toEqual({ key: 'SupportedFeatureProfiles', readonly: true, value: 'Core,FirmwareManagement,RemoteTrigger,LocalAuthListManagement,SmartCharging' });
      expect(byKey.MeterValueSampleInterval).toEqual({ key: 'MeterValueSampleInterval', readonly: false, value: '0' });
      expect(byKey.SendLocalListMaxLength).toEqual({ key: 'SendLocalListMaxLength', readonly: true, value: '100' });
      expect(byKey).not.toHaveProperty('AuthorizeRemoteTxRequests');
    });

    it("changes a key as its variable and reads SetVariables' status in ChangeConfiguration's words (TC_B_09_CSMS)", async () => {
      const station = await connect('CS_SETVARS');
      await expect(h.gateway.commands.changeConfiguration({ stationId: 'CS_SETVARS', key: 'MeterValueSampleInterval', value: '15' })).resolves.toEqual({ status: 'Accepted' });
      expect(station.last('SetVariables')).toEqual({
        setVariableData: [{ component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' }, attributeValue: '15' }],
      });
      expect(station.deviceModel.get('SampledDataCtrlr.TxUpdatedInterval')?.value).toBe('15');
      await expect(h.gateway.commands.changeConfiguration({ stationId: 'CS_SETVARS', key: 'ConnectionTimeOut', value: '90' })).resolves.toEqual({ status: 'RebootRequired' });
      await expect(h.gateway.commands.changeConfiguration({ stationId: 'CS_SETVARS', key: 'SendLocalListMaxLength', value: '5' })).resolves.toEqual({ status: 'Rejected' });
      await expect(h.gateway.commands.changeConfiguration({ stationId: 'CS_SETVARS', key: 'LocalPreAuthorize', value: 'true' })).resolves.toEqual({ status: 'NotSupported' });
    });

    it('answers derived and vendor keys as a 1.6 station would, without sending: read-only Rejected, unknown NotSupported', async () => {
      const station = await connect('CS_SETVARS_LOCAL');
      await expect(h.gateway.commands.changeConfiguration({ stationId: 'CS_SETVARS_LOCAL', key: 'NumberOfConnectors', value: '4' })).resolves.toEqual({ status: 'Rejected' });
      await expect(h.gateway.commands.changeConfiguration({ stationId: 'CS_SETVARS_LOCAL', key: 'VendorThing', value: '1' })).resolves.toEqual({ status: 'NotSupported' });
      expect(station.requests.map((r) => r.action)).not.toContain('SetVariables');
    });

    it('names a 2.0.1 variable directly as Component.Variable[Instance]', async () => {
      const station = await connect('CS_DIRECT', deviceModel({ 'OCPPCommCtrlr.MessageAttempts[TransactionEvent]': { value: '3' } }));
      const answer = await h.gateway.commands.getConfiguration({ stationId: 'CS_DIRECT', key: ['OCPPCommCtrlr.MessageAttempts[TransactionEvent]'] });
      expect(station.last('GetVariables').getVariableData).toEqual([{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'MessageAttempts', instance: 'TransactionEvent' } }]);
      expect(answer.configurationKey).toEqual([{ key: 'OCPPCommCtrlr.MessageAttempts[TransactionEvent]', readonly: false, value: '3' }]);
    });
  });

  describe("the SoC step: TxUpdatedMeasurands keeps what is configured and adds SoC, within the variable's limits", () => {
    const enableSoc = async (stationId: string) => {
      const read = await h.gateway.commands.getConfiguration({ stationId, key: [sampledDataKey, sampledDataMaxLengthKey] });
      const plan = planSocReporting(read);
      if (plan.action !== 'change') return plan;
      return { ...plan, answer: await h.gateway.commands.changeConfiguration({ stationId, key: sampledDataKey, value: plan.value }) };
    };

    it('adds SoC to the configured measurands', async () => {
      const station = await connect('CS_SOC');
      await expect(enableSoc('CS_SOC')).resolves.toMatchObject({ action: 'change', answer: { status: 'Accepted' } });
      expect(station.deviceModel.get('SampledDataCtrlr.TxUpdatedMeasurands')?.value).toBe('Energy.Active.Import.Register,Power.Active.Import,SoC');
      await expect(enableSoc('CS_SOC')).resolves.toMatchObject({ action: 'none', reason: 'already_enabled' });
    });

    it('a station whose valuesList lacks SoC, or whose maxLimit the longer list passes, rejects it and keeps its list', async () => {
      const noSoc = await connect('CS_SOC_NONE', deviceModel({ 'SampledDataCtrlr.TxUpdatedMeasurands': { value: 'Energy.Active.Import.Register', valuesList: measurands.slice(0, 4) } }));
      await expect(enableSoc('CS_SOC_NONE')).resolves.toMatchObject({ answer: { status: 'Rejected' } });
      expect(noSoc.deviceModel.get('SampledDataCtrlr.TxUpdatedMeasurands')?.value).toBe('Energy.Active.Import.Register');
      const short = await connect('CS_SOC_SHORT', deviceModel({ 'SampledDataCtrlr.TxUpdatedMeasurands': { value: 'Energy.Active.Import.Register', valuesList: measurands, maxLimit: 32 } }));
      await expect(enableSoc('CS_SOC_SHORT')).resolves.toMatchObject({ answer: { status: 'Rejected' } });
      expect(short.deviceModel.get('SampledDataCtrlr.TxUpdatedMeasurands')?.value).toBe('Energy.Active.Import.Register');
    });
  });

  describe('TriggerMessage, Reset, UnlockConnector, ChangeAvailability', () => {
    it('TriggerMessage: DiagnosticsStatusNotification is LogStatusNotification; a connector is an EVSE, a StatusNotification its connector 1 (TC_F_06_CSMS)', async () => {
      const station = await connect('CS_TRIGGER');
      station.answers.TriggerMessage = (p) => ({ status: p.requestedMessage === 'MeterValues' ? 'NotImplemented' : 'Accepted' });
      await expect(h.gateway.commands.triggerMessage({ stationId: 'CS_TRIGGER', requestedMessage: 'DiagnosticsStatusNotification' })).resolves.toEqual({ status: 'Accepted' });
      expect(station.last('TriggerMessage')).toEqual({ requestedMessage: 'LogStatusNotification' });
      await h.gateway.commands.triggerMessage({ stationId: 'CS_TRIGGER', requestedMessage: 'StatusNotification', connectorId: 2 });
      expect(station.last('TriggerMessage')).toEqual({ requestedMessage: 'StatusNotification', evse: { id: 2, connectorId: 1 } });
      await expect(h.gateway.commands.triggerMessage({ stationId: 'CS_TRIGGER', requestedMessage: 'MeterValues', connectorId: 1 })).resolves.toEqual({ status: 'NotImplemented' });
      expect(station.last('TriggerMessage')).toEqual({ requestedMessage: 'MeterValues', evse: { id: 1 } });
      await h.gateway.commands.triggerMessage({ stationId: 'CS_TRIGGER', requestedMessage: 'BootNotification', connectorId: 0 });
      expect(station.last('TriggerMessage')).toEqual({ requestedMessage: 'BootNotification' });
    });

    it('Reset: Hard is Immediate, Soft OnIdle; Scheduled reads as Accepted (TC_B_11_CSMS, TC_B_12_CSMS)', async () => {
      const station = await connect('CS_RESET');
      station.answers.Reset = (p) => ({ status: p.type === 'OnIdle' ? 'Scheduled' : 'Rejected' });
      await expect(h.gateway.commands.reset({ stationId: 'CS_RESET', type: 'Soft' })).resolves.toEqual({ status: 'Accepted' });
      expect(station.last('Reset')).toEqual({ type: 'OnIdle' });
      await expect(h.gateway.commands.reset({ stationId: 'CS_RESET', type: 'Hard' })).resolves.toEqual({ status: 'Rejected' });
      expect(station.last('Reset')).toEqual({ type: 'Immediate' });
    });

    it('UnlockConnector: the EVSE and its connector 1; a refusal during a transaction is UnlockFailed, an unknown connector NotSupported (TC_F_05_CSMS)', async () => {
      const station = await connect('CS_UNLOCK');
      const answers = ['Unlocked', 'OngoingAuthorizedTransaction', 'UnknownConnector'];
      station.answers.UnlockConnector = () => ({ status: answers.shift() });
      await expect(h.gateway.commands.unlockConnector({ stationId: 'CS_UNLOCK', connectorId: 2 })).resolves.toEqual({ status: 'Unlocked' });
      expect(station.last('UnlockConnector')).toEqual({ evseId: 2, connectorId: 1 });
      await expect(h.gateway.commands.unlockConnector({ stationId: 'CS_UNLOCK', connectorId: 2 })).resolves.toEqual({ status: 'UnlockFailed' });
      await expect(h.gateway.commands.unlockConnector({ stationId: 'CS_UNLOCK', connectorId: 9 })).resolves.toEqual({ status: 'NotSupported' });
    });

    it('ChangeAvailability: connector 0 is the whole station (no evse), another one its EVSE (TC_G_03_CSMS)', async () => {
      const station = await connect('CS_AVAIL');
      station.answers.ChangeAvailability = (p) => ({ status: p.evse ? 'Scheduled' : 'Accepted' });
      await expect(h.gateway.commands.changeAvailability({ stationId: 'CS_AVAIL', connectorId: 0, type: 'Inoperative' })).resolves.toEqual({ status: 'Accepted' });
      expect(station.last('ChangeAvailability')).toEqual({ operationalStatus: 'Inoperative' });
      await expect(h.gateway.commands.changeAvailability({ stationId: 'CS_AVAIL', connectorId: 2, type: 'Operative' })).resolves.toEqual({ status: 'Scheduled' });
      expect(station.last('ChangeAvailability')).toEqual({ operationalStatus: 'Operative', evse: { id: 2 } });
    });
  });

  describe('UpdateFirmware, GetDiagnostics → GetLog, GetBaseReport', () => {
    const requestsOf = async (stationId: string) =>
      (await h.db.pool.query('SELECT request_id, kind FROM ocpp201_requests WHERE station_id = $1 ORDER BY request_id', [stationId])).rows;

    it('UpdateFirmware carries a recorded requestId and the firmware location; a refusal fails the command (TC_L_01_CSMS)', async () => {
      const station = await connect('CS_FIRMWARE');
      station.answers.UpdateFirmware = () => ({ status: 'Accepted' });
      const retrieveDate = '2026-12-03T02:00:00.000Z';
      await expect(h.gateway.commands.updateFirmware({ stationId: 'CS_FIRMWARE', location: 'https://fw.example.com/4.3.bin', retrieveDate, retries: 2, retryInterval: 60 })).resolves.toEqual({});
      const sent = station.last('UpdateFirmware');
      expect(sent).toEqual({ requestId: expect.any(Number), firmware: { location: 'https://fw.example.com/4.3.bin', retrieveDateTime: retrieveDate }, retries: 2, retryInterval: 60 });
      expect(await requestsOf('CS_FIRMWARE')).toEqual([{ request_id: sent.requestId, kind: 'firmware' }]);

      station.answers.UpdateFirmware = () => ({ status: 'InvalidCertificate' });
      const failure = await commandFailure(h.gateway.commands.updateFirmware({ stationId: 'CS_FIRMWARE', location: 'https://fw.example.com/4.3.bin', retrieveDate }));
      expect(failure.type).toBe('OcppCallError');
      expect(failure.details?.[0]).toMatchObject({ errorCode: 'GenericError', errorDetails: { status: 'InvalidCertificate' } });
    });

    it('GetDiagnostics is GetLog of the DiagnosticsLog with the time window; the filename comes back as fileName (TC_N_01_CSMS)', async () => {
      const station = await connect('CS_LOG');
      station.answers.GetLog = () => ({ status: 'Accepted', filename: 'diag-CS_LOG.zip' });
      await expect(
        h.gateway.commands.getDiagnostics({ stationId: 'CS_LOG', location: 'https://up.example.com/d', startTime: '2026-12-01T00:00:00.000Z', stopTime: '2026-12-02T00:00:00.000Z' }),
      ).resolves.toEqual({ fileName: 'diag-CS_LOG.zip' });
      const sent = station.last('GetLog');
      expect(sent).toEqual({
        logType: 'DiagnosticsLog',
        requestId: expect.any(Number),
        log: { remoteLocation: 'https://up.example.com/d', oldestTimestamp: '2026-12-01T00:00:00.000Z', latestTimestamp: '2026-12-02T00:00:00.000Z' },
      });
      expect(await requestsOf('CS_LOG')).toEqual([{ request_id: sent.requestId, kind: 'log' }]);
      station.answers.GetLog = () => ({ status: 'Accepted' });
      await expect(h.gateway.commands.getDiagnostics({ stationId: 'CS_LOG', location: 'https://up.example.com/d' })).resolves.toEqual({});
    });

    it('GetBaseReport asks a 2.0.1 station for its device model under a recorded requestId (TC_B_07_CSMS)', async () => {
      const station = await connect('CS_REPORT');
      station.answers.GetBaseReport = () => ({ status: 'Accepted' });
      const answer = await h.gateway.commands.getBaseReport({ stationId: 'CS_REPORT', reportBase: 'FullInventory' });
      expect(station.last('GetBaseReport')).toEqual({ requestId: answer.requestId, reportBase: 'FullInventory' });
      expect(answer).toEqual({ status: 'Accepted', requestId: expect.any(Number) });
      expect(await requestsOf('CS_REPORT')).toEqual([{ request_id: answer.requestId, kind: 'report' }]);
    });

    it('GetBaseReport to a 1.6 station fails as NotSupported without being sent', async () => {
      await h.addCharger('CP16_REPORT');
      const cp = h.chargePoint({ chargePointId: 'CP16_REPORT' });
      await cp.connect();
      const failure = await commandFailure(h.gateway.commands.getBaseReport({ stationId: 'CP16_REPORT', reportBase: 'FullInventory' }));
      expect(failure.type).toBe('OcppCallError');
      expect(failure.details?.[0]).toMatchObject({ errorCode: 'NotSupported' });
    });
  });

  it('a command without a 2.0.1 translation fails as NotSupported', async () => {
    await expect(translateCommand201('NoSuchCommand', {}, { stationId: 'CS_X', storage: new InMemoryStorage() })).rejects.toMatchObject({
      code: 'OcppCallError',
      details: { errorCode: 'NotSupported' },
    });
  });
});
