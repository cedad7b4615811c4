import { ScriptedChargerCommands, ScriptedSessions } from './support/scripted-sessions';
import { startTestApi, TestApi } from './support/api-harness';
import { createTestDatabase } from '../support/database';

describe('the API over HTTP: errors, limits, request ids, metrics', () => {
  let api: TestApi;
  let sessions: ScriptedSessions;

  beforeAll(async () => {
    const db = await createTestDatabase();
    sessions = new ScriptedSessions(db.pool);
    api = await startTestApi({ db, sessions, chargerCommands: new ScriptedChargerCommands(), env: { API_BODY_LIMIT: '1kb' } });
  });
  afterAll(async () => {
    await api?.close();
    await api?.db.drop();
  });

  it('answers an unknown route with 404 JSON naming the route', async () => {
    const res = await api.call('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(res.json.error).toEqual({ code: 'not_found', message: 'no route for GET /v1/nothing-here' });
    expect(res.json.requestId).toEqual(expect.any(String));
  });

  it('answers a known path with the wrong method with 405 JSON and the allowed methods', async () => {
    const res = await api.call('DELETE', '/v1/stations');
    expect(res.status).toBe(405);
    expect(res.json.error.code).toBe('method_not_allowed');
    expect(res.headers.get('allow')).toContain('GET');
  });

  it('rejects an invalid body with 400 naming each field and its problem', async () => {
    const res = await api.call('POST', '/v1/sessions', { body: { stationId: 'CP 1', connectorId: '1', extra: true } });
    expect(res.status).toBe(400);
    expect(res.json.error.code).toBe('invalid_request');
    const fields = res.json.error.details.map((d: { field: string }) => d.field).sort();
    expect(fields).toEqual(['body', 'body.connectorId', 'body.stationId']);
    expect(res.json.error.details.find((d: { field: string }) => d.field === 'body.connectorId').problem).toMatch(/number/);
    expect(res.json.error.message).toContain('body.stationId');
  });

  it('rejects a missing body with 400 saying the body is required', async () => {
    const res = await api.call('POST', '/v1/sessions');
    expect(res.status).toBe(400);
    expect(res.json.error.details).toEqual([{ field: 'body', problem: expect.stringMatching(/expected object/i) }]);
  });

  it('rejects an invalid path parameter and query parameter with 400', async () => {
    const bad = await api.call('GET', '/v1/sessions/has%20space');
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0].field).toBe('params.id');
    const query = await api.call('GET', '/v1/sessions?limit=1000&active=maybe');
    expect(query.status).toBe(400);
    expect(query.json.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['query.active', 'query.limit']);
  });

  it('rejects malformed JSON with 400 and a body that is not JSON with 415', async () => {
    const malformed = await api.call('POST', '/v1/sessions', { rawBody: '{"stationId": ', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect(malformed.json.error.code).toBe('invalid_json');
    const form = await api.call('POST', '/v1/sessions', { rawBody: 'stationId=CP_1', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).toBe(415);
    expect(form.json.error.code).toBe('unsupported_media_type');
  });

  it('refuses a body larger than API_BODY_LIMIT with 413', async () => {
    const res = await api.call('POST', '/v1/operator/tariffs', { body: { id: 't', name: 'x'.repeat(2000), currency: 'EUR', ratePerKwh: '1' } });
    expect(res.status).toBe(413);
    expect(res.json.error.code).toBe('body_too_large');
  });

  it('answers an unexpected failure with 500 "internal error" and the request id, never a stack trace', async () => {
    await api.db.pool.query(`INSERT INTO chargers (id) VALUES ('CP_ERR')`);
    const driverToken = await api.createDriver('erin');
    sessions.startFailure = new TypeError("Cannot read properties of undefined (reading 'secret')");
    const res = await api.call('POST', '/v1/sessions', { token: driverToken, body: { stationId: 'CP_ERR', connectorId: 1 }, headers: { 'x-request-id': 'trace-me-42' } });
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: { code: 'internal', message: 'internal error' }, requestId: 'trace-me-42' });
    expect(res.text).not.toMatch(/TypeError|secret|at .*\.ts/);
  });

  it('echoes a sane X-Request-Id and replaces an unsafe one', async () => {
    const kept = await api.call('GET', '/health', { headers: { 'x-request-id': 'abc-123' } });
    expect(kept.headers.get('x-request-id')).toBe('abc-123');
    const replaced = await api.call('GET', '/health', { headers: { 'x-request-id': 'bad id<script>' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers /health without a token', async () => {
    const res = await api.call('GET', '/health', { token: null });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: 'ok' });
  });

  it('serves Prometheus metrics with the active-sessions gauge read from PostgreSQL and API latency by route', async () => {
    await api.db.pool.query(
      `INSERT INTO sessions (id, station_id, connector_id, origin, status, active) VALUES
         ('sess_m1', 'CP_M', 1, 'app', 'charging', TRUE), ('sess_m2', 'CP_M', 2, 'app', 'charging', TRUE), ('sess_m3', 'CP_M', 1, 'app', 'completed', FALSE)`,
    );
    await api.call('GET', '/v1/stations');
    const res = await api.call('GET', '/metrics', { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    const activeLine = res.text.split('\n').find((l) => l.startsWith('csms_active_sessions '));
    expect(activeLine).toBe('csms_active_sessions 2');
    expect(res.text).toMatch(/csms_api_request_seconds_count\{method="GET",route="\/v1\/stations",status="200"\} [1-9]/);
    expect(res.text).toContain('csms_ocpp_messages_total');
  });
});
