/**
 * GET/PUT of a station's configuration through the real API, the command workflow on the
 * time-skipping server, the real gateway and a simulated charger over WebSockets.
 */
import { startStack, type Stack } from '../reliability/support/stack';
import type { SimulatedChargePoint } from '../../src/simulator/charge-point';

describe('station configuration: GetConfiguration and ChangeConfiguration from the operator API', () => {
  let stack: Stack;
  let cp: SimulatedChargePoint;
  let sent: Array<{ action: string; params: any }>;

  beforeAll(async () => {
    stack = await startStack({ name: 'station-config-api', env: { SESSION_COMMAND_TIMEOUT_MS: '3000', GATEWAY_COMMAND_TIMEOUT_MS: '1000' } });
    await stack.addCharger('CP_CFG', 2);
    await stack.addCharger('CP_AWAY');
    cp = await stack.connectCharger('CP_CFG', { connectors: 2, featureProfiles: ['Core', 'RemoteTrigger'], readonlyKeys: ['LightIntensity'], configuration: { MeterValueSampleInterval: '15' } });
    sent = [];
    cp.on('call', (c: { action: string; params: any }) => sent.push(c));
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(() => {
    cp.behaviour = {};
    sent.length = 0;
  });

  const put = (key: string, value: unknown, stationId = 'CP_CFG') => stack.api.call('PUT', `/v1/operator/stations/${stationId}/configuration/${encodeURIComponent(key)}`, { body: { value } });
  const changesSent = () => sent.filter((c) => c.action === 'ChangeConfiguration');

  it('TC_019_1_CSMS: reads every configuration key with its value and accessibility', async () => {
    const res = await stack.api.call('GET', '/v1/operator/stations/CP_CFG/configuration');
    expect(res.status).toBe(200);
    expect(res.json.unknownKey).toEqual([]);
    const byKey = new Map(res.json.configurationKey.map((k: any) => [k.key, k]));
    expect(byKey.get('SupportedFeatureProfiles')).toEqual({ key: 'SupportedFeatureProfiles', value: 'Core,RemoteTrigger', readonly: true });
    expect(byKey.get('NumberOfConnectors')).toEqual({ key: 'NumberOfConnectors', value: '2', readonly: true });
    expect(byKey.get('MeterValueSampleInterval')).toEqual({ key: 'MeterValueSampleInterval', value: '15', readonly: false });
    expect(sent).toEqual([expect.objectContaining({ action: 'GetConfiguration', params: {} })]);
  });

  it('reads the keys named, and lists those the station does not know', async () => {
    const res = await stack.api.call('GET', '/v1/operator/stations/CP_CFG/configuration?key=HeartbeatInterval,NoSuchKey');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ stationId: 'CP_CFG', configurationKey: [{ key: 'HeartbeatInterval', value: '300', readonly: false }], unknownKey: ['NoSuchKey'] });
    expect(sent[0].params).toEqual({ key: ['HeartbeatInterval', 'NoSuchKey'] });
  });

  it('TC_021_CSMS: changes MeterValueSampleInterval, and the station answers Accepted', async () => {
    const res = await put('MeterValueSampleInterval', '60');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ stationId: 'CP_CFG', key: 'MeterValueSampleInterval', value: '60', status: 'Accepted' });
    expect(cp.configuration.get('MeterValueSampleInterval')).toBe('60');
    expect(changesSent().map((c) => c.params)).toEqual([{ key: 'MeterValueSampleInterval', value: '60' }]);
  });

  it('sends a value in its normal form (a boolean in lower case)', async () => {
    const res = await put('LocalPreAuthorize', 'TRUE');
    expect(res.json).toMatchObject({ value: 'true', status: 'Accepted' });
    expect(cp.configuration.get('LocalPreAuthorize')).toBe('true');
  });

  it('answers RebootRequired as data: the value waits for the next boot', async () => {
    cp.configuration.requireReboot('ClockAlignedDataInterval');
    const res = await put('ClockAlignedDataInterval', '900');
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('RebootRequired');
    expect(cp.configuration.get('ClockAlignedDataInterval')).toBe('0');
    expect(cp.configuration.pendingChanges().get('ClockAlignedDataInterval')).toBe('900');
  });

  it('answers Rejected as data: a key the station keeps read-only although the spec makes it writable', async () => {
    const res = await put('LightIntensity', '50');
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('Rejected');
    expect(cp.configuration.get('LightIntensity')).toBe('100');
  });

  it('TC_040_1_CSMS: answers NotSupported as data for a key the station does not know', async () => {
    const res = await put('Testing', 'true');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ stationId: 'CP_CFG', key: 'Testing', value: 'true', status: 'NotSupported' });
  });

  it('TC_040_2_CSMS: a station that answers ChangeConfiguration with a CALLERROR gets 422, naming its error code', async () => {
    cp.behaviour.ChangeConfiguration = 'callerror';
    const res = await put('MeterValueSampleInterval', '30');
    expect(res.status).toBe(422);
    expect(res.json.error.code).toBe('rejected');
    expect(res.json.error.message).toMatch(/InternalError/);
    expect(cp.configuration.get('MeterValueSampleInterval')).toBe('60');
  });

  it('answers 503 when the station does not answer in time, and for GetConfiguration too', async () => {
    cp.behaviour.ChangeConfiguration = 'ignore';
    cp.behaviour.GetConfiguration = 'ignore';
    const change = await put('MeterValueSampleInterval', '30');
    expect(change.status).toBe(503);
    expect(change.json.error.code).toBe('station_offline');
    const read = await stack.api.call('GET', '/v1/operator/stations/CP_CFG/configuration');
    expect(read.status).toBe(503);
  });

  it('answers 503 for an offline station and 404 for an unknown one, sending nothing', async () => {
    expect((await put('MeterValueSampleInterval', '30', 'CP_AWAY')).status).toBe(503);
    expect((await stack.api.call('GET', '/v1/operator/stations/CP_AWAY/configuration')).status).toBe(503);
    expect((await put('MeterValueSampleInterval', '30', 'CP_NOBODY')).status).toBe(404);
    expect(sent).toEqual([]);
  });

  it('refuses a key that is read-only by the spec with 409, before sending', async () => {
    const res = await put('NumberOfConnectors', '4');
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe('configuration_key_readonly');
    expect(res.json.error.message).toMatch(/NumberOfConnectors is read-only/);
    expect(changesSent()).toEqual([]);
  });

  it('refuses a key the station reported read-only at its last reconciliation with 409, before sending', async () => {
    // What the reconciliation stored from the station's GetConfiguration answer.
    await stack.db.pool.query(
      `INSERT INTO station_configuration (station_id, keys, last_result) VALUES ('CP_CFG', '[{"key":"LightIntensity","readonly":true,"value":"100"}]', 'in_sync')`,
    );
    try {
      const res = await put('LightIntensity', '50');
      expect(res.status).toBe(409);
      expect(res.json.error.message).toMatch(/read-only on station CP_CFG/);
      expect(changesSent()).toEqual([]);
    } finally {
      await stack.db.pool.query(`DELETE FROM station_configuration WHERE station_id = 'CP_CFG'`);
    }
  });

  it.each([
    ['a word for an integer', 'HeartbeatInterval', 'soon', 'body.value', /HeartbeatInterval is an integer/],
    ['a negative integer', 'MeterValueSampleInterval', '-1', 'body.value', /whole number of 0 or more/],
    ['yes for a boolean', 'LocalPreAuthorize', 'yes', 'body.value', /true or false/],
    ['a measurand OCPP does not have', 'MeterValuesSampledData', 'Energy.Active.Import.Register,Banana', 'body.value', /"Banana" is not an OCPP 1.6 measurand/],
    ['a value over 500 characters', 'VendorKey', 'x'.repeat(501), 'body.value', /500/],
    ['a key over 50 characters', 'K'.repeat(51), '1', 'params.key', /50/],
    ['a value that is not text', 'HeartbeatInterval', 300, 'body.value', /string/],
  ])('refuses %s with 400 naming the field, sending nothing', async (_what, key, value, field, problem) => {
    const res = await put(key, value);
    expect(res.status).toBe(400);
    const detail = res.json.error.details.find((d: any) => d.field === field);
    expect(detail?.problem).toMatch(problem);
    expect(changesSent()).toEqual([]);
  });

  it("refuses more keys than the station's GetConfigurationMaxKeys (as last read) with 400, before asking", async () => {
    await stack.db.pool.query(
      `INSERT INTO station_configuration (station_id, keys, last_result) VALUES ('CP_CFG', '[{"key":"GetConfigurationMaxKeys","readonly":true,"value":"2"}]', 'in_sync')`,
    );
    try {
      const res = await stack.api.call('GET', '/v1/operator/stations/CP_CFG/configuration?key=HeartbeatInterval,BlinkRepeat,ResetRetries');
      expect(res.status).toBe(400);
      expect(res.json.error.details[0]).toEqual({ field: 'query.key', problem: expect.stringMatching(/at most 2 keys/) });
      expect(sent).toEqual([]);
    } finally {
      await stack.db.pool.query(`DELETE FROM station_configuration WHERE station_id = 'CP_CFG'`);
    }
  });

  it('refuses a list longer than the station allows (its …MaxLength as last read) with 400', async () => {
    await stack.db.pool.query(
      `INSERT INTO station_configuration (station_id, keys, last_result) VALUES ('CP_CFG', '[{"key":"MeterValuesSampledDataMaxLength","readonly":true,"value":"1"}]', 'in_sync')`,
    );
    try {
      const res = await put('MeterValuesSampledData', 'Energy.Active.Import.Register,SoC');
      expect(res.status).toBe(400);
      expect(res.json.error.details[0]).toEqual({ field: 'body.value', problem: expect.stringMatching(/at most 1 elements/) });
    } finally {
      await stack.db.pool.query(`DELETE FROM station_configuration WHERE station_id = 'CP_CFG'`);
    }
  });

  it('refuses commands of a profile the station does not report with 409 feature_profile_not_supported', async () => {
    // A station whose SupportedFeatureProfiles (as read by the reconciliation) leaves out Core.
    await stack.db.pool.query(`INSERT INTO station_configuration (station_id, supported_feature_profiles, last_result) VALUES ('CP_CFG', '{FirmwareManagement}', 'in_sync')`);
    try {
      for (const res of [
        await stack.api.call('GET', '/v1/operator/stations/CP_CFG/configuration'),
        await put('MeterValueSampleInterval', '30'),
        await stack.api.call('POST', '/v1/operator/stations/CP_CFG/reset', { body: { type: 'Soft' } }),
        await stack.api.call('POST', '/v1/operator/stations/CP_CFG/unlock', { body: { connectorId: 1 } }),
      ]) {
        expect(res.status).toBe(409);
        expect(res.json.error.code).toBe('feature_profile_not_supported');
        expect(res.json.error.message).toBe('station CP_CFG does not support the Core feature profile (its SupportedFeatureProfiles: FirmwareManagement)');
      }
      expect(sent).toEqual([]);
    } finally {
      await stack.db.pool.query(`DELETE FROM station_configuration WHERE station_id = 'CP_CFG'`);
    }
  });
});

describe('desired configuration: what operators declare', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ name: 'desired-config-api' });
    await stack.addCharger('CP_D1');
  });
  afterAll(async () => {
    await stack?.close();
  });
  const declare = (body: object) => stack.api.call('PUT', '/v1/operator/desired-configuration', { body });

  it('declares an entry per scope, replaces it when declared again, lists and removes it', async () => {
    const all = await declare({ scope: 'all', key: 'MeterValueSampleInterval', value: '030' });
    expect(all.status).toBe(200);
    expect(all.json).toMatchObject({ scope: 'all', vendor: null, model: null, stationId: null, key: 'MeterValueSampleInterval', value: '30' });
    const again = await declare({ scope: 'all', key: 'MeterValueSampleInterval', value: '20' });
    expect(again.json).toMatchObject({ id: all.json.id, value: '20' });
    const group = await declare({ scope: 'group', vendor: 'Acme', key: 'LocalPreAuthorize', value: 'true' });
    const station = await declare({ scope: 'station', stationId: 'CP_D1', key: 'VendorFan', value: 'on' });
    expect([group.status, station.status]).toEqual([200, 200]);
    const list = await stack.api.call('GET', '/v1/operator/desired-configuration');
    expect(list.json.entries.map((e: any) => [e.scope, e.key, e.value])).toEqual([
      ['group', 'LocalPreAuthorize', 'true'],
      ['all', 'MeterValueSampleInterval', '20'],
      ['station', 'VendorFan', 'on'],
    ]);
    expect((await stack.api.call('DELETE', `/v1/operator/desired-configuration/${group.json.id}`)).status).toBe(204);
    expect((await stack.api.call('DELETE', `/v1/operator/desired-configuration/${group.json.id}`)).status).toBe(404);
  });

  it.each([
    ['scope all with a vendor', { scope: 'all', vendor: 'Acme', key: 'BlinkRepeat', value: '1' }, 'body.vendor'],
    ['scope group without vendor or model', { scope: 'group', key: 'BlinkRepeat', value: '1' }, 'body.vendor'],
    ['scope station without a station', { scope: 'station', key: 'BlinkRepeat', value: '1' }, 'body.stationId'],
    ['a read-only key', { scope: 'all', key: 'NumberOfConnectors', value: '2' }, 'body.key'],
    ['HeartbeatInterval, which the gateway decides', { scope: 'all', key: 'HeartbeatInterval', value: '60' }, 'body.key'],
    ['a value of the wrong type', { scope: 'all', key: 'BlinkRepeat', value: 'often' }, 'body.value'],
    ['an unknown scope', { scope: 'everywhere', key: 'BlinkRepeat', value: '1' }, 'body.scope'],
  ])('refuses %s with 400 naming the field', async (_what, body, field) => {
    const res = await declare(body);
    expect(res.status).toBe(400);
    expect(res.json.error.details.map((d: any) => d.field)).toContain(field);
  });

  it('answers 404 for an entry of a station that is not registered', async () => {
    expect((await declare({ scope: 'station', stationId: 'CP_NOBODY', key: 'BlinkRepeat', value: '1' })).status).toBe(404);
  });
});
