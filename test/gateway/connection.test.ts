/** Connecting to the gateway: authentication, subprotocol, paths, rate limits, routing, replacement, boot/heartbeat/status. */
import { createGatewayHarness, eventually, upgradeStatus, basicAuth, PASSWORD, type GatewayHarness } from './support/gateway-harness';

describe('gateway connections', () => {
  let h: GatewayHarness;

  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.start({}, { authRateLimit: { perCharger: { maxFailures: 3, windowMs: 60_000 }, perAddress: { maxFailures: 1000, windowMs: 60_000 } } });
  });
  afterAll(() => h.close());

  const charger = (id: string) => h.db.pool.query('SELECT * FROM chargers WHERE id = $1', [id]).then((r) => r.rows[0]);

  it('boots, heartbeats and reports connector status, all persisted, and routes the charger to this gateway', async () => {
    await h.addCharger('CP_BOOT');
    const cp = h.chargePoint({ chargePointId: 'CP_BOOT', vendor: 'Acme', model: 'Volt 22', connectors: 2 });
    const boot = await cp.connect();
    expect(boot.status).toBe('Accepted');
    expect(cp.configuration.get('HeartbeatInterval')).toBe('60');

    const hb = await cp.heartbeat();
    expect(Math.abs(Date.parse(hb.currentTime) - Date.now())).toBeLessThan(5000);
    await cp.statusNotification(2, 'Faulted', 'GroundFailure');

    const row = await charger('CP_BOOT');
    expect(row).toMatchObject({ vendor: 'Acme', model: 'Volt 22', serial_number: 'SIM-CP_BOOT', firmware_version: '1.0.0', online: true, gateway_id: 'gw-test' });
    expect(row.booted_at).not.toBeNull();
    expect(row.last_heartbeat_at).not.toBeNull();
    expect(Number(row.connection_epoch)).toBeGreaterThan(0);

    const connectors = await h.db.pool.query('SELECT connector_id, status, error_code FROM connectors WHERE station_id = $1 ORDER BY connector_id', ['CP_BOOT']);
    expect(connectors.rows).toEqual([
      { connector_id: 1, status: 'Available', error_code: 'NoError' },
      { connector_id: 2, status: 'Faulted', error_code: 'GroundFailure' },
    ]);
    const notes = await h.db.pool.query('SELECT connector_id, status FROM status_notifications WHERE station_id = $1 ORDER BY id', ['CP_BOOT']);
    expect(notes.rows.map((r) => `${r.connector_id}:${r.status}`)).toEqual(['1:Available', '2:Available', '2:Faulted']);

    await cp.close();
    const offline = await eventually(() => charger('CP_BOOT'), (r) => r.online === false);
    expect(offline.disconnected_at).not.toBeNull();
    const status = await h.db.pool.query(`SELECT DISTINCT status FROM connectors WHERE station_id = 'CP_BOOT'`);
    expect(status.rows).toEqual([{ status: 'Unknown' }]);
    const events = await h.db.pool.query(`SELECT event FROM connection_events WHERE station_id = 'CP_BOOT' ORDER BY id`);
    expect(events.rows.map((r) => r.event)).toEqual(['connected', 'disconnected']);
  });

  it('refuses a wrong password and an unknown charger with 401, and records the failures', async () => {
    await h.addCharger('CP_PW');
    expect((await upgradeStatus(`${h.gateway.url}/CP_PW`, { authorization: basicAuth('CP_PW', 'wrong') })).status).toBe(401);
    expect((await upgradeStatus(`${h.gateway.url}/CP_NOBODY`, { authorization: basicAuth('CP_NOBODY', PASSWORD) })).status).toBe(401);
    expect((await upgradeStatus(`${h.gateway.url}/CP_PW`, { authorization: basicAuth('CP_PW', PASSWORD) })).status).toBe(101);
    const failures = await h.db.pool.query(`SELECT station_id, reason FROM connection_events WHERE event = 'auth_failed' AND station_id IN ('CP_PW', 'CP_NOBODY') ORDER BY id`);
    expect(failures.rows).toEqual([
      { station_id: 'CP_PW', reason: 'wrong password' },
      { station_id: 'CP_NOBODY', reason: 'unknown charger' },
    ]);
    const unknown = await h.db.pool.query(`SELECT 1 FROM chargers WHERE id = 'CP_NOBODY'`);
    expect(unknown.rows).toHaveLength(0);
  });

  it('challenges an upgrade without credentials with 401 WWW-Authenticate Basic, and does not count it as a failed login', async () => {
    await h.addCharger('CP_CHALLENGE');
    // More than the per-charger limit (3) of requests without an Authorization header …
    for (let i = 0; i < 5; i++) {
      const challenge = await upgradeStatus(`${h.gateway.url}/CP_CHALLENGE`);
      expect(challenge.status).toBe(401);
      expect(challenge.headers['www-authenticate']).toBe('Basic realm="ocpp"');
    }
    // … and the charger still gets in with its password; nothing was recorded as a failure.
    expect((await upgradeStatus(`${h.gateway.url}/CP_CHALLENGE`, { authorization: basicAuth('CP_CHALLENGE', PASSWORD) })).status).toBe(101);
    const failures = await h.db.pool.query(`SELECT count(*)::int AS n FROM connection_events WHERE event = 'auth_failed' AND station_id = 'CP_CHALLENGE'`);
    expect(failures.rows[0].n).toBe(0);
  });

  it('rate-limits failed authentication per charger id and address: the guessing address is refused with 429 even with the right password, the charger\'s own is not', async () => {
    await h.addCharger('CP_BRUTE');
    const attacker = '127.0.0.13';
    for (let i = 0; i < 3; i++) {
      expect((await upgradeStatus(`${h.gateway.url}/CP_BRUTE`, { authorization: basicAuth('CP_BRUTE', `guess${i}`), localAddress: attacker })).status).toBe(401);
    }
    expect((await upgradeStatus(`${h.gateway.url}/CP_BRUTE`, { authorization: basicAuth('CP_BRUTE', PASSWORD), localAddress: attacker })).status).toBe(429);
    // The guesses do not keep the charger offline: from its own address, its password still works.
    expect((await upgradeStatus(`${h.gateway.url}/CP_BRUTE`, { authorization: basicAuth('CP_BRUTE', PASSWORD), localAddress: '127.0.0.14' })).status).toBe(101);
    // Another charger from the guessing address is not affected by this charger's limit.
    await h.addCharger('CP_NEIGHBOUR');
    expect((await upgradeStatus(`${h.gateway.url}/CP_NEIGHBOUR`, { authorization: basicAuth('CP_NEIGHBOUR', PASSWORD), localAddress: attacker })).status).toBe(101);
  });

  it('refuses a connection without an ocpp1.6 or ocpp2.0.1 subprotocol, or with another one, at the upgrade with 400', async () => {
    await h.addCharger('CP_PROTO');
    const auth = basicAuth('CP_PROTO', PASSWORD);
    const none = await upgradeStatus(`${h.gateway.url}/CP_PROTO`, { protocols: [], authorization: auth });
    expect(none.status).toBe(400);
    expect(none.body).toMatch(/ocpp2\.0\.1 or ocpp1\.6/);
    expect((await upgradeStatus(`${h.gateway.url}/CP_PROTO`, { protocols: ['ocpp1.5'], authorization: auth })).status).toBe(400);
    expect((await upgradeStatus(`${h.gateway.url}/CP_PROTO`, { protocols: ['ocpp2.1'], authorization: auth })).status).toBe(400);
    expect((await upgradeStatus(`${h.gateway.url}/CP_PROTO`, { protocols: ['ocpp2.0.1'], authorization: auth })).status).toBe(101);
    expect((await upgradeStatus(`${h.gateway.url}/CP_PROTO`, { protocols: ['ocpp2.0.1', 'ocpp1.6'], authorization: auth })).status).toBe(101);
  });

  it('refuses any path other than <prefix>/<chargePointId> with 404', async () => {
    const base = h.gateway.url.replace(/\/ocpp$/, '');
    const auth = basicAuth('CP_PW', PASSWORD);
    for (const path of ['/other/CP_PW', '/ocpp', '/ocpp/', '/ocpp/CP_PW/extra', '/ocpp/%E0%A4%A']) {
      expect([path, (await upgradeStatus(`${base}${path}`, { authorization: auth })).status]).toEqual([path, 404]);
    }
  });

  it('replaces the old connection when the same charger connects again, keeping it routed and online', async () => {
    await h.addCharger('CP_TWICE');
    const first = h.chargePoint({ chargePointId: 'CP_TWICE' });
    await first.connect();
    const epochBefore = Number((await charger('CP_TWICE')).connection_epoch);
    const closed = new Promise<{ code?: number; reason?: string }>((resolve) => first.once('disconnected', resolve));

    const second = h.chargePoint({ chargePointId: 'CP_TWICE' });
    await second.connect();
    expect(await closed).toMatchObject({ code: 1000, reason: 'Replaced by a new connection' });
    expect((await second.heartbeat()).currentTime).toBeDefined();

    const row = await eventually(() => charger('CP_TWICE'), (r) => Number(r.connection_epoch) > epochBefore);
    expect(row.online).toBe(true);
    const events = await eventually(
      () => h.db.pool.query(`SELECT event FROM connection_events WHERE station_id = 'CP_TWICE' ORDER BY id`).then((r) => r.rows.map((x) => x.event)),
      (e) => e.includes('replaced') && e.filter((x) => x === 'connected').length === 2 && e.includes('disconnected'),
    );
    expect(events).toContain('replaced');
    // The replaced connection's close does not take the charger offline.
    await new Promise((r) => setTimeout(r, 100));
    expect((await charger('CP_TWICE')).online).toBe(true);
  });

  it('tells the session layer when a charger with an active session drops and comes back, with the connection epoch', async () => {
    await h.addCharger('CP_DROP');
    await h.db.pool.query(`INSERT INTO sessions (id, station_id, connector_id, origin, status) VALUES ('sess_drop', 'CP_DROP', 1, 'app', 'charging')`);
    const cp = h.chargePoint({ chargePointId: 'CP_DROP' });
    await cp.connect();
    const online1 = await h.events.waitFor('chargerConnection', (e) => e.sessionId === 'sess_drop' && e.online);
    cp.dropConnection();
    const offline = await h.events.waitFor('chargerConnection', (e) => e.sessionId === 'sess_drop' && !e.online);
    expect(offline.connectionEpoch).toBe(online1.connectionEpoch);
    expect((await charger('CP_DROP')).online).toBe(false);
    await cp.reconnect();
    const online2 = await h.events.waitFor('chargerConnection', (e) => e.sessionId === 'sess_drop' && e.online && e.connectionEpoch > online1.connectionEpoch);
    expect(online2.stationId).toBe('CP_DROP');
    expect((await charger('CP_DROP')).online).toBe(true);
  });

  it('answers Rejected to a charger whose registration was rejected', async () => {
    await h.addCharger('CP_REJ', PASSWORD, 'Rejected');
    const cp = h.chargePoint({ chargePointId: 'CP_REJ' });
    expect((await cp.connect()).status).toBe('Rejected');
  });

  // Last: it leaves a second gateway in h.gateway.
  it('on start, releases chargers a crashed process with the same gateway id left marked online (and only those)', async () => {
    await h.addCharger('CP_STALE');
    await h.addCharger('CP_ELSEWHERE');
    await h.db.pool.query(`UPDATE chargers SET online = TRUE, gateway_id = 'gw-restart', connection_epoch = 1 WHERE id = 'CP_STALE'`);
    await h.db.pool.query(`UPDATE chargers SET online = TRUE, gateway_id = 'gw-other', connection_epoch = 2 WHERE id = 'CP_ELSEWHERE'`);
    const restarted = await h.start({ GATEWAY_ID: 'gw-restart' });
    expect(restarted.gatewayId).toBe('gw-restart');
    expect((await charger('CP_STALE')).online).toBe(false);
    expect((await charger('CP_ELSEWHERE')).online).toBe(true);
  });
});

describe('gateway with auto-registration', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.start({ GATEWAY_AUTO_REGISTER: 'true', GATEWAY_PATH_PREFIX: '/cs/ocpp16' });
  });
  afterAll(() => h.close());

  it('admits an unknown charger as Pending, and then holds it to the password it registered with', async () => {
    expect(h.gateway.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/cs\/ocpp16$/);
    const cp = h.chargePoint({ chargePointId: 'CP_NEW' });
    expect((await cp.connect()).status).toBe('Pending');
    const row = (await h.db.pool.query(`SELECT registration_status, password_hash, vendor FROM chargers WHERE id = 'CP_NEW'`)).rows[0];
    expect(row).toMatchObject({ registration_status: 'Pending', vendor: 'Simulator' });
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect((await upgradeStatus(`${h.gateway.url}/CP_NEW`, { authorization: basicAuth('CP_NEW', 'another') })).status).toBe(401);
    expect((await upgradeStatus(`${h.gateway.url}/CP_ANON`)).status).toBe(401);
    // A request without credentials registers nothing.
    expect((await h.db.pool.query(`SELECT 1 FROM chargers WHERE id = 'CP_ANON'`)).rows).toHaveLength(0);
  });

});

describe('gateway under a connection flood', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.addCharger('CP_FLOOD_OK');
    await h.start({ GATEWAY_CONNECTS_PER_ADDRESS_PER_MINUTE: '5' });
  });
  afterAll(() => h.close());

  it('refuses an address that opens connections too fast with 429, whatever the charger id or password', async () => {
    for (let i = 0; i < 5; i++) expect((await upgradeStatus(`${h.gateway.url}/FLOOD_${i}`, { authorization: basicAuth(`FLOOD_${i}`, 'x') })).status).toBe(401);
    expect((await upgradeStatus(`${h.gateway.url}/CP_FLOOD_OK`, { authorization: basicAuth('CP_FLOOD_OK', PASSWORD) })).status).toBe(429);
  });
});
