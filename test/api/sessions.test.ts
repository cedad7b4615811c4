import { ScriptedSessions, SessionError } from './support/scripted-sessions';
import { startTestApi, TestApi } from './support/api-harness';
import { createTestDatabase } from '../support/database';

describe('driver session endpoints over HTTP (session layer scripted)', () => {
  let api: TestApi;
  let sessions: ScriptedSessions;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    const db = await createTestDatabase();
    sessions = new ScriptedSessions(db.pool);
    api = await startTestApi({ db, sessions });
    alice = await api.createDriver('alice', ['ALICE0001', 'ALICE0002']);
    bob = await api.createDriver('bob', ['BOB0001']);
    await api.call('POST', '/v1/operator/chargers', { body: { stationId: 'CP_1', password: 'password-of-cp-1-123', connectors: 9 } });
  });
  afterAll(async () => {
    await api?.close();
    await api?.db.drop();
  });

  describe('POST /v1/sessions', () => {
    it('starts with the driver\'s first id tag and answers 201 with the session id and status', async () => {
      const res = await api.call('POST', '/v1/sessions', { token: alice, body: { stationId: 'CP_1', connectorId: 1, limits: { maxCost: '5.00' } } });
      expect(res.status).toBe(201);
      expect(res.json).toEqual({ sessionId: expect.stringMatching(/^sess_/), status: 'awaiting_plug_in' });
      expect(res.headers.get('location')).toBe(`/v1/sessions/${res.json.sessionId}`);
      expect(sessions.starts.at(-1)).toEqual({ stationId: 'CP_1', connectorId: 1, driverId: 'alice', idTag: 'ALICE0001', limits: { maxCost: '5.00' }, waitMs: 5000 });
    });

    it('starts with another of the driver\'s id tags when asked, and refuses someone else\'s tag with 422', async () => {
      await api.call('POST', '/v1/sessions', { token: alice, body: { stationId: 'CP_1', connectorId: 2, idTag: 'ALICE0002' } });
      expect(sessions.starts.at(-1)!.idTag).toBe('ALICE0002');
      const count = sessions.starts.length;
      const res = await api.call('POST', '/v1/sessions', { token: alice, body: { stationId: 'CP_1', connectorId: 2, idTag: 'BOB0001' } });
      expect(res.status).toBe(422);
      expect(res.json.error.code).toBe('no_usable_id_tag');
      expect(sessions.starts.length).toBe(count);
    });

    it('does not start with an id tag that has expired by the app clock', async () => {
      const token = await api.createDriver('erik', ['ERIK0001']);
      await api.db.pool.query(`UPDATE id_tags SET expiry_date = '2030-01-01T00:00:00Z' WHERE id_tag = 'ERIK0001'`);
      const later = await startTestApi({ db: api.db, sessions, clock: () => new Date('2030-06-01T00:00:00Z') });
      try {
        const res = await later.call('POST', '/v1/sessions', { token, body: { stationId: 'CP_1', connectorId: 8 } });
        expect(res.status).toBe(422);
        expect(res.json.error.code).toBe('no_usable_id_tag');
        const byOperator = await later.call('POST', '/v1/sessions', { body: { stationId: 'CP_1', connectorId: 8, idTag: 'ERIK0001' } });
        expect(byOperator.json.error).toEqual({ code: 'id_tag_not_usable', message: 'id tag ERIK0001 is Expired' });
      } finally {
        await later.close();
      }
      // Before the expiry (the real clock, 2026) the same tag starts.
      expect((await api.call('POST', '/v1/sessions', { token, body: { stationId: 'CP_1', connectorId: 8 } })).status).toBe(201);
    });

    it('lets an operator start for a named id tag, on behalf of its driver', async () => {
      const res = await api.call('POST', '/v1/sessions', { body: { stationId: 'CP_1', connectorId: 3, idTag: 'BOB0001' } });
      expect(res.status).toBe(201);
      expect(sessions.starts.at(-1)).toMatchObject({ driverId: 'bob', idTag: 'BOB0001' });
      const noTag = await api.call('POST', '/v1/sessions', { body: { stationId: 'CP_1', connectorId: 1 } });
      expect(noTag.status).toBe(400);
      expect(noTag.json.error.details[0].field).toBe('body.idTag');
    });

    it('answers 422 with the reason and the session id when the charger rejects the start', async () => {
      sessions.startOutcome = { accepted: false, reason: 'RemoteStartTransaction rejected by the charger' };
      try {
        const res = await api.call('POST', '/v1/sessions', { token: alice, body: { stationId: 'CP_1', connectorId: 7 } });
        expect(res.status).toBe(422);
        expect(res.json.error).toEqual({ code: 'rejected', message: 'RemoteStartTransaction rejected by the charger', sessionId: expect.stringMatching(/^sess_/) });
      } finally {
        sessions.startOutcome = { accepted: true };
      }
    });

    it.each([
      ['payment_declined', 402, 'the card was declined: Your card was declined.'],
      ['payment_unavailable', 503, 'the payment provider did not place the hold: timed out'],
    ] as const)('answers a card start refused with %s as HTTP %i, with the reason and the session id', async (refusal, status, reason) => {
      sessions.startOutcome = { accepted: false, refusal, reason };
      try {
        // A connector no other test of this file starts on.
        const res = await api.call('POST', '/v1/sessions', { token: alice, body: { stationId: 'CP_1', connectorId: status === 402 ? 21 : 22 } });
        expect(res.status).toBe(status);
        expect(res.json.error).toEqual({ code: refusal, message: reason, sessionId: expect.stringMatching(/^sess_/) });
      } finally {
        sessions.startOutcome = { accepted: true };
      }
    });

    it('answers 409 when the connector already has an active session', async () => {
      const res = await api.call('POST', '/v1/sessions', { token: bob, body: { stationId: 'CP_1', connectorId: 1 } });
      expect(res.status).toBe(409);
      expect(res.json.error.code).toBe('connector_busy');
    });

    it.each([
      ['unknown_station', 404],
      ['unknown_connector', 404],
      ['station_offline', 503],
      ['connector_busy', 409],
      ['rejected', 422],
      ['payment_method_missing', 409],
    ] as const)('maps the session layer\'s %s to HTTP %i with its message', async (code, status) => {
      sessions.startFailure = new SessionError(code, `because ${code}`);
      const res = await api.call('POST', '/v1/sessions', { token: alice, body: { stationId: 'CP_1', connectorId: 1 } });
      expect(res.status).toBe(status);
      expect(res.json.error).toEqual({ code, message: `because ${code}` });
    });
  });

  describe('reading and stopping', () => {
    let sessionId: string;
    beforeAll(async () => {
      sessionId = (await api.call('POST', '/v1/sessions', { token: alice, body: { stationId: 'CP_1', connectorId: 4 } })).json.sessionId;
      sessions.update(sessionId, { status: 'charging', energyKwh: '1.2', costSoFar: '0.3', socPercent: 51, powerW: 11000, lastReadingAt: '2026-11-24T10:10:00.000Z' });
    });

    it('shows the live state to its driver: energy, SoC, power, cost so far, start and last reading time', async () => {
      const res = await api.call('GET', `/v1/sessions/${sessionId}`, { token: alice });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({
        sessionId,
        status: 'charging',
        stationId: 'CP_1',
        connectorId: 4,
        energyKwh: '1.2',
        costSoFar: '0.3',
        socPercent: 51,
        powerW: 11000,
        startTime: '2026-11-24T10:00:00.000Z',
        lastReadingAt: '2026-11-24T10:10:00.000Z',
      });
    });

    it('answers 404 to another driver for every session endpoint, exactly as for a session that does not exist', async () => {
      for (const [method, path] of [
        ['GET', `/v1/sessions/${sessionId}`],
        ['POST', `/v1/sessions/${sessionId}/stop`],
        ['GET', `/v1/sessions/${sessionId}/receipt`],
        ['GET', `/v1/sessions/${sessionId}/receipt.html`],
        ['GET', `/v1/sessions/${sessionId}/events`],
      ]) {
        const theirs = await api.call(method, path, { token: bob });
        const none = await api.call(method, path.replace(sessionId, 'sess_nonexistent'), { token: bob });
        expect({ path, status: theirs.status, error: theirs.json.error }).toEqual({ path, status: 404, error: { code: 'not_found', message: `session ${sessionId} not found` } });
        expect(none.status).toBe(404);
      }
      expect(sessions.stops.filter((s) => s.sessionId === sessionId)).toHaveLength(0);
    });

    it('answers 404 for the receipt until it is issued', async () => {
      const res = await api.call('GET', `/v1/sessions/${sessionId}/receipt`, { token: alice });
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe('receipt_not_issued');
    });

    it('answers 202 with status stopping when the charger does not confirm within the wait', async () => {
      sessions.stopAnswer = 'stopping';
      try {
        const res = await api.call('POST', `/v1/sessions/${sessionId}/stop`, { token: alice, body: { reason: 'done' } });
        expect(res.status).toBe(202);
        expect(res.json).toMatchObject({ sessionId, status: 'stopping' });
        expect(sessions.stops.at(-1)).toEqual({ sessionId, req: { requestedBy: 'driver', reason: 'done' }, waitMs: 5000 });
      } finally {
        sessions.stopAnswer = 'receipt';
      }
    });

    it('answers the receipt when the charger confirms the stop, then serves it as JSON and HTML', async () => {
      const res = await api.call('POST', `/v1/sessions/${sessionId}/stop`, { token: alice });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ session_id: sessionId, energy_kwh: 2.5, total_cost: 0.63, total_cost_exact: '0.63' });
      const json = await api.call('GET', `/v1/sessions/${sessionId}/receipt`, { token: alice });
      expect(json.json).toEqual(res.json);
      const html = await api.call('GET', `/v1/sessions/${sessionId}/receipt.html`, { token: alice });
      expect(html.status).toBe(200);
      expect(html.headers.get('content-type')).toMatch(/^text\/html/);
      expect(html.text).toContain('0.63 EUR');
      expect(html.text).toContain('2.5 kWh');
      expect(html.text).toContain(sessionId);
    });

    it('maps a stop of a session that is not running to 409', async () => {
      sessions.stopAnswer = new SessionError('not_running', `session ${sessionId} is completed`);
      try {
        const res = await api.call('POST', `/v1/sessions/${sessionId}/stop`, { token: alice });
        expect(res.status).toBe(409);
        expect(res.json.error.code).toBe('not_running');
      } finally {
        sessions.stopAnswer = 'receipt';
      }
    });

    it('lets an operator force-stop any driver\'s session', async () => {
      const other = (await api.call('POST', '/v1/sessions', { token: bob, body: { stationId: 'CP_1', connectorId: 5 } })).json.sessionId;
      const res = await api.call('POST', `/v1/sessions/${other}/stop`, { body: { reason: 'maintenance' } });
      expect(res.status).toBe(200);
      expect(sessions.stops.at(-1)!.req).toEqual({ requestedBy: 'operator', reason: 'maintenance' });
    });

    it('escapes what it writes into the HTML receipt', async () => {
      const id = (await api.call('POST', '/v1/sessions', { token: alice, body: { stationId: 'CP_1', connectorId: 6 } })).json.sessionId;
      await sessions.complete(id, { ...(await sessions.stopSession(id, { requestedBy: 'driver' }, 0) as any).receipt, stop_reason: '<script>alert(1)</script>' });
      const html = await api.call('GET', `/v1/sessions/${id}/receipt.html`, { token: alice });
      expect(html.text).not.toContain('<script>alert');
      expect(html.text).toContain('&lt;script&gt;');
    });
  });

  describe('GET /v1/sessions', () => {
    const ids: string[] = [];
    beforeAll(async () => {
      // Seven of carol's sessions a minute apart, two of dave's: the history is from PostgreSQL.
      for (const d of ['carol', 'dave']) await api.createDriver(d);
      for (let i = 0; i < 7; i++) {
        const id = `sess_carol_${i}`;
        ids.push(id);
        await api.db.pool.query(
          `INSERT INTO sessions (id, station_id, connector_id, driver_id, origin, status, active, created_at)
           VALUES ($1, 'CP_9', 1, 'carol', 'app', $2, FALSE, TIMESTAMPTZ '2026-11-01T10:00:00.123456Z' + $3 * interval '1 minute')`,
          [id, i === 3 ? 'failed' : 'completed', i],
        );
      }
      await api.db.pool.query(
        `INSERT INTO receipts (session_id, station_id, connector_id, driver_id, status, currency, energy_kwh, rate_per_kwh, total_cost, end_time, body)
         VALUES ('sess_carol_6', 'CP_9', 1, 'carol', 'completed', 'EUR', 2.5, 0.25, 0.63, '2026-11-01T11:00:00Z', '{}'),
                ('sess_carol_5', 'CP_9', 1, 'carol', 'completed', 'EUR', 6, 0.25, 1.5, '2026-11-01T10:59:00Z', '{}')`,
      );
      for (const i of [0, 1]) {
        await api.db.pool.query(`INSERT INTO sessions (id, station_id, connector_id, driver_id, origin, status, active) VALUES ($1, 'CP_8', 1, 'dave', 'app', 'completed', FALSE)`, [`sess_dave_${i}`]);
      }
    });

    it('pages a driver\'s own history newest first with a cursor, ending with a null cursor', async () => {
      const carol = (await api.call('POST', '/v1/operator/drivers/carol/tokens')).json.token;
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: any = await api.call('GET', `/v1/sessions?limit=3${cursor ? `&cursor=${cursor}` : ''}`, { token: carol });
        expect(res.status).toBe(200);
        seen.push(...res.json.sessions.map((s: { sessionId: string }) => s.sessionId));
        cursor = res.json.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual([...ids].reverse());
    });

    it('pages with page and limit too, and includes the receipt totals once issued', async () => {
      const carol = (await api.call('POST', '/v1/operator/drivers/carol/tokens')).json.token;
      const first = await api.call('GET', '/v1/sessions?page=1&limit=2', { token: carol });
      expect(first.json.sessions[0]).toMatchObject({ sessionId: 'sess_carol_6', receipt: { energyKwh: '2.5', totalCost: '0.63', currency: 'EUR' } });
      // Money as the receipt states it, to the cent; energy without padding.
      expect(first.json.sessions[1].receipt).toMatchObject({ energyKwh: '6', totalCost: '1.50' });
      const third = await api.call('GET', '/v1/sessions?page=3&limit=2', { token: carol });
      expect(third.json.sessions.map((s: { sessionId: string }) => s.sessionId)).toEqual(['sess_carol_2', 'sess_carol_1']);
      expect(third.json.sessions[0].receipt).toBeNull(); // no receipt issued yet
      expect((await api.call('GET', '/v1/sessions?page=1&cursor=abc', { token: carol })).status).toBe(400);
      expect((await api.call('GET', '/v1/sessions?cursor=not-a-cursor', { token: carol })).json.error.details[0].field).toBe('query.cursor');
    });

    it('never shows a driver someone else\'s sessions, even when asked by driver id', async () => {
      const dave = (await api.call('POST', '/v1/operator/drivers/dave/tokens')).json.token;
      const own = await api.call('GET', '/v1/sessions', { token: dave });
      expect(own.json.sessions.map((s: { driverId: string }) => s.driverId)).toEqual(['dave', 'dave']);
      const theirs = await api.call('GET', '/v1/sessions?driverId=carol', { token: dave });
      expect(theirs.json.sessions).toEqual([]);
    });

    it('lets an operator list and filter all sessions', async () => {
      const all = await api.call('GET', '/v1/sessions?limit=100');
      expect(new Set(all.json.sessions.map((s: { driverId: string }) => s.driverId))).toEqual(new Set(['alice', 'bob', 'carol', 'dave', 'erik']));
      const failed = await api.call('GET', '/v1/sessions?status=failed&driverId=carol');
      expect(failed.json.sessions.map((s: { sessionId: string }) => s.sessionId)).toEqual(['sess_carol_3']);
      const byStation = await api.call('GET', '/v1/sessions?stationId=CP_8&active=false');
      expect(byStation.json.sessions).toHaveLength(2);
    });
  });
});
