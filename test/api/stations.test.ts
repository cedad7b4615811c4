import { ScriptedChargerCommands, SessionError } from './support/scripted-sessions';
import { startTestApi, TestApi } from './support/api-harness';

describe('stations: listing, SoC reporting, reset and unlock', () => {
  let api: TestApi;
  let commands: ScriptedChargerCommands;
  let driverToken: string;

  beforeAll(async () => {
    commands = new ScriptedChargerCommands();
    api = await startTestApi({ chargerCommands: commands });
    driverToken = await api.createDriver('alice');
    await api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
    await api.call('POST', '/v1/operator/tariffs', {
      body: { id: 'fast', name: 'Fast', currency: 'EUR', ratePerKwh: '0.59', sessionFee: '0.50', idleFeePerMinute: '0.10', idleGraceMinutes: 15, taxRate: '0.19', pricesIncludeTax: true },
    });
    await api.call('POST', '/v1/operator/chargers', { body: { stationId: 'CP_A', password: 'password-of-cp-a-123', connectors: 2 } });
    await api.call('POST', '/v1/operator/chargers', { body: { stationId: 'CP_B', password: 'password-of-cp-b-123', tariffId: 'fast' } });
    // What the gateway records when CP_A connects and reports its connectors.
    await api.db.pool.query(`UPDATE chargers SET online = TRUE, gateway_id = 'gw1', vendor = 'Acme', model = 'AC22' WHERE id = 'CP_A'`);
    await api.db.pool.query(`UPDATE connectors SET status = 'Charging', status_at = now() WHERE station_id = 'CP_A' AND connector_id = 2`);
    await api.db.pool.query(`INSERT INTO sessions (id, station_id, connector_id, driver_id, origin, status) VALUES ('sess_a2', 'CP_A', 2, 'alice', 'app', 'charging')`);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('lists stations with connectors, live status, busy connectors and the tariff that applies', async () => {
    const res = await api.call('GET', '/v1/stations', { token: driverToken });
    expect(res.status).toBe(200);
    const [a, b] = res.json.stations;
    expect(a).toMatchObject({
      stationId: 'CP_A',
      online: true,
      vendor: 'Acme',
      connectors: [
        { connectorId: 1, status: 'Unknown', busy: false },
        { connectorId: 2, status: 'Charging', busy: true },
      ],
      tariff: { id: 'standard', ratePerKwh: '0.25', isDefault: true },
    });
    // Every price component a driver pays, not only the energy rate.
    expect(b).toMatchObject({
      stationId: 'CP_B',
      online: false,
      tariff: { id: 'fast', ratePerKwh: '0.59', sessionFee: '0.5', idleFeePerMinute: '0.1', idleGraceMinutes: 15, taxRate: '0.19', pricesIncludeTax: true, version: 1 },
    });
    expect((await api.call('GET', '/v1/stations/CP_B', { token: driverToken })).json.tariff).toEqual(b.tariff);
    expect(JSON.stringify(res.json)).not.toMatch(/password/i);
  });

  it('shows one station, and 404 for an unknown one', async () => {
    expect((await api.call('GET', '/v1/stations/CP_B', { token: driverToken })).json.stationId).toBe('CP_B');
    const missing = await api.call('GET', '/v1/stations/CP_X', { token: driverToken });
    expect(missing.status).toBe(404);
    expect(missing.json.error.message).toBe('station CP_X not found');
  });

  it('falls back to the default tariff when a station loses its own', async () => {
    await api.call('DELETE', '/v1/operator/tariffs/fast');
    expect((await api.call('GET', '/v1/stations/CP_B', { token: driverToken })).json.tariff.id).toBe('standard');
  });

  it('reports whether SoC is enabled, from the charger command service', async () => {
    commands.soc = { supported: true, enabled: false, measurands: ['Energy.Active.Import.Register'], basis: 'GetConfiguration' };
    const res = await api.call('GET', '/v1/stations/CP_A/soc', { token: driverToken });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ stationId: 'CP_A', supported: true, enabled: false, measurands: ['Energy.Active.Import.Register'], basis: 'GetConfiguration' });
  });

  it.each(['accepted', 'already_enabled', 'rejected', 'reboot_required', 'not_supported'] as const)('passes on the charger\'s %s answer when enabling SoC', async (status) => {
    commands.enableStatus = status;
    const res = await api.call('POST', '/v1/stations/CP_A/soc', { token: driverToken });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ stationId: 'CP_A', status });
  });

  it('answers 404 for SoC on an unknown station without asking any charger', async () => {
    const before = commands.calls.length;
    expect((await api.call('GET', '/v1/stations/CP_X/soc', { token: driverToken })).status).toBe(404);
    expect(commands.calls.length).toBe(before);
  });

  it('answers 503 when the charger is offline', async () => {
    commands.failure = new SessionError('station_offline', 'station CP_A is offline');
    try {
      const res = await api.call('GET', '/v1/stations/CP_A/soc', { token: driverToken });
      expect(res.status).toBe(503);
      expect(res.json.error).toEqual({ code: 'station_offline', message: 'station CP_A is offline' });
    } finally {
      commands.failure = null;
    }
  });

  it('lets an operator reset a station and unlock a connector, and not a driver', async () => {
    const reset = await api.call('POST', '/v1/operator/stations/CP_A/reset', { body: { type: 'Soft' } });
    expect(reset.status).toBe(200);
    expect(reset.json).toEqual({ stationId: 'CP_A', result: { status: 'Accepted' } });
    const unlock = await api.call('POST', '/v1/operator/stations/CP_A/unlock', { body: { connectorId: 2 } });
    expect(unlock.json).toEqual({ stationId: 'CP_A', result: { status: 'Unlocked' } });
    expect(commands.calls.slice(-2)).toEqual([
      { command: 'reset', args: ['CP_A', 'Soft'] },
      { command: 'unlockConnector', args: ['CP_A', 2] },
    ]);
    expect((await api.call('POST', '/v1/operator/stations/CP_A/reset', { token: driverToken, body: { type: 'Hard' } })).status).toBe(403);
    expect((await api.call('POST', '/v1/operator/stations/CP_A/reset', { body: { type: 'Warm' } })).json.error.details[0].field).toBe('body.type');
    expect((await api.call('POST', '/v1/operator/stations/CP_X/unlock', { body: { connectorId: 1 } })).status).toBe(404);
  });
});
