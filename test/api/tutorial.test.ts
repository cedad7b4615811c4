import { ScriptedChargerCommands, ScriptedSessions } from './support/scripted-sessions';
import { startTestApi, TestApi } from './support/api-harness';
import { createTestDatabase } from '../support/database';

describe('the tutorial compatibility routes (session layer scripted)', () => {
  let api: TestApi;
  let sessions: ScriptedSessions;
  let commands: ScriptedChargerCommands;
  let alice: string;

  beforeAll(async () => {
    const db = await createTestDatabase();
    sessions = new ScriptedSessions(db.pool);
    commands = new ScriptedChargerCommands();
    api = await startTestApi({ db, sessions, chargerCommands: commands });
    alice = await api.createDriver('alice', ['ALICE0001']);
    await api.call('POST', '/v1/operator/chargers', { body: { stationId: 'CP_1', password: 'password-of-cp-1-123', connectors: 2 } });
  });
  afterAll(async () => {
    await api?.close();
    await api?.db.drop();
  });

  it('requires a bearer token like every API route', async () => {
    expect((await api.call('POST', '/start_session', { token: null, body: { cp_id: 'CP_1' } })).status).toBe(401);
    expect((await api.call('GET', '/station/CP_1/check-soc', { token: null })).status).toBe(401);
  });

  it('starts on connector 1 by default with the driver\'s id tag, then stops by cp_id with the tutorial\'s session JSON', async () => {
    const started = await api.call('POST', '/start_session', { token: alice, body: { cp_id: 'CP_1' } });
    expect(started.status).toBe(200);
    expect(started.json).toEqual({ status: 'accepted', session_id: expect.stringMatching(/^sess_/), cp_id: 'CP_1', connector_id: 1 });
    expect(sessions.starts.at(-1)).toMatchObject({ stationId: 'CP_1', connectorId: 1, driverId: 'alice', idTag: 'ALICE0001' });

    const stopped = await api.call('POST', '/stop_session', { token: alice, body: { cp_id: 'CP_1' } });
    expect(stopped.status).toBe(200);
    expect(Object.keys(stopped.json).sort()).toEqual(['end_time', 'energy_kwh', 'meter_start', 'meter_stop', 'rate_per_kwh', 'session_id', 'soc', 'start_time', 'total_cost']);
    expect(stopped.json.session_id).toBe(started.json.session_id);
  });

  it('answers 202 pending when the charger has not answered RemoteStart within the wait', async () => {
    sessions.startOutcome = { accepted: true, status: 'starting' };
    try {
      const res = await api.call('POST', '/start_session', { token: alice, body: { cp_id: 'CP_1', connector_id: 2 } });
      expect(res.status).toBe(202);
      expect(res.json).toEqual({ status: 'pending', session_id: expect.stringMatching(/^sess_/), cp_id: 'CP_1', connector_id: 2 });
      await api.call('POST', '/stop_session', { token: alice, body: { session_id: res.json.session_id } });
    } finally {
      sessions.startOutcome = { accepted: true };
    }
  });

  it('stops by session_id, answers 202 when the charger has not confirmed yet, and 404 when nothing is running', async () => {
    const { session_id } = (await api.call('POST', '/start_session', { token: alice, body: { cp_id: 'CP_1', connector_id: 2 } })).json;
    sessions.stopAnswer = 'stopping';
    try {
      const res = await api.call('POST', '/stop_session', { token: alice, body: { session_id } });
      expect(res.status).toBe(202);
      expect(res.json).toEqual({ status: 'stopping', session_id });
    } finally {
      sessions.stopAnswer = 'receipt';
    }
    await sessions.complete(session_id);
    const none = await api.call('POST', '/stop_session', { token: alice, body: { cp_id: 'CP_1', connector_id: 2 } });
    expect(none.status).toBe(404);
    const neither = await api.call('POST', '/stop_session', { token: alice, body: {} });
    expect(neither.status).toBe(400);
    expect(neither.json.error.details[0]).toEqual({ field: 'body.session_id', problem: 'give session_id, or cp_id' });
  });

  it('does not let a driver stop another driver\'s session through the tutorial route', async () => {
    const { session_id } = (await api.call('POST', '/start_session', { token: alice, body: { cp_id: 'CP_1' } })).json;
    const bob = await api.createDriver('bob');
    expect((await api.call('POST', '/stop_session', { token: bob, body: { session_id } })).status).toBe(404);
    expect((await api.call('POST', '/stop_session', { token: bob, body: { cp_id: 'CP_1' } })).status).toBe(404);
    expect(sessions.stops.filter((s) => s.sessionId === session_id)).toHaveLength(0);
    await sessions.complete(session_id);
  });

  it('answers check-soc with {"soc_supported": …} reflecting whether SoC is enabled', async () => {
    commands.soc = { ...commands.soc, enabled: true };
    expect((await api.call('GET', '/station/CP_1/check-soc', { token: alice })).json).toEqual({ soc_supported: true });
    commands.soc = { ...commands.soc, enabled: false };
    expect((await api.call('GET', '/station/CP_1/check-soc', { token: alice })).json).toEqual({ soc_supported: false });
    expect((await api.call('GET', '/station/CP_404/check-soc', { token: alice })).status).toBe(404);
  });

  it.each([
    ['accepted', 200, { status: 'success', message: 'SOC enabled' }],
    ['already_enabled', 200, { status: 'success', message: 'SOC enabled' }],
    ['reboot_required', 202, { status: 'pending', message: 'SOC will be enabled after the charger reboots' }],
    ['rejected', 422, { status: 'failed', message: 'the charger rejected enabling SOC' }],
    ['not_supported', 422, { status: 'failed', message: 'the charger does not support SOC reporting' }],
  ] as const)('answers enable-soc for a charger answering %s with %i', async (answer, status, body) => {
    commands.enableStatus = answer;
    const res = await api.call('POST', '/station/CP_1/enable-soc', { token: alice });
    expect(res.status).toBe(status);
    expect(res.json).toEqual(body);
  });
});
