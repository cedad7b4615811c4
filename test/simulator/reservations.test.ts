/** Reservation profile, charge point side (OCPP 1.6 §5.13 ReserveNow, §5.1 CancelReservation, §4.8 StartTransaction.reservationId). */
import { sleep, useSimulatorHarness } from './support/harness';

const h = useSimulatorHarness('RSV');
const featureProfiles = ['Core', 'Reservation'];
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const reserve = (id: string, connectorId: number, reservationId: number, idTag = 'RESERVER', extra: Record<string, unknown> = {}) =>
  h.csms.command(id, 'ReserveNow', { connectorId, reservationId, idTag, expiryDate: inMs(60_000), ...extra });
const cancel = (id: string, reservationId: number) => h.csms.command(id, 'CancelReservation', { reservationId });
const statusOf = (id: string, connectorId: number, status: string, timeoutMs = 2000) =>
  h.next(id, (c) => c.action === 'StatusNotification' && c.params.connectorId === connectorId && c.params.status === status, timeoutMs, true);
const starts = (id: string) => h.csms.received(id, ['StartTransaction']).map((c) => c.params);

describe('ReserveNow', () => {
  test('TC_046_1_CS: a reserved connector reports Reserved, refuses another tag without an Authorize, and starts the reserving tag with the reservationId', async () => {
    const cp = await h.connected({ featureProfiles });
    await expect(reserve(cp.chargePointId, 1, 11)).resolves.toEqual({ status: 'Accepted' });
    const reserved = await statusOf(cp.chargePointId, 1, 'Reserved');
    // The StatusNotification follows the ReserveNow.conf.
    expect(h.csms.answers.find((a) => a.chargePointId === cp.chargePointId && a.action === 'ReserveNow')!.seq).toBeLessThan(reserved.seq);
    expect(cp.status(1)).toBe('Reserved');
    expect(cp.reservations()).toEqual([{ reservationId: 11, connectorId: 1, idTag: 'RESERVER', expiryDate: expect.any(String) }]);

    await expect(cp.presentIdTag(1, 'STRANGER')).resolves.toStrictEqual({ started: false, authorizedBy: 'none', reason: 'reserved' });
    expect(h.csms.received(cp.chargePointId, ['Authorize'])).toHaveLength(0);
    await expect(cp.startTransaction(1, 'STRANGER')).rejects.toThrow(/Reserved/);

    const from = h.csms.received(cp.chargePointId).length;
    await expect(cp.presentIdTag(1, 'RESERVER')).resolves.toMatchObject({ started: true });
    expect(h.labels(cp.chargePointId, from)).toEqual(['Authorize', 'Status:1:Preparing', 'StartTransaction', 'Status:1:Charging']);
    expect(starts(cp.chargePointId)).toEqual([expect.objectContaining({ connectorId: 1, idTag: 'RESERVER', reservationId: 11 })]);
    // The reservation ended with the transaction it started.
    expect(cp.reservations()).toEqual([]);
    await cp.stopTransaction(1);
    await cp.startTransaction(1, 'STRANGER');
    expect(starts(cp.chargePointId)[1]).not.toHaveProperty('reservationId');
  });

  test('TC_046_2_CS: a remote start for another tag on the reserved connector is Rejected; for the reserving tag it is Accepted and carries the reservationId', async () => {
    const cp = await h.connected({ featureProfiles, connectors: 2 });
    await reserve(cp.chargePointId, 2, 12);
    await statusOf(cp.chargePointId, 2, 'Reserved');
    await expect(h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { connectorId: 2, idTag: 'STRANGER' })).resolves.toEqual({ status: 'Rejected' });
    const started = cp.waitFor('transactionStarted');
    // Without a connectorId the charger picks the connector reserved for the tag.
    await expect(h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { idTag: 'RESERVER' })).resolves.toEqual({ status: 'Accepted' });
    await expect(started).resolves.toMatchObject({ connectorId: 2, reservationId: 12 });
    expect(starts(cp.chargePointId)).toEqual([expect.objectContaining({ connectorId: 2, idTag: 'RESERVER', reservationId: 12 })]);
  });

  test('startTransaction by the reserving tag carries the reservationId; a scripted reservationId is sent as given, null ignores the reservation', async () => {
    const cp = await h.connected({ featureProfiles, connectors: 3 });
    await reserve(cp.chargePointId, 1, 13);
    await reserve(cp.chargePointId, 3, 14);
    await cp.startTransaction(1, 'RESERVER');
    await cp.startTransaction(2, 'ANY', { reservationId: 999 });
    await cp.startTransaction(3, 'INTRUDER', { reservationId: null });
    expect(starts(cp.chargePointId).map((p) => p.reservationId)).toEqual([13, 999, undefined]);
    expect(cp.reservations().map((r) => r.reservationId)).toEqual([14]);
  });

  test('TC_047_CS: the charger ends a reservation at its expiryDate and reports the connector Available; then anyone may charge', async () => {
    const cp = await h.connected({ featureProfiles });
    const t0 = Date.now();
    await h.csms.command(cp.chargePointId, 'ReserveNow', { connectorId: 1, reservationId: 14, idTag: 'RESERVER', expiryDate: inMs(300) });
    await statusOf(cp.chargePointId, 1, 'Reserved');
    const ended = cp.waitFor('reservationEnded');
    const available = await h.next(cp.chargePointId, (c) => c.action === 'StatusNotification' && c.params.status === 'Available', 2000);
    expect(available.at - t0).toBeGreaterThanOrEqual(280);
    await expect(ended).resolves.toMatchObject({ reservationId: 14, reason: 'Expired' });
    expect(cp.reservations()).toEqual([]);
    await expect(cp.presentIdTag(1, 'STRANGER')).resolves.toMatchObject({ started: true });
  });

  test('a reservation that expires while the charger is offline is reported Available when the connection is back (§4.9)', async () => {
    const cp = await h.connected({ featureProfiles });
    await h.csms.command(cp.chargePointId, 'ReserveNow', { connectorId: 1, reservationId: 55, idTag: 'RESERVER', expiryDate: inMs(200) });
    await statusOf(cp.chargePointId, 1, 'Reserved');
    cp.dropConnection();
    await cp.waitFor('reservationEnded');
    await sleep(50);
    expect(cp.status(1)).toBe('Available');
    const from = h.csms.received(cp.chargePointId).length;
    const reported = h.next(cp.chargePointId, (c) => c.action === 'StatusNotification', 2000);
    await cp.reconnect();
    await reported;
    await sleep(50);
    expect(h.labels(cp.chargePointId, from)).toEqual(['Status:1:Available']);
  });

  test('a reservation expiring in 30 days (beyond one timer) is still held', async () => {
    const cp = await h.connected({ featureProfiles });
    await reserve(cp.chargePointId, 1, 56, 'RESERVER', { expiryDate: inMs(30 * 24 * 3600 * 1000) });
    await sleep(100);
    expect(cp.reservations()).toHaveLength(1);
    expect(cp.status(1)).toBe('Reserved');
  });

  test('TC_048_1_CS: a Faulted connector answers Faulted', async () => {
    const cp = await h.connected({ featureProfiles });
    await cp.statusNotification(1, 'Faulted', 'GroundFailure');
    await expect(reserve(cp.chargePointId, 1, 15)).resolves.toEqual({ status: 'Faulted' });
    expect(cp.reservations()).toEqual([]);
  });

  test('TC_048_2_CS: a connector with a transaction, a pending remote start, a plugged-in cable or another reservation answers Occupied', async () => {
    const cp = await h.connected({ featureProfiles, connectors: 4, plugDelayMs: 2000 });
    await cp.statusNotification(4, 'Preparing');
    await expect(reserve(cp.chargePointId, 4, 15)).resolves.toEqual({ status: 'Occupied' });
    await cp.startTransaction(1, 'CHARGING');
    await expect(reserve(cp.chargePointId, 1, 16)).resolves.toEqual({ status: 'Occupied' });
    await h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { connectorId: 2, idTag: 'COMING' });
    await expect(reserve(cp.chargePointId, 2, 17)).resolves.toEqual({ status: 'Occupied' });
    await expect(reserve(cp.chargePointId, 3, 18)).resolves.toEqual({ status: 'Accepted' });
    await expect(reserve(cp.chargePointId, 3, 19, 'RESERVER')).resolves.toEqual({ status: 'Occupied' });
    await expect(reserve(cp.chargePointId, 3, 20, 'SOMEONE')).resolves.toEqual({ status: 'Occupied' });
    expect(cp.reservations().map((r) => r.reservationId)).toEqual([18]);
  });

  test('TC_048_3_CS: an Inoperative connector, or an Inoperative charge point, answers Unavailable', async () => {
    const cp = await h.connected({ featureProfiles, connectors: 2 });
    await h.csms.command(cp.chargePointId, 'ChangeAvailability', { connectorId: 1, type: 'Inoperative' });
    await expect(reserve(cp.chargePointId, 1, 21)).resolves.toEqual({ status: 'Unavailable' });
    await h.csms.command(cp.chargePointId, 'ChangeAvailability', { connectorId: 0, type: 'Inoperative' });
    await expect(reserve(cp.chargePointId, 2, 22)).resolves.toEqual({ status: 'Unavailable' });
  });

  test('TC_048_4_CS: the reject behaviour, an unknown connector and an expiryDate already past answer Rejected', async () => {
    const cp = await h.connected({ featureProfiles });
    cp.behaviour.ReserveNow = 'reject';
    await expect(reserve(cp.chargePointId, 1, 23)).resolves.toEqual({ status: 'Rejected' });
    cp.behaviour.ReserveNow = 'accept';
    await expect(reserve(cp.chargePointId, 9, 24)).resolves.toEqual({ status: 'Rejected' });
    await expect(reserve(cp.chargePointId, 1, 25, 'RESERVER', { expiryDate: inMs(-1000) })).resolves.toEqual({ status: 'Rejected' });
    await sleep(50);
    expect(cp.reservations()).toEqual([]);
    expect(cp.status(1)).toBe('Available');
  });

  test('a ReserveNow with the id of a held reservation replaces it: the old connector is Available again, the new one Reserved', async () => {
    const cp = await h.connected({ featureProfiles, connectors: 2 });
    await reserve(cp.chargePointId, 1, 26, 'FIRST');
    await statusOf(cp.chargePointId, 1, 'Reserved');
    await expect(reserve(cp.chargePointId, 1, 26, 'SECOND')).resolves.toEqual({ status: 'Accepted' });
    expect(cp.reservations()).toEqual([expect.objectContaining({ reservationId: 26, connectorId: 1, idTag: 'SECOND' })]);
    const from = h.csms.received(cp.chargePointId).length;
    await expect(reserve(cp.chargePointId, 2, 26, 'SECOND')).resolves.toEqual({ status: 'Accepted' });
    await statusOf(cp.chargePointId, 2, 'Reserved');
    await sleep(50);
    expect(h.labels(cp.chargePointId, from).sort()).toEqual(['Status:1:Available', 'Status:2:Reserved']);
    expect(cp.reservations()).toEqual([expect.objectContaining({ reservationId: 26, connectorId: 2 })]);
  });

  test('a reservation ends when its connector becomes Unavailable or Faulted (§5.13)', async () => {
    const cp = await h.connected({ featureProfiles, connectors: 2 });
    await reserve(cp.chargePointId, 1, 27);
    await reserve(cp.chargePointId, 2, 28);
    await h.csms.command(cp.chargePointId, 'ChangeAvailability', { connectorId: 1, type: 'Inoperative' });
    await statusOf(cp.chargePointId, 1, 'Unavailable');
    await cp.statusNotification(2, 'Faulted', 'GroundFailure');
    expect(cp.reservations()).toEqual([]);
  });

  test('TC_053_CS: the parentIdTag of a reservation lets a tag with that parent (Authorize) use it; a tag with another parent is refused', async () => {
    const cp = await h.connected({ featureProfiles });
    h.csms.responders.set('Authorize', (c) => ({ idTagInfo: { status: 'Accepted', parentIdTag: c.params.idTag === 'MEMBER' ? 'FLEET' : 'OTHER' } }));
    await reserve(cp.chargePointId, 1, 29, 'BOSS', { parentIdTag: 'FLEET' });
    await expect(cp.presentIdTag(1, 'OUTSIDER')).resolves.toMatchObject({ started: false, reason: 'reserved', authorizedBy: 'csms' });
    const authorizes = h.csms.received(cp.chargePointId, ['Authorize']).length;
    await expect(cp.presentIdTag(1, 'MEMBER')).resolves.toMatchObject({ started: true, authorizedBy: 'csms' });
    // One Authorize answered both the parent and the authorization.
    expect(h.csms.received(cp.chargePointId, ['Authorize'])).toHaveLength(authorizes + 1);
    expect(starts(cp.chargePointId)).toEqual([expect.objectContaining({ idTag: 'MEMBER', reservationId: 29 })]);
  });

  test('without the Reservation profile ReserveNow and CancelReservation are CALLERROR NotImplemented', async () => {
    const cp = await h.connected({ featureProfiles: ['Core'] });
    await expect(reserve(cp.chargePointId, 1, 30)).rejects.toMatchObject({ rpcErrorCode: 'NotImplemented' });
    await expect(cancel(cp.chargePointId, 30)).rejects.toMatchObject({ rpcErrorCode: 'NotImplemented' });
  });
});

describe('CancelReservation', () => {
  test('TC_051_CS: cancelling a held reservation is Accepted and the connector is Available again', async () => {
    const cp = await h.connected({ featureProfiles });
    await reserve(cp.chargePointId, 1, 31);
    await statusOf(cp.chargePointId, 1, 'Reserved');
    const from = h.csms.received(cp.chargePointId).length;
    await expect(cancel(cp.chargePointId, 31)).resolves.toEqual({ status: 'Accepted' });
    await statusOf(cp.chargePointId, 1, 'Available');
    expect(h.labels(cp.chargePointId, from)).toEqual(['Status:1:Available']);
    expect(cp.reservations()).toEqual([]);
    await expect(cp.presentIdTag(1, 'STRANGER')).resolves.toMatchObject({ started: true });
  });

  test('TC_052_CS: an unknown reservationId is Rejected and cancels nothing; the reject behaviour keeps the reservation too', async () => {
    const cp = await h.connected({ featureProfiles });
    await reserve(cp.chargePointId, 1, 32);
    await expect(cancel(cp.chargePointId, 404)).resolves.toEqual({ status: 'Rejected' });
    expect(cp.reservations()).toHaveLength(1);
    cp.behaviour.CancelReservation = 'reject';
    await expect(cancel(cp.chargePointId, 32)).resolves.toEqual({ status: 'Rejected' });
    expect(cp.reservations()).toHaveLength(1);
  });
});

describe('reservation of the charge point (connector 0)', () => {
  test('without ReserveConnectorZeroSupported connector 0 is Rejected', async () => {
    const cp = await h.connected({ featureProfiles });
    await expect(reserve(cp.chargePointId, 0, 40)).resolves.toEqual({ status: 'Rejected' });
  });

  test('TC_049_CS: one connector stays for the reserving tag: the last free connector turns Reserved and refuses others', async () => {
    const cp = await h.connected({ featureProfiles, connectors: 2, configuration: { ReserveConnectorZeroSupported: 'true' } });
    const from = h.csms.received(cp.chargePointId).length;
    await expect(reserve(cp.chargePointId, 0, 41)).resolves.toEqual({ status: 'Accepted' });
    await sleep(50);
    // Two free connectors for one reservation: both stay Available, and another tag may take one.
    expect(h.labels(cp.chargePointId, from)).toEqual([]);
    await expect(cp.presentIdTag(1, 'STRANGER')).resolves.toMatchObject({ started: true });
    await statusOf(cp.chargePointId, 2, 'Reserved');
    await expect(cp.presentIdTag(2, 'OTHER')).resolves.toMatchObject({ started: false, reason: 'reserved' });
    await expect(h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { connectorId: 2, idTag: 'OTHER' })).resolves.toEqual({ status: 'Rejected' });
    await expect(reserve(cp.chargePointId, 0, 42, 'SECOND')).resolves.toEqual({ status: 'Occupied' });
    await expect(cp.presentIdTag(2, 'RESERVER')).resolves.toMatchObject({ started: true });
    expect(starts(cp.chargePointId).map((p) => [p.idTag, p.reservationId])).toEqual([
      ['STRANGER', undefined],
      ['RESERVER', 41],
    ]);
    expect(cp.reservations()).toEqual([]);
  });

  test('two connector-0 reservations on three connectors keep two connectors: the third start turns both others Reserved, a third reservation is Occupied', async () => {
    const cp = await h.connected({ featureProfiles, connectors: 3, configuration: { ReserveConnectorZeroSupported: 'true' } });
    await expect(reserve(cp.chargePointId, 0, 60, 'A')).resolves.toEqual({ status: 'Accepted' });
    await expect(reserve(cp.chargePointId, 0, 61, 'B')).resolves.toEqual({ status: 'Accepted' });
    await sleep(50);
    expect([1, 2, 3].map((id) => cp.status(id))).toEqual(['Available', 'Available', 'Available']);
    await expect(cp.presentIdTag(3, 'STRANGER')).resolves.toMatchObject({ started: true });
    await statusOf(cp.chargePointId, 2, 'Reserved');
    await statusOf(cp.chargePointId, 1, 'Reserved');
    await expect(reserve(cp.chargePointId, 0, 62, 'C')).resolves.toEqual({ status: 'Occupied' });
    await expect(cp.presentIdTag(1, 'STRANGER2')).resolves.toMatchObject({ started: false, reason: 'reserved' });
    // B takes connector 1: connector 2 stays Reserved for A.
    await expect(cp.presentIdTag(1, 'B')).resolves.toMatchObject({ started: true });
    await sleep(50);
    expect(cp.status(2)).toBe('Reserved');
    expect(cp.reservations().map((r) => r.idTag)).toEqual(['A']);
    expect(starts(cp.chargePointId).map((p) => p.reservationId)).toEqual([undefined, 61]);
  });

  test('on a one-connector charger the connector is Reserved at once, and Available again when the reservation is cancelled', async () => {
    const cp = await h.connected({ featureProfiles, configuration: { ReserveConnectorZeroSupported: 'true' } });
    await expect(reserve(cp.chargePointId, 0, 43)).resolves.toEqual({ status: 'Accepted' });
    await statusOf(cp.chargePointId, 1, 'Reserved');
    await expect(cp.presentIdTag(1, 'STRANGER')).resolves.toMatchObject({ started: false, reason: 'reserved' });
    await cancel(cp.chargePointId, 43);
    await statusOf(cp.chargePointId, 1, 'Available');
  });

  test('TC_050_1_CS – TC_050_3_CS: for connector 0, all connectors Faulted answers Faulted, all busy Occupied, an Inoperative charge point Unavailable', async () => {
    const faulted = await h.connected({ featureProfiles, connectors: 2, configuration: { ReserveConnectorZeroSupported: 'true' } });
    await faulted.statusNotification(1, 'Faulted', 'GroundFailure');
    await expect(reserve(faulted.chargePointId, 0, 46)).resolves.toEqual({ status: 'Accepted' });
    await h.csms.command(faulted.chargePointId, 'CancelReservation', { reservationId: 46 });
    await faulted.statusNotification(2, 'Faulted', 'GroundFailure');
    await expect(reserve(faulted.chargePointId, 0, 47)).resolves.toEqual({ status: 'Faulted' });
    const busy = await h.connected({ featureProfiles, configuration: { ReserveConnectorZeroSupported: 'true' } });
    await busy.startTransaction(1, 'CHARGING');
    await expect(reserve(busy.chargePointId, 0, 44)).resolves.toEqual({ status: 'Occupied' });
    const off = await h.connected({ featureProfiles, configuration: { ReserveConnectorZeroSupported: 'true' } });
    await h.csms.command(off.chargePointId, 'ChangeAvailability', { connectorId: 0, type: 'Inoperative' });
    await expect(reserve(off.chargePointId, 0, 45)).resolves.toEqual({ status: 'Unavailable' });
  });
});

describe('reservations with the rest of the charger', () => {
  const both = ['Core', 'LocalAuthListManagement', 'Reservation'];

  test('offline, the reserving tag known to the local list starts with the reservationId, delivered on reconnect; another tag is refused', async () => {
    const cp = await h.connected({ featureProfiles: both });
    await h.csms.command(cp.chargePointId, 'SendLocalList', { listVersion: 1, updateType: 'Full', localAuthorizationList: [{ idTag: 'RESERVER', idTagInfo: { status: 'Accepted' } }] });
    await reserve(cp.chargePointId, 1, 50);
    await statusOf(cp.chargePointId, 1, 'Reserved');
    cp.dropConnection();
    await sleep(50);
    await expect(cp.presentIdTag(1, 'STRANGER')).resolves.toMatchObject({ started: false, reason: 'reserved' });
    await expect(cp.presentIdTag(1, 'RESERVER')).resolves.toMatchObject({ started: true, authorizedBy: 'local-list' });
    await cp.reconnect();
    await cp.drained();
    expect(starts(cp.chargePointId)).toEqual([expect.objectContaining({ idTag: 'RESERVER', reservationId: 50 })]);
  });

  test('a tag whose parentIdTag the local list knows uses the reservation without an Authorize, also by remote start', async () => {
    const cp = await h.connected({ featureProfiles: both });
    await h.csms.command(cp.chargePointId, 'SendLocalList', {
      listVersion: 1,
      updateType: 'Full',
      localAuthorizationList: [{ idTag: 'MEMBER', idTagInfo: { status: 'Accepted', parentIdTag: 'FLEET' } }],
    });
    await reserve(cp.chargePointId, 1, 51, 'BOSS', { parentIdTag: 'FLEET' });
    const started = cp.waitFor('transactionStarted');
    await expect(h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { connectorId: 1, idTag: 'MEMBER' })).resolves.toEqual({ status: 'Accepted' });
    await expect(started).resolves.toMatchObject({ idTag: 'MEMBER', reservationId: 51 });
    expect(h.csms.received(cp.chargePointId, ['Authorize'])).toHaveLength(0);
  });

  test('a remote start for the reserving tag whose plug never comes leaves the connector Reserved again (ConnectionTimeOut)', async () => {
    const cp = await h.connected({ featureProfiles, secondMs: 50, plugDelayMs: 5000, configuration: { ConnectionTimeOut: '2' } });
    await reserve(cp.chargePointId, 1, 52);
    await statusOf(cp.chargePointId, 1, 'Reserved');
    await h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { connectorId: 1, idTag: 'RESERVER' });
    await cp.waitFor('connectionTimeout');
    await h.next(cp.chargePointId, (c) => c.action === 'StatusNotification' && c.params.status === 'Reserved', 2000);
    expect(cp.reservations()).toHaveLength(1);
    expect(cp.status(1)).toBe('Reserved');
  });

  test('reservations are kept across a reboot: the boot reports the connector Reserved again', async () => {
    const cp = await h.connected({ featureProfiles });
    await reserve(cp.chargePointId, 1, 53);
    await statusOf(cp.chargePointId, 1, 'Reserved');
    const booted = cp.waitFor('booted');
    await h.csms.command(cp.chargePointId, 'Reset', { type: 'Soft' });
    await booted;
    const boot = h.csms.received(cp.chargePointId, ['BootNotification'])[1];
    const after = await h.next(cp.chargePointId, (c) => c.action === 'StatusNotification' && c.seq > boot.seq, 2000, true);
    expect(after.params).toMatchObject({ connectorId: 1, status: 'Reserved' });
    expect(cp.reservations()).toHaveLength(1);
  });

  test('the ignore and callerror behaviours apply to the new commands as to the others', async () => {
    const cp = await h.connected({ featureProfiles: both });
    cp.behaviour.ReserveNow = 'callerror';
    await expect(reserve(cp.chargePointId, 1, 54)).rejects.toMatchObject({ rpcErrorCode: 'InternalError' });
    cp.behaviour.GetLocalListVersion = 'ignore';
    await expect(h.csms.command(cp.chargePointId, 'GetLocalListVersion', {}, { callTimeoutMs: 200 })).rejects.toThrow(/timed? ?out/i);
    expect(cp.reservations()).toEqual([]);
  });
});
