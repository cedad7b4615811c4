/**
 * Reservations on the whole stack (time-skipping Temporal server, session worker, gateway, API,
 * PostgreSQL, simulated chargers with the Reservation profile over real WebSockets): the charger's
 * ReserveNow answer as data, use (at the charger and through the API), cancellation (also while the
 * charger is offline), expiry by the workflow's durable timer (time skipped), the fee on the
 * session's receipt or on the reservation's own, and the refusals that come before anything is sent.
 */
import type { SimulatedChargePoint } from '../../src/simulator/charge-point';
import { startStack, type Stack } from '../reliability/support/stack';

const featureProfiles = ['Core', 'Reservation', 'RemoteTrigger'];

describe('reservations (ReserveNow, CancelReservation)', () => {
  let stack: Stack;
  let ann: string;
  let bob: string;
  let cat: string;

  beforeAll(async () => {
    stack = await startStack({
      name: 'reservations',
      env: { GATEWAY_COMMAND_TIMEOUT_MS: '1500', SESSION_COMMAND_TIMEOUT_MS: '2500', RESERVATION_MAX_MINUTES: '60' },
    });
    const tariff = await stack.api.call('POST', '/v1/operator/tariffs', {
      body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true, reservationFee: '0.50', reservationFeePerMinute: '0.10' },
    });
    expect(tariff.status).toBe(201);
    expect(tariff.json).toMatchObject({ reservationFee: '0.5', reservationFeePerMinute: '0.1', reservationFeeIfUnused: true });
    const free = await stack.api.call('POST', '/v1/operator/tariffs', {
      body: { id: 'free-if-unused', name: 'Free if unused', currency: 'EUR', ratePerKwh: '0.25', reservationFee: '1.00', reservationFeeIfUnused: false },
    });
    expect(free.status).toBe(201);
    ann = await stack.api.createDriver('ann', ['ANN-1']);
    bob = await stack.api.createDriver('bob', ['BOB-1']);
    cat = await stack.api.createDriver('cat', ['CAT-1']);
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** A registered, connected charger with the Reservation profile, and every command it received. */
  async function charger(id: string, connectors = 1): Promise<{ cp: SimulatedChargePoint; received: { action: string; params: any; response?: any }[] }> {
    await stack.addCharger(id, connectors);
    const cp = await stack.connectCharger(id, { connectors, featureProfiles });
    const received: { action: string; params: any; response?: any }[] = [];
    cp.on('call', (c: { action: string; params: unknown; response?: unknown }) => received.push(c));
    await stack.eventually(`${id} connectors reported`, () => connectors_(id), (cs) => cs.length === connectors && cs.every((c: any) => c.status === 'Available'));
    return { cp, received };
  }
  const connectors_ = async (stationId: string) => (await stack.api.call('GET', `/v1/stations/${stationId}`)).json?.connectors ?? [];
  const connector = async (stationId: string, connectorId: number) => (await connectors_(stationId)).find((c: any) => c.connectorId === connectorId);
  const reserve = (token: string, body: Record<string, unknown>) => stack.api.call('POST', '/v1/reservations', { token, body: { expiresInMinutes: 15, ...body } });
  const reservation = async (id: number, token?: string) => (await stack.api.call('GET', `/v1/reservations/${id}`, token ? { token } : {})).json;
  const eventuallyReservation = (id: number, accept: (r: any) => boolean) => stack.eventually(`reservation ${id}`, () => reservation(id), accept);
  const cancel = (id: number, token: string) => stack.api.call('POST', `/v1/reservations/${id}/cancel`, { token });
  const sent = <C extends { action: string }>(received: C[], action: string): C[] => received.filter((c) => c.action === action);

  it('TC_046_CSMS: a reserved connector (Accepted, Reserved in the station view) is used by the driver at the charger; StartTransaction carries the reservationId and the fee is on the receipt', async () => {
    const { cp, received } = await charger('CP_R_USE');
    const res = await reserve(ann, { stationId: 'CP_R_USE', connectorId: 1 });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ stationId: 'CP_R_USE', connectorId: 1, driverId: 'ann', idTag: 'ANN-1', status: 'accepted', chargerStatus: 'Accepted', sessionId: null });
    const id: number = res.json.reservationId;
    expect(res.headers.get('location')).toBe(`/v1/reservations/${id}`);
    expect(sent(received, 'ReserveNow')).toEqual([
      expect.objectContaining({ params: { connectorId: 1, idTag: 'ANN-1', reservationId: id, expiryDate: res.json.expiryDate }, response: { status: 'Accepted' } }),
    ]);
    expect(Date.parse(res.json.expiryDate) - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(await stack.eventually('Reserved in the station view', () => connector('CP_R_USE', 1), (c) => c.status === 'Reserved')).toMatchObject({ reservationId: id });

    const start = cp.waitFor('transactionStarted');
    await expect(cp.presentIdTag(1, 'ANN-1')).resolves.toMatchObject({ started: true });
    const { transactionId, reservationId } = await start;
    expect(reservationId).toBe(id);
    const sessionId = await stack.sessionOfTransaction(transactionId);
    const used = await eventuallyReservation(id, (r) => r.status === 'used');
    expect(used).toMatchObject({ sessionId, receipt: null });
    expect(cp.reservations()).toEqual([]);
    expect((await stack.db.pool.query('SELECT reservation_id FROM transactions WHERE id = $1', [transactionId])).rows[0].reservation_id).toBe(id);

    cp.advance(1, 60);
    await cp.stopTransaction(1, 'Local');
    const receipt = await stack.receipt(sessionId);
    // Held for less than a minute: the fixed fee only; with energy, one exact sum.
    const fee = receipt.line_items.filter((l: any) => l.component.startsWith('reservation'));
    expect(fee).toEqual([{ component: 'reservation_fee', description: `Reservation ${id}`, quantity: '1', unit: 'reservation', unit_price: '0.5', amount: '0.50' }]);
    // The lines (energy and the fee) sum to the subtotal, in cents.
    const cents = (v: string) => Math.round(Number(v) * 100);
    expect(receipt.line_items.reduce((sum: number, l: any) => sum + cents(l.amount), 0)).toBe(cents(receipt.subtotal_exact));
    expect(cents(receipt.total_cost_exact)).toBeGreaterThanOrEqual(50);
    // Used once: no receipt of its own.
    expect((await stack.db.pool.query('SELECT count(*)::int AS n FROM reservation_receipts WHERE reservation_id = $1', [id])).rows[0].n).toBe(0);
  });

  it("TC_046_CSMS: another driver's start on the reserved connector is refused (409 connector_reserved, naming the reservation, no RemoteStart); the reserving driver's start through the API goes through and ends it", async () => {
    const { cp, received } = await charger('CP_R_API');
    const res = await reserve(bob, { stationId: 'CP_R_API', connectorId: 1 });
    expect(res.status).toBe(201);
    const id: number = res.json.reservationId;

    const refused = await stack.api.call('POST', '/v1/sessions', { token: cat, body: { stationId: 'CP_R_API', connectorId: 1 } });
    expect(refused.status).toBe(409);
    expect(refused.json.error).toMatchObject({ code: 'connector_reserved', message: expect.stringContaining(`reservation ${id}`) });
    expect(sent(received, 'RemoteStartTransaction')).toHaveLength(0);

    const started = await stack.api.call('POST', '/v1/sessions', { token: bob, body: { stationId: 'CP_R_API', connectorId: 1 } });
    expect(started.status).toBe(201);
    expect(sent(received, 'RemoteStartTransaction')).toEqual([expect.objectContaining({ params: expect.objectContaining({ connectorId: 1, idTag: 'BOB-1' }), response: { status: 'Accepted' } })]);
    const used = await eventuallyReservation(id, (r) => r.status === 'used');
    expect(used.sessionId).toBe(started.json.sessionId);
    await stack.eventually('the transaction', async () => cp.transactionId(1), (t) => t !== undefined);
    await cp.stopTransaction(1, 'Local');
    const receipt = await stack.receipt(started.json.sessionId, bob);
    expect(receipt.line_items.map((l: any) => l.component)).toContain('reservation_fee');
    // The connector is free again for anyone.
    expect((await connector('CP_R_API', 1)).reservationId).toBeNull();
  });

  it('TC_048_1_CSMS / TC_048_2_CSMS / TC_048_3_CSMS / TC_048_4_CSMS: Faulted, Occupied, Unavailable and Rejected answers are data (200); nothing is held and the driver may reserve again', async () => {
    const { cp } = await charger('CP_R_NO', 4);
    await cp.statusNotification(1, 'Faulted', 'GroundFailure');
    await cp.statusNotification(2, 'Preparing'); // a cable plugged in
    await cp.statusNotification(3, 'Unavailable'); // the station took itself out of service
    cp.behaviour.ReserveNow = 'reject';
    const rejected = await reserve(cat, { stationId: 'CP_R_NO', connectorId: 4 });
    cp.behaviour.ReserveNow = 'accept';
    const answers = [rejected];
    for (const connectorId of [1, 2, 3]) answers.push(await reserve(cat, { stationId: 'CP_R_NO', connectorId }));
    expect(answers.map((a) => [a.status, a.json.status, a.json.chargerStatus])).toEqual([
      [200, 'rejected', 'Rejected'],
      [200, 'faulted', 'Faulted'],
      [200, 'occupied', 'Occupied'],
      [200, 'unavailable', 'Unavailable'],
    ]);
    expect(cp.reservations()).toEqual([]);
    expect((await stack.api.call('GET', '/v1/reservations?active=true', { token: cat })).json.reservations).toEqual([]);
  });

  it('TC_049_CSMS: the charge point as a whole (connector 0) is reserved; others may charge while another connector stays free, the last one is kept for the reserving driver, whose start there uses it', async () => {
    await stack.addCharger('CP_R_ZERO', 2);
    const cp = await stack.connectCharger('CP_R_ZERO', { connectors: 2, featureProfiles, configuration: { ReserveConnectorZeroSupported: 'true' } });
    const received: { action: string; params: any; response?: any }[] = [];
    cp.on('call', (c: { action: string; params: unknown; response?: unknown }) => received.push(c));
    await stack.eventually('connectors reported', () => connectors_('CP_R_ZERO'), (cs) => cs.length === 2 && cs.every((c: any) => c.status === 'Available'));
    const res = await reserve(ann, { stationId: 'CP_R_ZERO', connectorId: 0 });
    expect([res.status, res.json.connectorId, res.json.chargerStatus]).toEqual([201, 0, 'Accepted']);
    expect(sent(received, 'ReserveNow')[0].params).toMatchObject({ connectorId: 0, idTag: 'ANN-1', reservationId: res.json.reservationId });

    // Connector 2 stays free for Ann, so Cat may take connector 1; then connector 2 is the last one and Ann's.
    const catStart = await stack.api.call('POST', '/v1/sessions', { token: cat, body: { stationId: 'CP_R_ZERO', connectorId: 1 } });
    expect(catStart.status).toBe(201);
    await stack.eventually('the transaction on 1', async () => cp.transactionId(1), (t) => t !== undefined);
    const bobStart = await stack.api.call('POST', '/v1/sessions', { token: bob, body: { stationId: 'CP_R_ZERO', connectorId: 2 } });
    expect([bobStart.status, bobStart.json.error?.code]).toEqual([409, 'connector_reserved']);

    const annStart = await stack.api.call('POST', '/v1/sessions', { token: ann, body: { stationId: 'CP_R_ZERO', connectorId: 2 } });
    expect(annStart.status).toBe(201);
    const used = await eventuallyReservation(res.json.reservationId, (r) => r.status === 'used');
    expect(used.sessionId).toBe(annStart.json.sessionId);
    await stack.eventually('the transaction on 2', async () => cp.transactionId(2), (t) => t !== undefined);
    await cp.stopTransaction(1, 'Local');
    await cp.stopTransaction(2, 'Local');
    expect((await stack.receipt(annStart.json.sessionId)).line_items.map((l: any) => l.component)).toContain('reservation_fee');
    expect((await stack.receipt(catStart.json.sessionId)).line_items.map((l: any) => l.component)).not.toContain('reservation_fee');
  });

  it('TC_049_CSMS: a charger without ReserveConnectorZeroSupported answers Rejected to connector 0 (200, data)', async () => {
    await charger('CP_R_ZERO_NO');
    const res = await reserve(bob, { stationId: 'CP_R_ZERO_NO', connectorId: 0 });
    expect([res.status, res.json.status, res.json.chargerStatus]).toEqual([200, 'rejected', 'Rejected']);
  });

  it('a charger without the Reservation profile answers NotImplemented: the reservation is failed (200), with the CALLERROR in detail', async () => {
    await stack.addCharger('CP_R_NOPROFILE');
    await stack.connectCharger('CP_R_NOPROFILE');
    await stack.eventually('connector reported', () => connector('CP_R_NOPROFILE', 1), (c) => c?.status === 'Available');
    const res = await reserve(cat, { stationId: 'CP_R_NOPROFILE', connectorId: 1 });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'failed', chargerStatus: null, detail: expect.stringContaining('NotImplemented') });
  });

  it('TC_051_CSMS: the driver cancels (CancelReservation Accepted, connector Available); a second cancel is 409 reservation_not_active, and a cancelled reservation costs nothing', async () => {
    const { cp, received } = await charger('CP_R_CANCEL');
    const id: number = (await reserve(ann, { stationId: 'CP_R_CANCEL', connectorId: 1 })).json.reservationId;
    await stack.eventually('Reserved', () => connector('CP_R_CANCEL', 1), (c) => c.status === 'Reserved');
    const res = await cancel(id, ann);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'cancelled', cancelledBy: 'driver', cancelStatus: 'Accepted', receipt: null });
    expect(sent(received, 'CancelReservation')).toEqual([expect.objectContaining({ params: { reservationId: id }, response: { status: 'Accepted' } })]);
    expect(cp.reservations()).toEqual([]);
    await stack.eventually('Available again', () => connector('CP_R_CANCEL', 1), (c) => c.status === 'Available' && c.reservationId === null);

    const again = await cancel(id, ann);
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('reservation_not_active');
    expect(sent(received, 'CancelReservation')).toHaveLength(1);

    // Two cancels at once: one is the cancel, the other 409; the charger is told once.
    const next: number = (await reserve(ann, { stationId: 'CP_R_CANCEL', connectorId: 1 })).json.reservationId;
    const both = await Promise.all([cancel(next, ann), stack.api.call('POST', `/v1/reservations/${next}/cancel`)]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(sent(received, 'CancelReservation')).toHaveLength(2);
    // Another driver's reservation is not theirs to see or cancel.
    expect((await cancel(id, bob)).status).toBe(404);
    expect((await stack.api.call('GET', `/v1/reservations/${id}`, { token: bob })).status).toBe(404);
  });

  it('TC_052_CSMS: CancelReservation Rejected by the charger is its answer (cancelStatus Rejected); the reservation is cancelled here all the same', async () => {
    const { cp } = await charger('CP_R_CANCEL_REJ');
    const id: number = (await reserve(ann, { stationId: 'CP_R_CANCEL_REJ', connectorId: 1 })).json.reservationId;
    cp.behaviour.CancelReservation = 'reject';
    const res = await stack.api.call('POST', `/v1/reservations/${id}/cancel`); // as the operator
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'cancelled', cancelledBy: 'operator', cancelStatus: 'Rejected' });
  });

  it('a cancel while the charger is offline is recorded at once (pending) and CancelReservation reaches the charger when it is back', async () => {
    const { cp, received } = await charger('CP_R_OFFLINE');
    const id: number = (await reserve(bob, { stationId: 'CP_R_OFFLINE', connectorId: 1 })).json.reservationId;
    cp.dropConnection();
    await stack.eventually('offline', async () => (await stack.api.call('GET', '/v1/stations/CP_R_OFFLINE')).json.online, (o) => o === false);
    const res = await cancel(id, bob);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ status: 'cancelled', cancelStatus: 'pending' });
    // Offline, a new reservation is refused before anything is sent.
    const offline = await reserve(cat, { stationId: 'CP_R_OFFLINE', connectorId: 1 });
    expect(offline.status).toBe(409);
    expect(offline.json.error.code).toBe('station_offline');

    await cp.reconnect();
    await stack.eventually('online', async () => (await stack.api.call('GET', '/v1/stations/CP_R_OFFLINE')).json.online, (o) => o === true);
    await stack.env.sleep(31_000); // the workflow's retry timer
    const delivered = await eventuallyReservation(id, (r) => r.cancelStatus === 'Accepted');
    expect(delivered.status).toBe('cancelled');
    expect(sent(received, 'CancelReservation')).toEqual([expect.objectContaining({ params: { reservationId: id }, response: { status: 'Accepted' } })]);
    expect(cp.reservations()).toEqual([]);
  });

  it('TC_047_CSMS: a reservation not used in time expires by its durable timer (time skipped) and gets its own receipt: the fixed fee and each whole minute held', async () => {
    const { cp } = await charger('CP_R_EXPIRE');
    const res = await reserve(cat, { stationId: 'CP_R_EXPIRE', connectorId: 1, expiresInMinutes: 20 });
    expect(res.status).toBe(201);
    const id: number = res.json.reservationId;
    expect(res.json.fee).toEqual({ currency: 'EUR', fixed: '0.5', perMinute: '0.1', chargedIfUnused: true });
    await stack.env.sleep(19 * 60_000);
    expect((await reservation(id)).status).toBe('accepted');
    await stack.env.sleep(2 * 60_000);
    const expired = await eventuallyReservation(id, (r) => r.status === 'expired');
    const minutes = Math.floor((Date.parse(expired.expiryDate) - Date.parse(expired.acceptedAt)) / 60_000);
    expect(minutes).toBeGreaterThanOrEqual(19);
    const timeAmount = (minutes * 10) / 100;
    expect(expired.receipt).toEqual({
      reservation_id: id,
      status: 'expired',
      currency: 'EUR',
      lines: [
        { component: 'reservation_fee', description: `Reservation ${id}`, quantity: '1', unit: 'reservation', unitPrice: '0.5', amount: '0.50' },
        { component: 'reservation_time', description: `Reservation ${id}: time held`, quantity: String(minutes), unit: 'min', unitPrice: '0.1', amount: timeAmount.toFixed(2) },
      ],
      total: (0.5 + timeAmount).toFixed(2),
    });
    // The driver may reserve again, and the connector shows no reservation.
    expect((await connector('CP_R_EXPIRE', 1)).reservationId).toBeNull();
    // A cancel after expiry changes nothing and charges nothing twice.
    expect((await cancel(id, cat)).json.error.code).toBe('reservation_not_active');
    expect((await stack.db.pool.query('SELECT count(*)::int AS n FROM reservation_receipts WHERE reservation_id = $1', [id])).rows[0].n).toBe(1);

    // A late StartTransaction naming the expired reservation (the charger's clock was behind): charged once, on the expiry receipt only.
    const late = await cp.startTransaction(1, 'CAT-1', { reservationId: id });
    const sessionId = await stack.sessionOfTransaction(late.transactionId);
    await cp.stopTransaction(1, 'Local');
    const receipt = await stack.receipt(sessionId);
    expect(receipt.line_items.map((l: any) => l.component)).toEqual(['energy']);
    expect(receipt.flags).toContain('reservation_not_held');
    expect((await reservation(id)).sessionId).toBeNull();
  });

  it('TC_047_CSMS: under a tariff that does not charge unused reservations, an expired one costs nothing (no receipt)', async () => {
    await stack.addCharger('CP_R_EXPIRE_FREE');
    await stack.db.pool.query(`UPDATE chargers SET tariff_id = 'free-if-unused' WHERE id = 'CP_R_EXPIRE_FREE'`);
    await stack.connectCharger('CP_R_EXPIRE_FREE', { featureProfiles });
    await stack.eventually('connector reported', () => connector('CP_R_EXPIRE_FREE', 1), (c) => c?.status === 'Available');
    const res = await reserve(bob, { stationId: 'CP_R_EXPIRE_FREE', connectorId: 1, expiresInMinutes: 5 });
    expect(res.json.fee).toEqual({ currency: 'EUR', fixed: '1', perMinute: null, chargedIfUnused: false });
    await stack.env.sleep(6 * 60_000);
    const expired = await eventuallyReservation(res.json.reservationId, (r) => r.status === 'expired');
    expect(expired.receipt).toBeNull();
  });

  it('TC_053_CSMS: a tag with the reservation\'s parentIdTag uses it at the charger (ReserveNow carries the parentIdTag)', async () => {
    const { cp, received } = await charger('CP_R_PARENT');
    await stack.api.createDriver('dan', ['DAN-1']);
    await stack.api.createDriver('dee', ['DEE-1']);
    await stack.db.pool.query(`UPDATE id_tags SET parent_id_tag = 'FAMILY-1' WHERE id_tag IN ('DAN-1', 'DEE-1')`);
    const res = await stack.api.call('POST', '/v1/reservations', { body: { stationId: 'CP_R_PARENT', connectorId: 1, idTag: 'DAN-1' } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ driverId: 'dan', requestedBy: 'operator' });
    expect(sent(received, 'ReserveNow')[0].params).toMatchObject({ idTag: 'DAN-1', parentIdTag: 'FAMILY-1' });
    // The group member may start through the API too; here at the charger.
    const start = cp.waitFor('transactionStarted');
    await expect(cp.presentIdTag(1, 'DEE-1')).resolves.toMatchObject({ started: true });
    expect((await start).reservationId).toBe(res.json.reservationId);
    const used = await eventuallyReservation(res.json.reservationId, (r) => r.status === 'used');
    expect(used.sessionId).toBe(await stack.sessionOfTransaction((await start).transactionId));
    await cp.stopTransaction(1, 'Local');
  });

  it('"any connector" takes the lowest free one; bad input and unreservable connectors are refused before anything is sent, naming the field', async () => {
    const { cp, received } = await charger('CP_R_BAD', 2);
    const now = Date.now();
    const cases: Array<[string, Record<string, unknown>, number, string, string?]> = [
      ['in the past', { stationId: 'CP_R_BAD', connectorId: 1, expiryDate: new Date(now - 60_000).toISOString(), expiresInMinutes: undefined }, 400, 'invalid_request', 'body.expiryDate'],
      ['beyond the limit', { stationId: 'CP_R_BAD', connectorId: 1, expiryDate: new Date(now + 61 * 60_000).toISOString(), expiresInMinutes: undefined }, 400, 'invalid_request', 'body.expiryDate'],
      ['minutes beyond the limit', { stationId: 'CP_R_BAD', connectorId: 1, expiresInMinutes: 61 }, 400, 'invalid_request', 'body.expiresInMinutes'],
      ['both expiries', { stationId: 'CP_R_BAD', connectorId: 1, expiryDate: new Date(now + 60_000).toISOString() }, 400, 'invalid_request', 'body.expiryDate'],
      ['connector 100', { stationId: 'CP_R_BAD', connectorId: 100 }, 400, 'invalid_request', 'body.connectorId'],
      ['unknown station', { stationId: 'CP_R_NOWHERE', connectorId: 1 }, 404, 'unknown_station', 'body.stationId'],
      ['unknown connector', { stationId: 'CP_R_BAD', connectorId: 7 }, 404, 'unknown_connector', 'body.connectorId'],
    ];
    for (const [what, body, status, code, field] of cases) {
      const res = await reserve(bob, body);
      expect([what, res.status, res.json.error?.code]).toEqual([what, status, code]);
      if (field) expect(res.json.error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    }
    const operatorWithoutTag = await stack.api.call('POST', '/v1/reservations', { body: { stationId: 'CP_R_BAD' } });
    expect([operatorWithoutTag.status, operatorWithoutTag.json.error.details?.[0]?.field]).toEqual([400, 'body.idTag']);

    // Made Inoperative by the operator: refused (OCTT's TC_048_3 asks the station instead; here the station is not asked).
    expect((await stack.api.call('POST', '/v1/operator/stations/CP_R_BAD/availability', { body: { connectorId: 2, type: 'Inoperative' } })).json.status).toBe('Accepted');
    const inoperative = await reserve(bob, { stationId: 'CP_R_BAD', connectorId: 2 });
    expect([inoperative.status, inoperative.json.error.code]).toEqual([409, 'connector_inoperative']);
    expect(sent(received, 'ReserveNow')).toHaveLength(0);

    // Any connector: 1 (2 is Inoperative); then none is left.
    const any = await reserve(bob, { stationId: 'CP_R_BAD' });
    expect([any.status, any.json.connectorId]).toEqual([201, 1]);
    const none = await reserve(cat, { stationId: 'CP_R_BAD' });
    expect([none.status, none.json.error.code]).toEqual([409, 'no_connector_available']);
    expect((await cancel(any.json.reservationId, bob)).json.status).toBe('cancelled');
    expect(cp.reservations()).toEqual([]);
  });

  it('concurrent requests: PostgreSQL lets one reservation per connector and one per driver through, the others get 409', async () => {
    const { cp } = await charger('CP_R_RACE', 3);
    const drivers = await Promise.all(['eve', 'fay', 'gus', 'hal'].map((d) => stack.api.createDriver(d, [`${d.toUpperCase()}-1`])));
    const sameConnector = await Promise.all(drivers.map((token) => reserve(token, { stationId: 'CP_R_RACE', connectorId: 1 })));
    expect(sameConnector.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect(sameConnector.filter((r) => r.status === 409).map((r) => r.json.error.code)).toEqual(['connector_reserved', 'connector_reserved', 'connector_reserved']);
    const winner = sameConnector.findIndex((r) => r.status === 201);

    // One driver, two connectors at once: one reservation.
    const loser = drivers[(winner + 1) % drivers.length];
    const twice = await Promise.all([2, 3].map((connectorId) => reserve(loser, { stationId: 'CP_R_RACE', connectorId })));
    expect(twice.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(twice.find((r) => r.status === 409)!.json.error.code).toBe('driver_has_reservation');
    // The winner already holds one: a second is refused too.
    const again = await reserve(drivers[winner], { stationId: 'CP_R_RACE', connectorId: 3 });
    expect(again.json.error.code).toBe('driver_has_reservation');
    expect(cp.reservations().map((r) => r.connectorId).sort()).toHaveLength(2);
  });
});
