import { authFailureLimit } from '../../src/api/auth/auth-middleware';
import { hashApiToken } from '../../src/api/auth/api-token';
import { ScriptedChargerCommands, ScriptedSessions } from './support/scripted-sessions';
import { operatorToken, startTestApi, TestApi } from './support/api-harness';
import { createTestDatabase, TestDatabase } from '../support/database';

describe('bearer-token authentication', () => {
  let db: TestDatabase;
  let api: TestApi;

  beforeAll(async () => {
    db = await createTestDatabase();
    api = await startTestApi({ db, sessions: new ScriptedSessions(db.pool), chargerCommands: new ScriptedChargerCommands() });
  });
  afterAll(async () => {
    await api?.close();
    await db?.drop();
  });

  it('stores the configured operator token only as its SHA-256 hash, once however often the API starts', async () => {
    const again = await startTestApi({ db, sessions: new ScriptedSessions(db.pool), chargerCommands: new ScriptedChargerCommands() });
    await again.close();
    const { rows } = await db.pool.query(`SELECT token_hash, role FROM api_tokens WHERE role = 'operator'`);
    expect(rows).toEqual([{ token_hash: hashApiToken(operatorToken), role: 'operator' }]);
    const { rows: leaked } = await db.pool.query(`SELECT 1 FROM api_tokens WHERE token_hash = $1`, [operatorToken]);
    expect(leaked).toHaveLength(0);
  });

  it('asks for a bearer token on every API route, but not on health, readiness, metrics and docs', async () => {
    for (const path of ['/v1/stations', '/v1/sessions', '/v1/operator/drivers', '/station/CP_1/check-soc']) {
      const res = await api.call('GET', path, { token: null });
      expect({ path, status: res.status, code: res.json.error.code }).toEqual({ path, status: 401, code: 'unauthorized' });
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    for (const path of ['/health', '/metrics', '/openapi.json', '/docs']) {
      expect({ path, status: (await api.call('GET', path, { token: null })).status }).toEqual({ path, status: 200 });
    }
  });

  it('refuses a malformed Authorization header with a message saying the expected form', async () => {
    const res = await api.call('GET', '/v1/stations', { token: null, headers: { authorization: 'Basic dXNlcjpwYXNz' } });
    expect(res.status).toBe(401);
    expect(res.json.error.message).toBe('Authorization header must be "Bearer <token>"');
  });

  it('gives a driver token access to driver routes and 403 on operator routes', async () => {
    const token = await api.createDriver('dana');
    expect((await api.call('GET', '/v1/stations', { token })).status).toBe(200);
    const res = await api.call('GET', '/v1/operator/drivers', { token });
    expect(res.status).toBe(403);
    expect(res.json.error.code).toBe('forbidden');
  });

  it('stores a driver token hashed and stops accepting it when the driver is removed', async () => {
    const token = await api.createDriver('temp');
    const { rows } = await db.pool.query(`SELECT token_hash FROM api_tokens WHERE driver_id = 'temp'`);
    expect(rows).toEqual([{ token_hash: hashApiToken(token) }]);
    expect((await api.call('DELETE', '/v1/operator/drivers/temp')).status).toBe(204);
    expect((await api.call('GET', '/v1/stations', { token })).status).toBe(401);
  });

  it('throttles an address after too many failed token attempts, even for a valid token, until the window passes', async () => {
    // A separate API instance: its in-memory limiter starts empty, so earlier tests do not count.
    const fresh = await startTestApi({ db, sessions: new ScriptedSessions(db.pool), chargerCommands: new ScriptedChargerCommands() });
    try {
      for (let i = 0; i < authFailureLimit.points; i++) {
        expect((await fresh.call('GET', '/v1/stations', { token: `guess-${i}` })).status).toBe(401);
      }
      const blocked = await fresh.call('GET', '/v1/stations', { token: 'guess-again' });
      expect(blocked.status).toBe(429);
      expect(blocked.json.error.code).toBe('too_many_failed_attempts');
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await fresh.call('GET', '/v1/stations', { token: operatorToken })).status).toBe(429);
      // Public routes stay reachable.
      expect((await fresh.call('GET', '/health', { token: null })).status).toBe(200);
      // No credentials at all is not a guess: it is asked for, not throttled.
      for (const headers of [{}, { authorization: 'Basic dXNlcjpwYXNz' }] as Array<Record<string, string>>) {
        const asked = await fresh.call('GET', '/v1/stations', { token: null, headers });
        expect({ status: asked.status, code: asked.json.error.code }).toEqual({ status: 401, code: 'unauthorized' });
        expect(asked.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    } finally {
      await fresh.close();
    }
  });

  it('counts only presented-and-wrong tokens towards the limit: requests without credentials never lock an address out', async () => {
    const fresh = await startTestApi({ db, sessions: new ScriptedSessions(db.pool), chargerCommands: new ScriptedChargerCommands() });
    try {
      for (let i = 0; i < authFailureLimit.points * 2; i++) {
        expect((await fresh.call('GET', '/v1/stations', { token: null })).status).toBe(401);
      }
      expect((await fresh.call('GET', '/v1/stations', { token: operatorToken })).status).toBe(200);
    } finally {
      await fresh.close();
    }
  });
});
