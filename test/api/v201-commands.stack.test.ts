/**
 * An OCPP 2.0.1 station on the whole stack (time-skipping Temporal, session worker, gateway, API,
 * PostgreSQL, a raw 2.0.1 socket answering like a station): the unchanged workflows and operator
 * paths reach it through the command translations — the configuration reconciliation after its
 * boot (GetVariables / SetVariables), SoC enabled through the API (TxUpdatedMeasurands keeps what
 * is configured and adds SoC), and GetBaseReport.
 */
import { chargerPassword, startStack, type Stack } from '../reliability/support/stack';
import { deviceModel, ScriptedStation201 } from '../gateway/v201/support/scripted-station';

describe('an OCPP 2.0.1 station through the unchanged workflows and operator API', () => {
  let stack: Stack;
  const stations: ScriptedStation201[] = [];

  beforeAll(async () => {
    stack = await startStack({
      name: 'v201-commands',
      stationEvents: true,
      env: { SESSION_COMMAND_TIMEOUT_MS: '3000', GATEWAY_COMMAND_TIMEOUT_MS: '1500', STATION_METER_VALUE_SAMPLE_INTERVAL_S: '30', LOG_LEVEL: process.env.STACK_LOG ?? 'silent' },
    });
  });
  afterAll(async () => {
    for (const s of stations) s.close();
    await stack?.close();
  });

  async function station(id: string, model = deviceModel({ 'TxCtrlr.EVConnectionTimeOut': { value: '60' } })) {
    await stack.addCharger(id, 2);
    const s = await ScriptedStation201.connect(stack.gateway.url, id, chargerPassword, model);
    stations.push(s);
    const reconciled = await stack.eventually(
      `${id}'s configuration reconciled`,
      async () => (await stack.db.pool.query('SELECT * FROM station_configuration WHERE station_id = $1', [id])).rows[0],
      (row) => row?.last_result != null,
    );
    return { s, reconciled };
  }

  it("reconciles the station's configuration after its boot: reads it with GetVariables, sets the network's defaults with SetVariables", async () => {
    const { s, reconciled } = await station('CS_RECONCILE', deviceModel({ 'TxCtrlr.EVConnectionTimeOut': { value: '60' }, 'OCPPCommCtrlr.HeartbeatInterval': { value: '45' } }));
    expect(reconciled).toMatchObject({
      last_result: 'in_sync',
      number_of_connectors: 2,
      supported_feature_profiles: ['Core', 'FirmwareManagement', 'RemoteTrigger', 'LocalAuthListManagement', 'SmartCharging'],
    });
    expect(s.deviceModel.get('SampledDataCtrlr.TxUpdatedInterval')?.value).toBe('30');
    expect(s.deviceModel.get('OCPPCommCtrlr.HeartbeatInterval')?.value).toBe('300'); // GATEWAY_HEARTBEAT_INTERVAL_S
    // The measurand list is a minimum: what was configured stays.
    expect(s.deviceModel.get('SampledDataCtrlr.TxEndedMeasurands')?.value?.split(',')).toContain('Energy.Active.Import.Register');
    expect(s.requests.filter((r) => r.action === 'SetVariables').length).toBeGreaterThan(0);
  });

  it('enables SoC through the API: SetVariables TxUpdatedMeasurands keeps the configured measurands and adds SoC', async () => {
    const { s } = await station('CS_SOC_API');
    const before = await stack.api.call('GET', '/v1/stations/CS_SOC_API/soc');
    expect(before.status).toBe(200);
    expect(before.json).toMatchObject({ supported: true, enabled: false, measurands: ['Energy.Active.Import.Register', 'Power.Active.Import'] });
    const res = await stack.api.call('POST', '/v1/stations/CS_SOC_API/soc');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ stationId: 'CS_SOC_API', status: 'accepted' });
    expect(s.last('SetVariables')).toEqual({
      setVariableData: [{ component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedMeasurands' }, attributeValue: 'Energy.Active.Import.Register,Power.Active.Import,SoC' }],
    });
    const again = await stack.api.call('POST', '/v1/stations/CS_SOC_API/soc');
    expect(again.json).toEqual({ stationId: 'CS_SOC_API', status: 'already_enabled' });
  });

  it("a station whose TxUpdatedMeasurands cannot hold SoC answers Rejected, and its list stays as it was", async () => {
    const { s } = await station(
      'CS_SOC_NO',
      deviceModel({ 'TxCtrlr.EVConnectionTimeOut': { value: '60' }, 'SampledDataCtrlr.TxUpdatedMeasurands': { value: 'Energy.Active.Import.Register', valuesList: ['Energy.Active.Import.Register', 'Power.Active.Import'] } }),
    );
    const res = await stack.api.call('POST', '/v1/stations/CS_SOC_NO/soc');
    expect(res.json).toEqual({ stationId: 'CS_SOC_NO', status: 'rejected' });
    expect(s.deviceModel.get('SampledDataCtrlr.TxUpdatedMeasurands')?.value).toBe('Energy.Active.Import.Register');
  });

  it('GetBaseReport: a 2.0.1 station answers with the requestId its NotifyReport will carry; a 1.6 station is refused (409), nothing sent', async () => {
    const { s } = await station('CS_BASE_REPORT');
    s.answers.GetBaseReport = () => ({ status: 'Accepted' });
    const res = await stack.api.call('POST', '/v1/operator/stations/CS_BASE_REPORT/base-report', { body: { reportBase: 'ConfigurationInventory' } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ stationId: 'CS_BASE_REPORT', reportBase: 'ConfigurationInventory', status: 'Accepted', requestId: expect.any(Number) });
    expect(s.last('GetBaseReport')).toEqual({ requestId: res.json.requestId, reportBase: 'ConfigurationInventory' });

    await stack.addCharger('CP16_BASE_REPORT');
    await stack.connectCharger('CP16_BASE_REPORT');
    const refused = await stack.api.call('POST', '/v1/operator/stations/CP16_BASE_REPORT/base-report', { body: {} });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ code: 'not_ocpp201' });
  });
});
