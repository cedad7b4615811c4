/**
 * ChangeAvailability through the operator API on the whole stack (time-skipping Temporal server,
 * session worker, gateway, API, PostgreSQL, simulated chargers over real WebSockets): the station's
 * answer, what the station view shows (requested, scheduled, effective as the station reports it),
 * and that no session starts, and no RemoteStartTransaction is sent, on an Inoperative connector.
 */
import type { SimulatedChargePoint } from '../../src/simulator/charge-point';
import { startStack, type Stack } from '../reliability/support/stack';

describe('station availability (ChangeAvailability)', () => {
  let stack: Stack;
  let driver: string;

  beforeAll(async () => {
    stack = await startStack({
      name: 'availability',
      env: { GATEWAY_COMMAND_TIMEOUT_MS: '1500', SESSION_COMMAND_TIMEOUT_MS: '2500' },
    });
    await stack.api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
    driver = await stack.api.createDriver('ann', ['ANN-1', 'ANN-2', 'ANN-3']);
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** A registered, connected charger, and every command it received. */
  async function charger(id: string, connectors = 1): Promise<{ cp: SimulatedChargePoint; received: { action: string; params: any }[] }> {
    await stack.addCharger(id, connectors);
    const cp = await stack.connectCharger(id, { connectors });
    const received: { action: string; params: any }[] = [];
    cp.on('call', (c: { action: string; params: unknown }) => received.push(c));
    return { cp, received };
  }
  const setAvailability = (stationId: string, body: unknown) => stack.api.call('POST', `/v1/operator/stations/${stationId}/availability`, { body });
  const station = async (stationId: string) => (await stack.api.call('GET', `/v1/stations/${stationId}`)).json;
  const connector = async (stationId: string, connectorId: number) => (await station(stationId)).connectors.find((c: any) => c.connectorId === connectorId);
  const eventuallyConnector = (stationId: string, connectorId: number, accept: (c: any) => boolean) =>
    stack.eventually(`connector ${connectorId} of ${stationId}`, () => connector(stationId, connectorId), accept);
  // Each test that charges uses its own id tag: a tag charges once at a time (ConcurrentTx).
  const startSession = (stationId: string, connectorId = 1, idTag = 'ANN-1') =>
    stack.api.call('POST', '/v1/sessions', { token: driver, body: { stationId, connectorId, idTag } });
  const remoteStarts = (received: { action: string }[]) => received.filter((c) => c.action === 'RemoteStartTransaction').length;

  it('an Inoperative connector (Accepted) shows as requested and, once the station reports Unavailable, effective; no session starts there and no RemoteStart is sent', async () => {
    const { received } = await charger('CP_AV_IDLE');
    const res = await setAvailability('CP_AV_IDLE', { connectorId: 1, type: 'Inoperative' });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ stationId: 'CP_AV_IDLE', connectorId: 1, type: 'Inoperative', status: 'Accepted' });
    expect(received).toContainEqual(expect.objectContaining({ action: 'ChangeAvailability', params: { connectorId: 1, type: 'Inoperative' } }));
    const c = await eventuallyConnector('CP_AV_IDLE', 1, (k) => k.availability.effective === 'Inoperative');
    expect(c).toMatchObject({ status: 'Unavailable', availability: { requested: 'Inoperative', scheduled: false, effective: 'Inoperative' } });

    const refused = await startSession('CP_AV_IDLE');
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('connector_inoperative');
    expect(remoteStarts(received)).toBe(0);
    expect((await stack.db.pool.query(`SELECT count(*)::int AS n FROM sessions WHERE station_id = 'CP_AV_IDLE'`)).rows[0].n).toBe(0);
  });

  it('Operative again lifts the block once the station reports the connector Available', async () => {
    const { cp, received } = await charger('CP_AV_BACK');
    await setAvailability('CP_AV_BACK', { connectorId: 1, type: 'Inoperative' });
    await eventuallyConnector('CP_AV_BACK', 1, (k) => k.status === 'Unavailable');
    const res = await setAvailability('CP_AV_BACK', { connectorId: 1, type: 'Operative' });
    expect(res.json.status).toBe('Accepted');
    const c = await eventuallyConnector('CP_AV_BACK', 1, (k) => k.status === 'Available');
    expect(c.availability).toMatchObject({ requested: 'Operative', scheduled: false, effective: 'Operative' });
    const started = await startSession('CP_AV_BACK');
    expect(started.status).toBe(201);
    expect(remoteStarts(received)).toBe(1);
    await stack.eventually('the transaction', async () => cp.transactionId(1), (id) => id !== undefined);
    await cp.stopTransaction(1, 'Local');
    await stack.receipt(started.json.sessionId);
  });

  it('a Rejected change is the station\'s answer (200) and records nothing', async () => {
    const { cp } = await charger('CP_AV_REJECT');
    cp.behaviour.ChangeAvailability = 'reject';
    const res = await setAvailability('CP_AV_REJECT', { connectorId: 1, type: 'Inoperative' });
    expect(res.status).toBe(200);
    expect(res.json.status).toBe('Rejected');
    expect((await connector('CP_AV_REJECT', 1)).availability).toMatchObject({ requested: null, scheduled: false });
    expect(cp.operative(1)).toBe(true);
  });

  it('Inoperative while a transaction runs is Scheduled, shown as scheduled, effective when the station reports Unavailable after the transaction; then no new session starts', async () => {
    const { cp, received } = await charger('CP_AV_SCHED');
    const started = await startSession('CP_AV_SCHED', 1, 'ANN-2');
    expect(started.status).toBe(201);
    await eventuallyConnector('CP_AV_SCHED', 1, (k) => k.status === 'Charging');

    const res = await setAvailability('CP_AV_SCHED', { connectorId: 1, type: 'Inoperative' });
    expect(res.json.status).toBe('Scheduled');
    expect((await connector('CP_AV_SCHED', 1)).availability).toMatchObject({ requested: 'Inoperative', scheduled: true, effective: 'Operative' });

    const stop = await stack.api.call('POST', `/v1/sessions/${started.json.sessionId}/stop`, { token: driver });
    expect([200, 202]).toContain(stop.status);
    const c = await eventuallyConnector('CP_AV_SCHED', 1, (k) => k.status === 'Unavailable');
    expect(c.availability).toMatchObject({ requested: 'Inoperative', scheduled: false, effective: 'Inoperative' });

    const before = remoteStarts(received);
    const refused = await startSession('CP_AV_SCHED');
    expect(refused.status).toBe(409);
    expect(refused.json.error.code).toBe('connector_inoperative');
    expect(remoteStarts(received)).toBe(before);

    // Done is stored, not only inferred: offline (status Unknown) it is still not scheduled.
    await cp.close();
    const offline = await eventuallyConnector('CP_AV_SCHED', 1, (k) => k.status === 'Unknown');
    expect(offline.availability).toMatchObject({ requested: 'Inoperative', scheduled: false, effective: 'Unknown' });
  });

  it('a scheduled Inoperative already refuses new sessions while the running transaction ends', async () => {
    const { cp, received } = await charger('CP_AV_PENDING', 1);
    await cp.startTransaction(1, 'ANN-3'); // a local (RFID) start on the only connector
    await eventuallyConnector('CP_AV_PENDING', 1, (k) => k.busy);
    expect((await setAvailability('CP_AV_PENDING', { connectorId: 0, type: 'Inoperative' })).json.status).toBe('Scheduled');
    await cp.stopTransaction(1, 'Local');
    await eventuallyConnector('CP_AV_PENDING', 1, (k) => !k.busy && k.status === 'Unavailable');
    const refused = await startSession('CP_AV_PENDING');
    expect(refused.json.error?.code).toBe('connector_inoperative');
    expect(remoteStarts(received)).toBe(0);
  });

  it('connector 0 makes the whole station Inoperative: every connector unavailable, no session on any; Operative on 0 restores them all', async () => {
    const { received } = await charger('CP_AV_ALL', 2);
    const res = await setAvailability('CP_AV_ALL', { connectorId: 0, type: 'Inoperative' });
    expect(res.json).toEqual({ stationId: 'CP_AV_ALL', connectorId: 0, type: 'Inoperative', status: 'Accepted' });
    const view = await stack.eventually(
      'the station unavailable',
      () => station('CP_AV_ALL'),
      (s) => s.availability.effective === 'Inoperative' && s.connectors.every((k: any) => k.status === 'Unavailable'),
    );
    expect(view.availability).toMatchObject({ requested: 'Inoperative', scheduled: false, effective: 'Inoperative' });
    for (const connectorId of [1, 2]) {
      const refused = await startSession('CP_AV_ALL', connectorId);
      expect(refused.status).toBe(409);
      expect(refused.json.error).toMatchObject({ code: 'connector_inoperative', message: expect.stringMatching(/station CP_AV_ALL was made Inoperative/) });
    }
    expect(remoteStarts(received)).toBe(0);

    expect((await setAvailability('CP_AV_ALL', { connectorId: 0, type: 'Operative' })).json.status).toBe('Accepted');
    const restored = await stack.eventually('the station available', () => station('CP_AV_ALL'), (s) => s.connectors.every((k: any) => k.status === 'Available'));
    expect(restored.availability).toMatchObject({ requested: 'Operative', effective: 'Operative' });
    expect(restored.connectors.map((k: any) => k.availability.effective)).toEqual(['Operative', 'Operative']);
  });

  it("a connector the station itself reports Faulted or Unavailable (not requested) starts no session", async () => {
    const { cp, received } = await charger('CP_AV_FAULT');
    await cp.statusNotification(1, 'Faulted', 'GroundFailure');
    await eventuallyConnector('CP_AV_FAULT', 1, (k) => k.status === 'Faulted');
    const faulted = await startSession('CP_AV_FAULT');
    expect(faulted.status).toBe(409);
    expect(faulted.json.error).toMatchObject({ code: 'connector_inoperative', message: expect.stringMatching(/reports Faulted/) });
    await cp.statusNotification(1, 'Unavailable');
    await eventuallyConnector('CP_AV_FAULT', 1, (k) => k.availability.effective === 'Inoperative' && k.availability.requested === null);
    expect((await startSession('CP_AV_FAULT')).json.error.code).toBe('connector_inoperative');
    expect(remoteStarts(received)).toBe(0);
  });

  it('a CALLERROR is 422 and records nothing; a station that does not answer in time or is offline is 503', async () => {
    const { cp } = await charger('CP_AV_FAIL');
    cp.behaviour.ChangeAvailability = 'callerror';
    const callError = await setAvailability('CP_AV_FAIL', { connectorId: 1, type: 'Inoperative' });
    expect(callError.status).toBe(422);
    expect(callError.json.error).toMatchObject({ code: 'rejected', message: expect.stringMatching(/InternalError/) });
    expect((await connector('CP_AV_FAIL', 1)).availability.requested).toBeNull();

    cp.behaviour.ChangeAvailability = 'ignore';
    const silent = await setAvailability('CP_AV_FAIL', { connectorId: 1, type: 'Inoperative' });
    expect(silent.status).toBe(503);
    expect(silent.json.error.code).toBe('station_offline');
    expect((await connector('CP_AV_FAIL', 1)).availability.requested).toBeNull();

    await cp.close();
    await stack.eventually('the station offline', () => station('CP_AV_FAIL'), (s) => s.online === false);
    const offline = await setAvailability('CP_AV_FAIL', { connectorId: 1, type: 'Operative' });
    expect(offline.status).toBe(503);
    expect(offline.json.error.code).toBe('station_offline');
  });

  it('a station that disconnects before it answers is 503, and nothing is recorded', async () => {
    const { cp, received } = await charger('CP_AV_DROP');
    cp.behaviour.ChangeAvailability = 'ignore';
    const pending = setAvailability('CP_AV_DROP', { connectorId: 1, type: 'Inoperative' });
    await stack.eventually('the command at the station', async () => received.length, (n) => n > 0);
    cp.dropConnection();
    const res = await pending;
    expect(res.status).toBe(503);
    expect(res.json.error).toMatchObject({ code: 'station_offline', message: expect.stringMatching(/not connected/) });
    expect((await stack.db.pool.query(`SELECT count(*)::int AS n FROM connector_availability WHERE station_id = 'CP_AV_DROP'`)).rows[0].n).toBe(0);
  });

  it('bad input is a 4xx naming the field, and nothing is sent', async () => {
    const { received } = await charger('CP_AV_BAD', 2);
    const unknownConnector = await setAvailability('CP_AV_BAD', { connectorId: 3, type: 'Inoperative' });
    expect(unknownConnector.status).toBe(404);
    expect(unknownConnector.json.error).toMatchObject({ code: 'unknown_connector', details: [{ field: 'body.connectorId' }] });
    for (const [body, field] of [
      [{ connectorId: -1, type: 'Inoperative' }, 'body.connectorId'],
      [{ connectorId: 1.5, type: 'Inoperative' }, 'body.connectorId'],
      [{ connectorId: 1, type: 'Broken' }, 'body.type'],
      [{ type: 'Operative' }, 'body.connectorId'],
    ] as const) {
      const res = await setAvailability('CP_AV_BAD', body);
      expect(res.status).toBe(400);
      expect(res.json.error.details.map((d: any) => d.field)).toContain(field);
    }
    expect((await setAvailability('CP_AV_NOBODY', { connectorId: 1, type: 'Inoperative' })).status).toBe(404);
    const driverCall = await stack.api.call('POST', '/v1/operator/stations/CP_AV_BAD/availability', { token: driver, body: { connectorId: 1, type: 'Inoperative' } });
    expect(driverCall.status).toBe(403);
    expect(received.filter((c) => c.action === 'ChangeAvailability')).toEqual([]);
  });
});
