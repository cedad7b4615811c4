/**
 * Security at the edges: a charger cannot speak for another charger (the Basic-auth user must be
 * the charge point id of the path, and a connected charger cannot touch another's transactions);
 * failed charger authentication is limited per address as well as per id; the API's token
 * limiter cannot be dodged with X-Forwarded-For.
 *
 * Covered elsewhere, not repeated here:
 * - per-(charger id, address) limit of failed charger passwords, which guesses from another address
 *   cannot use to keep the charger out, and the 401 challenge to a request without credentials that
 *   is not a failed login: test/gateway/connection.test.ts ("rate-limits failed authentication per
 *   charger id and address …", "challenges an upgrade without credentials …");
 * - API token brute force throttled per address, even for a valid token: test/api/auth.test.ts
 *   ("throttles an address after too many failed token attempts …");
 * - a driver cannot read, stop or list another driver's sessions: test/api/sessions.test.ts
 *   ("answers 404 to another driver for every session endpoint …", "never shows a driver someone
 *   else's sessions …"), test/api/tutorial.test.ts ("does not let a driver stop another driver's
 *   session …"), test/api/session-events.test.ts ("… 404 for someone else's session …");
 * - secrets in logs: secrets-in-logs.test.ts beside this file.
 */
import WebSocket from 'ws';
import { basicAuth, createGatewayHarness, PASSWORD, upgradeStatus, type GatewayHarness } from '../gateway/support/gateway-harness';
import { operatorToken, startTestApi } from '../api/support/api-harness';
import { rawRequest } from './support/raw-http';

const PASSWORD_B = 'another-charger-password-b';

/** Attempts an upgrade from a chosen loopback source address. */
function upgradeFrom(url: string, localAddress: string, authorization: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, ['ocpp1.6'], { headers: { Authorization: authorization }, localAddress });
    ws.on('open', () => {
      ws.close();
      resolve(101);
    });
    ws.on('unexpected-response', (_req, res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    ws.on('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

describe('a charger cannot speak for another charger', () => {
  let h: GatewayHarness;

  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.start();
    await h.addCharger('CP_A');
    await h.addCharger('CP_B', PASSWORD_B);
    await h.addIdTag('TAG_B');
  });
  afterAll(async () => {
    await h?.close();
  });

  it("refuses another charger's credentials, and a user name that is not the path's charge point id", async () => {
    const url = `${h.gateway.url}/CP_B`;
    expect((await upgradeStatus(url, { authorization: basicAuth('CP_A', PASSWORD) })).status).toBe(401); // A's own credentials
    expect((await upgradeStatus(url, { authorization: basicAuth('CP_A', PASSWORD_B) })).status).toBe(401); // B's password, A's name
    expect((await upgradeStatus(url, { authorization: basicAuth('CP_B', PASSWORD) })).status).toBe(401); // B's name, A's password
    expect((await upgradeStatus(`${h.gateway.url}/cp_b`, { authorization: basicAuth('cp_b', PASSWORD_B) })).status).toBe(401); // ids are case-sensitive
    expect((await upgradeStatus(url, { authorization: basicAuth('CP_B', PASSWORD_B) })).status).toBe(101);
    const failures = await h.db.pool.query(`SELECT count(*)::int AS n FROM connection_events WHERE event = 'auth_failed' AND station_id = 'CP_B'`);
    expect(failures.rows[0].n).toBe(3);
  });

  it("cannot stop or feed another charger's transaction once connected as itself", async () => {
    const b = h.chargePoint({ chargePointId: 'CP_B', password: PASSWORD_B, meterStartWh: 1000 });
    await b.connect();
    const { transactionId } = await b.startTransaction(1, 'TAG_B');
    const a = h.chargePoint({ chargePointId: 'CP_A' });
    await a.connect();

    await a.call('MeterValues', { connectorId: 1, transactionId, meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: '999999' }] }] });
    await a.call('StopTransaction', {
      transactionId,
      meterStop: 999999,
      timestamp: new Date().toISOString(),
      transactionData: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: '999999', context: 'Transaction.End' }] }],
    });

    const tx = await h.db.pool.query('SELECT meter_stop FROM transactions WHERE id = $1', [transactionId]);
    expect(tx.rows).toEqual([{ meter_stop: null }]);
    const filed = await h.db.pool.query(`SELECT count(*)::int AS n FROM meter_samples WHERE transaction_id = $1 AND station_id = 'CP_A'`, [transactionId]);
    expect(filed.rows[0].n).toBe(0);
    expect(h.events.of('transactionStopped', (e) => e.transactionId === transactionId)).toEqual([]);
    expect(h.events.of('meterValues', (e) => e.transactionId === transactionId)).toEqual([]);
  });

  it('limits failed charger authentication per address across many charger ids, and only for that address', async () => {
    const limited = await h.start({ GATEWAY_ID: 'gw-limited' }, { authRateLimit: { perAddress: { maxFailures: 5, windowMs: 60_000 } } });
    const attacker = '127.0.0.11';
    for (let i = 0; i < 5; i++) expect(await upgradeFrom(`${limited.url}/GUESS_${i}`, attacker, basicAuth(`GUESS_${i}`, 'guessed-password'))).toBe(401);
    // The address is spent: even a real charger with its right password is refused from it …
    expect(await upgradeFrom(`${limited.url}/CP_A`, attacker, basicAuth('CP_A', PASSWORD))).toBe(429);
    // … but not from another address.
    expect(await upgradeFrom(`${limited.url}/CP_A`, '127.0.0.12', basicAuth('CP_A', PASSWORD))).toBe(101);
  });
});

describe('API token brute force', () => {
  it('cannot reset the per-address limit by claiming another address in X-Forwarded-For', async () => {
    const api = await startTestApi();
    try {
      const attempt = (i: number, token: string) =>
        rawRequest(api.url, { method: 'GET', path: '/v1/stations', headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': `203.0.113.${i}`, 'x-real-ip': `203.0.113.${i}` } });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await attempt(i, `csms_guess_${i}`)).status);
      expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
      expect(statuses.slice(10)).toEqual([429, 429]);
      expect((await attempt(99, operatorToken)).status).toBe(429);
      // Another client address is not affected.
      expect((await rawRequest(api.url, { method: 'GET', path: '/v1/stations', headers: { authorization: `Bearer ${operatorToken}` }, localAddress: '127.0.0.21' })).status).toBe(200);
    } finally {
      await api.close();
    }
  });
});
