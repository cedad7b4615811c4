/**
 * The station-configuration reconciliation on the whole stack: the gateway starts it after an
 * Accepted BootNotification and after a reconnect without one, the workflow runs on the session
 * worker (time-skipping server), and simulated chargers answer over real WebSockets.
 */
import { chargerPassword, startStack, type Stack } from '../reliability/support/stack';
import { SimulatedChargePoint, type SimulatedChargePointOptions } from '../../src/simulator/charge-point';
import { stationConfiguration } from '../../workflows/station-configuration';
import { requireFeatureProfile } from '../../src/api/guards/feature-profile';

describe('desired configuration is reconciled on every station', () => {
  let stack: Stack;
  const chargers: SimulatedChargePoint[] = [];

  beforeAll(async () => {
    stack = await startStack({
      name: 'config-reconcile',
      stationEvents: true,
      statusTriggerDelayMs: 300,
      // ConnectionTimeOut follows the plug-in timeout (90 s); HeartbeatInterval the gateway's (300 s).
      env: { SESSION_PLUG_IN_TIMEOUT_MS: '90000', SESSION_COMMAND_TIMEOUT_MS: '3000', GATEWAY_COMMAND_TIMEOUT_MS: '1000' },
    });
    const declare = async (body: object) => {
      const res = await stack.api.call('PUT', '/v1/operator/desired-configuration', { body });
      if (res.status !== 200) throw new Error(`declaring ${JSON.stringify(body)}: ${res.status} ${res.text}`);
    };
    await declare({ scope: 'group', vendor: 'Acme', key: 'LocalPreAuthorize', value: 'true' });
    await declare({ scope: 'group', vendor: 'Acme', model: 'Fast', key: 'LocalPreAuthorize', value: 'false' });
    await declare({ scope: 'all', key: 'BlinkRepeat', value: '2' });
    await declare({ scope: 'all', key: 'VendorFan', value: 'quiet' });
    await declare({ scope: 'all', key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register,Power.Active.Import' });
    await stack.api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
  });
  afterAll(async () => {
    for (const c of chargers) await c.close().catch(() => undefined);
    await stack?.close();
  });

  /** Registers and connects a charger, recording every command it is sent from the start. */
  async function station(id: string, options: Partial<SimulatedChargePointOptions> = {}) {
    await stack.addCharger(id, options.connectors ?? 1);
    const charger = new SimulatedChargePoint({ url: stack.gateway.url, chargePointId: id, password: chargerPassword, vendor: 'Other', model: 'X', ...options });
    chargers.push(charger);
    const sent: Array<{ action: string; params: any }> = [];
    charger.on('call', (c) => sent.push(c));
    await charger.connect();
    return { charger, sent, changes: () => sent.filter((c) => c.action === 'ChangeConfiguration').map((c) => `${c.params.key}=${c.params.value}`) };
  }

  const row = (id: string) => stack.db.pool.query('SELECT * FROM station_configuration WHERE station_id = $1', [id]).then((r) => r.rows[0]);
  /** Waits for a run that started after `since` to have been recorded. */
  const reconciled = (id: string, since: Date, result?: string) =>
    stack.eventually(`the reconciliation of ${id}`, () => row(id), (r) => Boolean(r && new Date(r.reconciled_at) >= since && (!result || r.last_result === result)));

  it('after a boot: changes what differs, never writes a read-only key, records drift and the station facts', async () => {
    const since = new Date();
    const { charger, changes } = await station('CP_R1', {
      vendor: 'Acme',
      model: 'Slow',
      connectors: 2,
      featureProfiles: ['Core', 'RemoteTrigger', 'SmartCharging'],
      configuration: { MeterValueSampleInterval: '0', StopTxnSampledData: '', MeterValuesSampledData: 'SoC' },
      readonlyKeys: ['ConnectionTimeOut'],
      rebootRequiredKeys: ['BlinkRepeat'],
    });
    const r = await reconciled('CP_R1', since);
    expect(r.last_trigger).toBe('boot');
    expect(r.last_result).toBe('drift');
    expect(r.supported_feature_profiles).toEqual(['Core', 'RemoteTrigger', 'SmartCharging']);
    expect(r.number_of_connectors).toBe(2);
    // Network defaults and the operator's entries (vendor Acme's group), each sent once; SoC is kept.
    expect(changes().sort()).toEqual([
      'BlinkRepeat=2',
      'LocalPreAuthorize=true',
      'MeterValueSampleInterval=60',
      'MeterValuesSampledData=SoC,Energy.Active.Import.Register,Power.Active.Import',
      'StopTxnSampledData=Energy.Active.Import.Register',
    ]);
    expect(charger.configuration.get('MeterValueSampleInterval')).toBe('60');
    expect(charger.configuration.get('LocalPreAuthorize')).toBe('true');
    expect(charger.configuration.get('ConnectionTimeOut')).toBe('60');
    expect(r.drift.map((d: any) => [d.key, d.outcome, d.desired, d.actual])).toEqual([
      ['ConnectionTimeOut', 'readonly', '90', '60'],
      ['VendorFan', 'unknown', 'quiet', null],
      ['BlinkRepeat', 'RebootRequired', '2', '3'],
    ]);
    // The profile gate reads the same facts: a Reservation command would be refused before sending.
    await expect(requireFeatureProfile(stack.db.pool, 'CP_R1', 'Reservation')).rejects.toMatchObject({
      status: 409,
      code: 'feature_profile_not_supported',
      message: 'station CP_R1 does not support the Reservation feature profile (its SupportedFeatureProfiles: Core,RemoteTrigger,SmartCharging)',
    });
    await expect(requireFeatureProfile(stack.db.pool, 'CP_R1', 'SmartCharging')).resolves.toBeUndefined();
    await expect(requireFeatureProfile(stack.db.pool, 'CP_NEVER_READ', 'Reservation')).resolves.toBeUndefined();
    const view = await stack.api.call('GET', '/v1/stations/CP_R1');
    expect(view.json).toMatchObject({
      featureProfiles: ['Core', 'RemoteTrigger', 'SmartCharging'],
      numberOfConnectors: 2,
      configuration: {
        trigger: 'boot',
        result: 'drift',
        workflowId: 'station-config_CP_R1',
        drift: expect.arrayContaining([expect.objectContaining({ key: 'VendorFan', outcome: 'unknown', source: 'all' })]),
      },
    });
  });

  it('the most specific group wins; a reconnect without boot runs again and changes nothing the second time', async () => {
    let since = new Date();
    const { charger, sent, changes } = await station('CP_R2', { vendor: 'Acme', model: 'Fast', configuration: { LocalPreAuthorize: 'true' } });
    const first = await reconciled('CP_R2', since);
    expect(first.last_trigger).toBe('boot');
    expect(changes()).toContain('LocalPreAuthorize=false');
    expect(charger.configuration.get('LocalPreAuthorize')).toBe('false');

    sent.length = 0;
    since = new Date();
    charger.dropConnection();
    await charger.reconnect();
    const second = await reconciled('CP_R2', since);
    expect(second.last_trigger).toBe('reconnect');
    expect(sent.map((c) => c.action)).toContain('GetConfiguration');
    expect(changes()).toEqual([]);
    expect(second.drift.map((d: any) => d.key)).toEqual(['VendorFan']); // no simulator knows it
  });

  it('a station that disconnects mid-reconciliation: what was not set is recorded unreachable, and its reconnect finishes the job', async () => {
    let since = new Date();
    await stack.addCharger('CP_R3');
    const charger = new SimulatedChargePoint({ url: stack.gateway.url, chargePointId: 'CP_R3', password: chargerPassword, configuration: { MeterValueSampleInterval: '0' } });
    chargers.push(charger);
    charger.behaviour.ChangeConfiguration = 'ignore';
    charger.on('call', ({ action }: { action: string }) => {
      if (action === 'ChangeConfiguration' && charger.connected) charger.dropConnection();
    });
    await charger.connect();
    const lost = await reconciled('CP_R3', since);
    expect(lost.last_result).toBe('drift');
    const outcomes = new Map(lost.drift.map((d: any) => [d.key, d.outcome]));
    expect(outcomes.get('MeterValueSampleInterval')).toBe('unreachable');
    expect(outcomes.get('BlinkRepeat')).toBe('unreachable');
    expect(outcomes.get('VendorFan')).toBe('unknown');
    expect(charger.configuration.get('MeterValueSampleInterval')).toBe('0');

    charger.removeAllListeners('call');
    charger.behaviour = {};
    since = new Date();
    await charger.reconnect();
    const done = await reconciled('CP_R3', since);
    expect(done.last_trigger).toBe('reconnect');
    expect(charger.configuration.get('MeterValueSampleInterval')).toBe('60');
    expect(done.drift.map((d: any) => d.key)).toEqual(['VendorFan']);
  });

  it('a CALLERROR to ChangeConfiguration is recorded as call_error with its code', async () => {
    const since = new Date();
    const { charger } = await station('CP_R4', { configuration: { MeterValueSampleInterval: '0' } });
    charger.behaviour.ChangeConfiguration = 'callerror';
    // The behaviour may come after the first run's changes: a reconnect runs it again.
    charger.dropConnection();
    await charger.reconnect();
    const r = await stack.eventually(
      'a recorded CALLERROR',
      () => row('CP_R4'),
      (x) => Boolean(x && new Date(x.reconciled_at) >= since && x.last_trigger === 'reconnect'),
    );
    expect(r.drift.find((d: any) => d.key === 'BlinkRepeat')).toMatchObject({ outcome: 'call_error', detail: expect.stringMatching(/^InternalError/) });
  });

  it('a station that cannot be read is recorded unreachable and keeps what was known of it', async () => {
    let since = new Date();
    const { charger } = await station('CP_R5', { featureProfiles: ['Core', 'RemoteTrigger'] });
    await reconciled('CP_R5', since);
    charger.behaviour.GetConfiguration = 'ignore';
    since = new Date();
    charger.dropConnection();
    await charger.reconnect();
    const r = await reconciled('CP_R5', since, 'unreachable');
    expect(r.supported_feature_profiles).toEqual(['Core', 'RemoteTrigger']);
    expect(r.last_trigger).toBe('reconnect');
  });

  it('does not disturb a running session: it keeps charging, SoC stays in the sampled data, the bill is complete', async () => {
    let since = new Date();
    const { charger, changes, sent } = await station('CP_R6', { configuration: { MeterValueSampleInterval: '0' } });
    await reconciled('CP_R6', since);
    const driver = await stack.api.createDriver('rita', ['RITA-0001']);
    const start = await stack.api.call('POST', '/v1/sessions', { token: driver, body: { stationId: 'CP_R6', connectorId: 1, idTag: 'RITA-0001' } });
    expect(start.status).toBe(201);
    const sessionId: string = start.json.sessionId;
    const state = () => stack.api.call('GET', `/v1/sessions/${sessionId}`, { token: driver });
    await stack.eventually('charging with SoC', state, (r) => r.json?.status === 'charging' && r.json?.socReporting?.status === 'enabled');
    expect(charger.configuration.list('MeterValuesSampledData')).toContain('SoC');

    sent.length = 0;
    since = new Date();
    charger.dropConnection();
    await charger.reconnect();
    const r = await reconciled('CP_R6', since);
    expect(r.last_trigger).toBe('reconnect');
    expect(changes()).toEqual([]);
    expect(sent.map((c) => c.action)).not.toContain('Reset');
    expect(charger.configuration.list('MeterValuesSampledData')).toEqual(expect.arrayContaining(['SoC', 'Energy.Active.Import.Register', 'Power.Active.Import']));
    expect((await state()).json.status).toBe('charging');

    const stop = await stack.api.call('POST', `/v1/sessions/${sessionId}/stop`, { token: driver });
    expect([200, 202]).toContain(stop.status);
    expect((await stack.receipt(sessionId, driver)).status).toBe('completed');
  });

  it('an offline station: every attempt backs off (time skipped), then the run ends unreachable and says so', async () => {
    await stack.addCharger('CP_R7');
    const outcome = await stack.env.client.workflow.execute(stationConfiguration, {
      workflowId: 'station-config_CP_R7',
      taskQueue: 'config-reconcile-sessions',
      args: [{ stationId: 'CP_R7', trigger: 'reconnect', policy: { commandTimeoutMs: 3000, commandMaxAttempts: 5 } }],
    });
    expect(outcome).toMatchObject({ result: 'unreachable', changed: [], detail: expect.stringMatching(/offline.*after 5 attempts/) });
    const r = await row('CP_R7');
    expect(r).toMatchObject({ last_result: 'unreachable', supported_feature_profiles: null, drift: [] });
  });
});
