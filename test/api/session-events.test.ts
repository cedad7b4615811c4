import { openEventStream } from './support/event-stream';
import { ScriptedSessions } from './support/scripted-sessions';
import { startTestApi, TestApi } from './support/api-harness';
import { createTestDatabase } from '../support/database';

describe('GET /v1/sessions/:id/events (Server-Sent Events)', () => {
  let api: TestApi;
  let sessions: ScriptedSessions;
  let alice: string;

  beforeAll(async () => {
    const db = await createTestDatabase();
    sessions = new ScriptedSessions(db.pool);
    api = await startTestApi({ db, sessions, sseHeartbeatMs: 100 });
    alice = await api.createDriver('alice');
    await api.call('POST', '/v1/operator/chargers', { body: { stationId: 'CP_1', password: 'password-of-cp-1-123', connectors: 3 } });
  });
  afterAll(async () => {
    await api?.close();
    await api?.db.drop();
  });

  async function startSession(connectorId: number): Promise<string> {
    return (await api.call('POST', '/v1/sessions', { token: alice, body: { stationId: 'CP_1', connectorId } })).json.sessionId;
  }

  it('sends the state at once, a state event on every change, heartbeats, and ends with the session', async () => {
    const sessionId = await startSession(1);
    const stream = openEventStream(`${api.url}/v1/sessions/${sessionId}/events`, alice);
    await stream.opened;
    expect(stream.status).toBe(200);
    expect(stream.contentType).toMatch(/^text\/event-stream/);
    await stream.until(() => stream.states().length === 1, 'the first state');
    expect(stream.states()[0]).toMatchObject({ sessionId, status: 'awaiting_plug_in' });

    sessions.update(sessionId, { status: 'charging', energyKwh: '0.5', socPercent: 40 });
    await stream.until(() => stream.states().length === 2, 'the charging state');
    sessions.update(sessionId, { energyKwh: '1.25', socPercent: 57, costSoFar: '0.32' });
    await stream.until(() => stream.states().length === 3, 'the next meter reading');
    expect(stream.states().slice(1).map((s) => [s.status, s.energyKwh, s.socPercent])).toEqual([
      ['charging', '0.5', 40],
      ['charging', '1.25', 57],
    ]);
    await stream.until(() => stream.events.some((e) => e.comment === 'heartbeat'), 'a heartbeat comment');

    await sessions.complete(sessionId);
    await stream.until(() => stream.ended, 'the end of the stream');
    expect(stream.states().at(-1).status).toBe('completed');
    expect(stream.events.at(-1)).toEqual({ event: 'end', data: JSON.stringify({ sessionId }) });
    expect(sessions.activeWatches).toBe(0);
  });

  it('stops watching the session when the client disconnects', async () => {
    const sessionId = await startSession(2);
    const stream = openEventStream(`${api.url}/v1/sessions/${sessionId}/events`, alice);
    await stream.opened;
    await stream.until(() => stream.states().length === 1, 'the first state');
    expect(sessions.activeWatches).toBe(1);
    stream.close();
    const deadline = Date.now() + 5000;
    while (sessions.activeWatches > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(sessions.activeWatches).toBe(0);
  });

  it('sends the final state and ends at once for a session that is already over', async () => {
    const sessionId = await startSession(3);
    await sessions.complete(sessionId);
    const stream = openEventStream(`${api.url}/v1/sessions/${sessionId}/events`, alice);
    await stream.opened;
    await stream.until(() => stream.ended, 'the end of the stream');
    expect(stream.states().map((s) => s.status)).toEqual(['completed']);
  });

  it('answers 401 without a token and 404 for someone else\'s session, as JSON, not as a stream', async () => {
    const sessionId = await startSession(1);
    const bob = await api.createDriver('bob');
    const res = await api.call('GET', `/v1/sessions/${sessionId}/events`, { token: bob });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect((await api.call('GET', `/v1/sessions/${sessionId}/events`, { token: null })).status).toBe(401);
    await sessions.complete(sessionId);
  });

  it('lets the API close while a stream is open', async () => {
    const db = await createTestDatabase();
    const own = new ScriptedSessions(db.pool);
    const other = await startTestApi({ db, sessions: own });
    try {
      const token = await other.createDriver('zoe');
      await other.call('POST', '/v1/operator/chargers', { body: { stationId: 'CP_Z', password: 'password-of-cp-z-123' } });
      const sessionId = (await other.call('POST', '/v1/sessions', { token, body: { stationId: 'CP_Z', connectorId: 1 } })).json.sessionId;
      const stream = openEventStream(`${other.url}/v1/sessions/${sessionId}/events`, token);
      await stream.opened;
      await stream.until(() => stream.states().length === 1, 'the first state');
      await other.close();
      await stream.until(() => stream.ended, 'the end of the stream');
      expect(own.activeWatches).toBe(0);
    } finally {
      await db.drop();
    }
  });
});
