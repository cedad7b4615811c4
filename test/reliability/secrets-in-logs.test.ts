/**
 * Secrets never reach the logs: with every log line of the gateway and the API captured (the
 * real createLogger, its redaction included, at level trace), chargers authenticate with right
 * and wrong passwords and auto-register, operators set charger passwords and issue tokens,
 * drivers call with valid, wrong and malformed tokens — and no password, token, Basic
 * credential or password hash appears in any line.
 */
// Every pino logger writes to an in-memory sink (kept on globalThis: the factory runs before this module's own variables exist).
jest.mock('pino', () => {
  const real = jest.requireActual('pino');
  const { Writable } = jest.requireActual('node:stream');
  const lines: string[] = ((globalThis as any).__csmsLogLines = []);
  const sink = new Writable({
    write(chunk: Buffer, _enc: string, done: () => void) {
      lines.push(chunk.toString());
      done();
    },
  });
  const captured = (options?: object, destination?: unknown) => real(options, destination ?? sink);
  return Object.assign(captured, real, { default: captured, pino: captured });
});

import { createLogger } from '../../src/logger';
import { createGatewayHarness, gatewayConfig, basicAuth, upgradeStatus, type GatewayHarness } from '../gateway/support/gateway-harness';
import { operatorToken, startTestApi, type TestApi } from '../api/support/api-harness';
import { rawRequest } from './support/raw-http';

const logLines = (): string[] => (globalThis as any).__csmsLogLines;

describe('secrets in logs', () => {
  let h: GatewayHarness;
  let api: TestApi;

  beforeAll(async () => {
    h = await createGatewayHarness();
    const config = gatewayConfig({ LOG_LEVEL: 'trace', GATEWAY_AUTO_REGISTER: 'true' });
    await h.start({ LOG_LEVEL: 'trace', GATEWAY_AUTO_REGISTER: 'true' }, { logger: createLogger(config) });
    api = await startTestApi({ db: h.db, env: { LOG_LEVEL: 'trace' } });
  });
  afterAll(async () => {
    await api?.close();
    await h?.close();
  });

  it('logs no password, token, Basic credential or password hash, at any level', async () => {
    const chargerPassword = 'charger-secret-Pa55word';
    const newChargerPassword = 'charger-secret-rotated-9';
    const wrongPassword = 'wrong-secret-guess-123';
    const autoPassword = 'auto-registered-secret-77';
    const secrets = [operatorToken, chargerPassword, newChargerPassword, wrongPassword, autoPassword];

    // Operator API: register a charger with a password, change it, create a driver (token shown once), issue another token.
    expect((await api.call('POST', '/v1/operator/tariffs', { body: { id: 't', name: 'T', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } })).status).toBe(201);
    expect((await api.call('POST', '/v1/operator/chargers', { body: { stationId: 'CP_LOG', password: chargerPassword, connectors: 1 } })).status).toBe(201);
    const driverToken = await api.createDriver('dora', ['DORA1']);
    const second = await api.call('POST', '/v1/operator/drivers/dora/tokens', { body: {} });
    secrets.push(driverToken, ...(second.json?.token ? [second.json.token] : []));
    // A body the API refuses still carries the password: the validation error must not log it.
    await api.call('POST', '/v1/operator/chargers', { body: { stationId: 'CP_LOG2', password: 'short', connectors: 'many', extra: chargerPassword } });

    // Chargers: the right password, a wrong one, an auto-registration, then the operator rotates the password.
    const url = `${h.gateway.url}/CP_LOG`;
    expect((await upgradeStatus(url, { authorization: basicAuth('CP_LOG', chargerPassword) })).status).toBe(101);
    expect((await upgradeStatus(url, { authorization: basicAuth('CP_LOG', wrongPassword) })).status).toBe(401);
    expect((await upgradeStatus(`${h.gateway.url}/CP_AUTO`, { authorization: basicAuth('CP_AUTO', autoPassword) })).status).toBe(101);
    expect((await api.call('PATCH', '/v1/operator/chargers/CP_LOG', { body: { password: newChargerPassword } })).status).toBe(200);
    expect((await upgradeStatus(url, { authorization: basicAuth('CP_LOG', newChargerPassword) })).status).toBe(101);

    // Drivers and attackers calling the API with valid, wrong and malformed credentials.
    expect((await api.call('GET', '/v1/sessions', { token: driverToken })).status).toBe(200);
    expect((await api.call('GET', '/v1/operator/drivers', { token: driverToken })).status).toBe(403);
    await rawRequest(api.url, { method: 'GET', path: '/v1/stations', headers: { authorization: `Bearer ${wrongPassword}` }, localAddress: '127.0.0.31' });
    await rawRequest(api.url, { method: 'GET', path: '/v1/stations', headers: { authorization: `Basic ${Buffer.from(`x:${wrongPassword}`).toString('base64')}` }, localAddress: '127.0.0.31' });
    await rawRequest(api.url, { method: 'GET', path: `/v1/stations?token=${operatorToken}`, headers: { authorization: `Bearer ${operatorToken}` } });

    const hashes = (await h.db.pool.query('SELECT password_hash FROM chargers WHERE password_hash IS NOT NULL')).rows.map((r) => r.password_hash as string);
    const tokenHashes = (await h.db.pool.query('SELECT token_hash FROM api_tokens')).rows.map((r) => r.token_hash as string);
    const needles = [
      ...secrets,
      ...secrets.map((s) => Buffer.from(s).toString('base64')),
      basicAuth('CP_LOG', chargerPassword).slice('Basic '.length),
      basicAuth('CP_LOG', wrongPassword).slice('Basic '.length),
      basicAuth('CP_AUTO', autoPassword).slice('Basic '.length),
      ...hashes,
      ...tokenHashes,
    ];

    const lines = logLines();
    // The capture works and saw the interesting moments.
    expect(lines.length).toBeGreaterThanOrEqual(8);
    expect(lines.some((l) => l.includes('charger authentication failed'))).toBe(true);
    const leaks = needles.flatMap((needle) => lines.filter((l) => l.includes(needle)).map((l) => `${needle.slice(0, 12)}… in ${l.slice(0, 300)}`));
    expect(leaks).toEqual([]);
  });
});
