/** Liveness (a charger that vanishes without closing is dropped by ping/pong) and security profile 2 (TLS). */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { basicAuth, createGatewayHarness, eventually, PASSWORD, type GatewayHarness } from './support/gateway-harness';

describe('gateway liveness', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.start({ GATEWAY_HEARTBEAT_INTERVAL_S: '1' });
  });
  afterAll(() => h.close());

  it('marks a charger that stops answering pings offline within one heartbeat interval, connectors Unknown', async () => {
    await h.addCharger('CP_SILENT');
    await h.db.pool.query(`INSERT INTO connectors (station_id, connector_id, status) VALUES ('CP_SILENT', 1, 'Charging')`);
    await h.db.pool.query(`INSERT INTO sessions (id, station_id, connector_id, origin, status) VALUES ('sess_silent', 'CP_SILENT', 1, 'app', 'charging')`);
    const ws = new WebSocket(`${h.gateway.url}/CP_SILENT`, ['ocpp1.6'], { headers: { Authorization: basicAuth('CP_SILENT', PASSWORD) }, autoPong: false });
    h.sockets.push(ws);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    await eventually(() => h.db.pool.query(`SELECT online FROM chargers WHERE id = 'CP_SILENT'`).then((r) => r.rows[0].online), (v) => v === true);
    const since = Date.now();
    const offline = await h.events.waitFor('chargerConnection', (e) => e.sessionId === 'sess_silent' && !e.online, 4000);
    expect(Date.now() - since).toBeLessThan(1500);
    expect(offline.stationId).toBe('CP_SILENT');
    const row = (await h.db.pool.query(`SELECT c.online, k.status FROM chargers c JOIN connectors k ON k.station_id = c.id WHERE c.id = 'CP_SILENT'`)).rows[0];
    expect(row).toEqual({ online: false, status: 'Unknown' });
  });
});

describe('gateway over TLS (security profile 2)', () => {
  let h: GatewayHarness;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'gw-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1',
      '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
    h = await createGatewayHarness();
    await h.start({ GATEWAY_TLS_CERT_FILE: path.join(dir, 'cert.pem'), GATEWAY_TLS_KEY_FILE: path.join(dir, 'key.pem') });
  });
  afterAll(async () => {
    await h?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves wss:// with the configured certificate and still requires the charger password', async () => {
    expect(h.gateway.url).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/ocpp$/);
    await h.addCharger('CP_TLS');
    const ca = readFileSync(path.join(dir, 'cert.pem'));
    const ws = new WebSocket(`${h.gateway.url}/CP_TLS`, ['ocpp1.6'], { headers: { Authorization: basicAuth('CP_TLS', PASSWORD) }, ca });
    h.sockets.push(ws);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    ws.send(JSON.stringify([2, 'hb', 'Heartbeat', {}]));
    const reply = await new Promise<unknown[]>((resolve) => ws.once('message', (d) => resolve(JSON.parse(d.toString()))));
    expect(reply[0]).toBe(3);
    const refused = new WebSocket(`${h.gateway.url}/CP_TLS`, ['ocpp1.6'], { headers: { Authorization: basicAuth('CP_TLS', 'nope') }, ca });
    const status = await new Promise<number>((resolve) => {
      refused.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      refused.on('error', () => undefined);
    });
    expect(status).toBe(401);
  });
});
