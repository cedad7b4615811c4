/**
 * An OCPP 2.0.1 station's registration over a real socket (B01–B03; the rules:
 * src/gateway/rules/registration-v201.ts) and the 2.0.1 password rule of security profiles 1 and 2
 * (A00.FR.205; src/gateway/rules/station-password-v201.ts).
 */
import { ChargerCommandErrors } from '../../../src/ocpp/charger-commands';
import { basicAuth, commandFailure, createGatewayHarness, rawSocket, upgradeStatus, type GatewayHarness, type RawOcppSocket } from '../support/gateway-harness';

const boot = { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'AC-22' } };
const now = () => new Date().toISOString();

/** One valid request of every message a 2.0.1 station sends to the CSMS (TransactionEvent for an unknown transaction). */
const messages: Record<string, object> = {
  Heartbeat: {},
  StatusNotification: { timestamp: now(), connectorStatus: 'Available', evseId: 1, connectorId: 1 },
  MeterValues: { evseId: 1, meterValue: [{ timestamp: now(), sampledValue: [{ value: 1200 }] }] },
  NotifyReport: { requestId: 1, generatedAt: now(), seqNo: 0, reportData: [{ component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' }, variableAttribute: [{ value: '60' }] }] },
  NotifyEvent: {
    generatedAt: now(),
    seqNo: 0,
    eventData: [{ eventId: 1, timestamp: now(), trigger: 'Alerting', actualValue: 'true', eventNotificationType: 'HardWiredNotification', component: { name: 'ChargingStation' }, variable: { name: 'Problem' } }],
  },
  SecurityEventNotification: { type: 'StartupOfTheDevice', timestamp: now() },
  FirmwareStatusNotification: { status: 'Idle' },
  LogStatusNotification: { status: 'Idle' },
  Authorize: { idToken: { idToken: 'REG_TAG', type: 'ISO14443' } },
  DataTransfer: { vendorId: 'com.acme' },
};

describe('OCPP 2.0.1 registration and passwords', () => {
  let h: GatewayHarness;

  beforeAll(async () => {
    h = await createGatewayHarness();
    // Many refused handshakes from one address in this file: the failed-auth limits are not under test here.
    await h.start({}, { authRateLimit: { perCharger: { maxFailures: 100, windowMs: 60_000 }, perAddress: { maxFailures: 100, windowMs: 60_000 } } });
    await h.addIdTag('REG_TAG');
  });
  afterAll(() => h.close());

  /** Each action's reply: 'ok' for a CALLRESULT, else the CALLERROR code. */
  async function replies(ws: RawOcppSocket, actions: string[]): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const action of actions) {
      const reply = await ws.call(`${action}-${Math.random()}`, action, messages[action]);
      out[action] = reply[0] === 3 ? 'ok' : String(reply[2]);
    }
    return out;
  }
  const count = async (table: string, stationId: string) => (await h.db.pool.query(`SELECT count(*)::int AS n FROM ${table} WHERE station_id = $1`, [stationId])).rows[0].n;

  describe('registration status (B01–B03)', () => {
    it('B03: a Rejected station is answered BootNotification only (with the interval to retry after); everything else is a SecurityError and nothing is stored', async () => {
      await h.addCharger('CS_REG_REJ', undefined, 'Rejected');
      const ws = await rawSocket(h, 'CS_REG_REJ', undefined, ['ocpp2.0.1']);
      const answer = await ws.call('boot', 'BootNotification', boot);
      expect(answer[2]).toMatchObject({ status: 'Rejected', interval: 60 });
      const all = Object.keys(messages);
      expect(await replies(ws, all)).toEqual(Object.fromEntries(all.map((a) => [a, 'SecurityError'])));
      for (const table of ['status_notifications', 'meter_samples', 'station_events', 'station_security_events', 'station_device_model', 'data_transfers']) {
        expect([table, await count(table, 'CS_REG_REJ')]).toEqual([table, 0]);
      }
      ws.ws.terminate();
    });

    it('TC_B_02_CSMS: a Pending station is heard on what it reports (status, meter values, its device model, events), but may not Authorize or DataTransfer', async () => {
      await h.addCharger('CS_REG_PEND', undefined, 'Pending');
      const ws = await rawSocket(h, 'CS_REG_PEND', undefined, ['ocpp2.0.1']);
      expect((await ws.call('boot', 'BootNotification', boot))[2]).toMatchObject({ status: 'Pending', interval: 60 });
      expect(await replies(ws, Object.keys(messages))).toEqual({
        Heartbeat: 'ok',
        StatusNotification: 'ok',
        MeterValues: 'ok',
        NotifyReport: 'ok',
        NotifyEvent: 'ok',
        SecurityEventNotification: 'ok',
        FirmwareStatusNotification: 'ok',
        LogStatusNotification: 'ok',
        Authorize: 'SecurityError',
        DataTransfer: 'SecurityError',
      });
      expect(await count('meter_samples', 'CS_REG_PEND')).toBe(1);
      expect(await count('station_device_model', 'CS_REG_PEND')).toBe(1);
      expect(await count('data_transfers', 'CS_REG_PEND')).toBe(0);
      ws.ws.terminate();
    });

    it('follows the operator: once Accepted, Authorize is answered without a new boot; Rejected at the next boot, only BootNotification is heard', async () => {
      await h.addCharger('CS_REG_FLIP', undefined, 'Pending');
      const ws = await rawSocket(h, 'CS_REG_FLIP', undefined, ['ocpp2.0.1']);
      await ws.call('boot', 'BootNotification', boot);
      expect(await replies(ws, ['Authorize'])).toEqual({ Authorize: 'SecurityError' });
      await h.db.pool.query(`UPDATE chargers SET registration_status = 'Accepted' WHERE id = 'CS_REG_FLIP'`);
      expect(await replies(ws, ['Authorize', 'DataTransfer'])).toEqual({ Authorize: 'ok', DataTransfer: 'ok' });
      await h.db.pool.query(`UPDATE chargers SET registration_status = 'Rejected' WHERE id = 'CS_REG_FLIP'`);
      expect((await ws.call('boot2', 'BootNotification', boot))[2]).toMatchObject({ status: 'Rejected' });
      expect(await replies(ws, ['StatusNotification', 'NotifyEvent'])).toEqual({ StatusNotification: 'SecurityError', NotifyEvent: 'SecurityError' });
      ws.ws.terminate();
    });

    it('the CSMS sends a Pending station configuration commands (ClearCache), and a Rejected one nothing at all', async () => {
      await h.addCharger('CS_REG_CMD', undefined, 'Pending');
      const pending = await rawSocket(h, 'CS_REG_CMD', undefined, ['ocpp2.0.1']);
      await pending.call('boot', 'BootNotification', boot);
      pending.ws.on('message', (data) => {
        const [type, id, action] = JSON.parse(data.toString());
        if (type === 2 && action === 'ClearCache') pending.send(JSON.stringify([3, id, { status: 'Accepted' }]));
      });
      await expect(h.gateway.commands.clearCache({ stationId: 'CS_REG_CMD' })).resolves.toEqual({ status: 'Accepted' });
      pending.ws.terminate();

      await h.addCharger('CS_REG_CMD_REJ', undefined, 'Rejected');
      const rejected = await rawSocket(h, 'CS_REG_CMD_REJ', undefined, ['ocpp2.0.1']);
      await rejected.call('boot', 'BootNotification', boot);
      const err = await commandFailure(h.gateway.commands.clearCache({ stationId: 'CS_REG_CMD_REJ' }));
      expect(err).toMatchObject({ type: ChargerCommandErrors.NotAccepted, nonRetryable: true });
      await new Promise((r) => setTimeout(r, 100));
      expect(rejected.received.filter((m) => m[0] === 2)).toEqual([]);
      rejected.ws.terminate();
    });
  });

  describe('passwords (security profile 1/2, A00.FR.205: 16–40 printable ASCII characters)', () => {
    const connect = (id: string, password: string, protocols: string[], username = id) =>
      upgradeStatus(`${h.gateway.url}/${id}`, { protocols, authorization: basicAuth(username, password) }).then((r) => r.status);

    it('TC_A_01_CSMS: a 2.0.1 station with its password (16 and 40 characters) is let in', async () => {
      for (const password of ['p'.repeat(16), 'Q'.repeat(40)]) {
        const id = `CS_PW_OK_${password.length}`;
        await h.addCharger(id, password);
        expect(await connect(id, password, ['ocpp2.0.1'])).toBe(101);
      }
    });

    it('a 2.0.1 station presenting a password outside the rule is refused like a wrong one, even when it is the stored one; a 1.6 station with it still connects', async () => {
      for (const password of ['short-password1', 'L'.repeat(41), 'pässwörd-mit-umlaut']) {
        const id = `CS_PW_BAD_${password.length}`;
        await h.addCharger(id, password);
        expect([password, await connect(id, password, ['ocpp2.0.1'])]).toEqual([password, 401]);
        expect([password, await connect(id, password, ['ocpp1.6'])]).toEqual([password, 101]);
      }
      const refusals = await h.db.pool.query(`SELECT reason FROM connection_events WHERE station_id = 'CS_PW_BAD_15' AND event = 'auth_failed'`);
      expect(refusals.rows.map((r) => r.reason)).toEqual([expect.stringMatching(/OCPP 2\.0\.1 rule/)]);
    });

    it('TC_A_02_CSMS: a username that is not the station id is refused', async () => {
      await h.addCharger('CS_PW_USER', 'a-good-password-16');
      expect(await connect('CS_PW_USER', 'a-good-password-16', ['ocpp2.0.1'], 'CS_PW_USER_Invalid')).toBe(401);
      expect(await connect('CS_PW_USER', 'a-good-password-16', ['ocpp2.0.1'])).toBe(101);
    });
  });
});

describe('OCPP 2.0.1 auto-registration', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.start({ GATEWAY_AUTO_REGISTER: 'true' });
  });
  afterAll(() => h.close());

  it('never registers an unknown 2.0.1 station whose password breaks the rule; one within it is registered Pending', async () => {
    const status = (id: string, password: string) => upgradeStatus(`${h.gateway.url}/${id}`, { protocols: ['ocpp2.0.1'], authorization: basicAuth(id, password) }).then((r) => r.status);
    expect(await status('CS_AUTO_SHORT', 'too-short')).toBe(401);
    expect(await status('CS_AUTO_OK', 'long-enough-password')).toBe(101);
    const rows = await h.db.pool.query(`SELECT id, registration_status FROM chargers WHERE id LIKE 'CS_AUTO_%' ORDER BY id`);
    expect(rows.rows).toEqual([{ id: 'CS_AUTO_OK', registration_status: 'Pending' }]);
  });
});
