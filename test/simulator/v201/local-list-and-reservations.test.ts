/** SendLocalList / GetLocalListVersion (D01, D02) with offline authorization, and ReserveNow / CancelReservation (H01–H04). */
import { sleep, useStationHarness } from './support/harness';

const h = useStationHarness('LR201');
const { connected } = h;

const card = (idToken: string, status?: string) => ({ idToken: { idToken, type: 'ISO14443' }, ...(status ? { idTokenInfo: { status } } : {}) });

describe('Local Authorization List (D01, D02)', () => {
  test('a Full list sets the version and entries; a Differential one adds and removes (TC_D_01_CS, TC_D_02_CS)', async () => {
    const s = await connected();
    await expect(h.csms.command(s.stationId, 'GetLocalListVersion', {})).resolves.toEqual({ versionNumber: 0 });
    await expect(
      h.csms.command(s.stationId, 'SendLocalList', { versionNumber: 3, updateType: 'Full', localAuthorizationList: [card('A', 'Accepted'), card('B', 'Blocked')] }),
    ).resolves.toEqual({ status: 'Accepted' });
    await expect(h.csms.command(s.stationId, 'GetLocalListVersion', {})).resolves.toEqual({ versionNumber: 3 });
    expect(s.variable('LocalAuthListCtrlr.Entries')).toBe('2');
    await expect(h.csms.command(s.stationId, 'SendLocalList', { versionNumber: 4, updateType: 'Differential', localAuthorizationList: [card('B'), card('C', 'Accepted')] })).resolves.toEqual({
      status: 'Accepted',
    });
    expect(s.localList.lookup({ idToken: 'B', type: 'ISO14443' })).toBeUndefined();
    expect(s.localList.lookup({ idToken: 'c', type: 'ISO14443' })).toEqual({ status: 'Accepted' });
    expect(s.variable('LocalAuthListCtrlr.Entries')).toBe('2');
  });

  test('a Differential update with an older version is a VersionMismatch; a disabled list Fails', async () => {
    const s = await connected();
    await h.csms.command(s.stationId, 'SendLocalList', { versionNumber: 5, updateType: 'Full', localAuthorizationList: [card('A', 'Accepted')] });
    await expect(h.csms.command(s.stationId, 'SendLocalList', { versionNumber: 5, updateType: 'Differential', localAuthorizationList: [card('X', 'Accepted')] })).resolves.toEqual({
      status: 'VersionMismatch',
    });
    const off = await connected({ variables: { 'LocalAuthListCtrlr.Enabled': 'false' } });
    await expect(h.csms.command(off.stationId, 'SendLocalList', { versionNumber: 1, updateType: 'Full' })).resolves.toEqual({ status: 'Failed' });
    await expect(h.csms.command(off.stationId, 'GetLocalListVersion', {})).resolves.toEqual({ versionNumber: 0 });
  });

  test('offline, a card in the list starts a transaction and a Blocked one does not (TC_C_?: LocalAuthorizeOffline)', async () => {
    const s = await connected({ evses: 2 });
    await h.csms.command(s.stationId, 'SendLocalList', { versionNumber: 1, updateType: 'Full', localAuthorizationList: [card('GOOD', 'Accepted'), card('BAD', 'Blocked')] });
    s.dropConnection();
    await sleep(50);
    await expect(s.presentIdToken(1, 'BAD')).resolves.toEqual({ started: false, status: 'Blocked' });
    await expect(s.presentIdToken(1, 'GOOD')).resolves.toEqual({ started: true, status: 'Accepted' });
  });

  test('with LocalPreAuthorize a listed card starts without Authorize; list entries are never cached', async () => {
    const s = await connected({ variables: { 'AuthCtrlr.LocalPreAuthorize': 'true' } });
    await h.csms.command(s.stationId, 'SendLocalList', { versionNumber: 1, updateType: 'Full', localAuthorizationList: [card('LISTED', 'Accepted')] });
    await s.presentIdToken(1, 'LISTED');
    expect(h.csms.received(s.stationId, ['Authorize'])).toEqual([]);
    expect(s.authorizationCache.size).toBe(0);
  });
});

describe('Reservations (H01–H04)', () => {
  const reserve = (stationId: string, extra: Record<string, unknown> = {}) =>
    h.csms.command(stationId, 'ReserveNow', { id: 11, expiryDateTime: new Date(Date.now() + 60_000).toISOString(), idToken: { idToken: 'BOB', type: 'ISO14443' }, evseId: 1, ...extra });

  test('a reserved EVSE reports Reserved, refuses other cards and starts for its own with the reservationId (TC_H_01_CS)', async () => {
    const s = await connected();
    await expect(reserve(s.stationId)).resolves.toEqual({ status: 'Accepted' });
    await h.next(s.stationId, (c) => c.action === 'StatusNotification' && c.params.connectorStatus === 'Reserved', 2000, true);
    await expect(s.presentIdToken(1, 'EVE')).resolves.toEqual({ started: false, status: 'Reserved' });
    await expect(h.csms.command(s.stationId, 'RequestStartTransaction', { idToken: { idToken: 'EVE', type: 'Central' }, evseId: 1, remoteStartId: 1 })).resolves.toEqual({ status: 'Rejected' });
    await expect(s.presentIdToken(1, 'BOB')).resolves.toEqual({ started: true, status: 'Accepted' });
    expect(h.csms.events(s.stationId)[0]).toMatchObject({ eventType: 'Started', reservationId: 11 });
    expect(s.features.reservations.list()).toEqual([]);
  });

  test('an occupied, unavailable or faulted EVSE answers Occupied, Unavailable, Faulted; a disabled controller Rejected', async () => {
    const s = await connected({ evses: 3 });
    await s.startTransaction(1, 'X');
    await h.csms.command(s.stationId, 'ChangeAvailability', { operationalStatus: 'Inoperative', evse: { id: 2 } });
    await s.fault(3);
    await expect(reserve(s.stationId, { evseId: 1 })).resolves.toEqual({ status: 'Occupied' });
    await expect(reserve(s.stationId, { evseId: 2 })).resolves.toEqual({ status: 'Unavailable' });
    await expect(reserve(s.stationId, { evseId: 3 })).resolves.toEqual({ status: 'Faulted' });
    await expect(reserve(s.stationId, { evseId: 9 })).resolves.toEqual({ status: 'Rejected' });
    const off = await connected({ variables: { 'ReservationCtrlr.Enabled': 'false' } });
    await expect(reserve(off.stationId)).resolves.toEqual({ status: 'Rejected' });
  });

  test('CancelReservation frees the EVSE; an unknown reservation is Rejected (TC_H_07_CS)', async () => {
    const s = await connected();
    await reserve(s.stationId);
    await h.next(s.stationId, (c) => c.action === 'StatusNotification' && c.params.connectorStatus === 'Reserved', 2000, true);
    const available = h.next(s.stationId, (c) => c.action === 'StatusNotification' && c.params.connectorStatus === 'Available', 2000);
    await expect(h.csms.command(s.stationId, 'CancelReservation', { reservationId: 11 })).resolves.toEqual({ status: 'Accepted' });
    await available;
    expect(h.csms.received(s.stationId, ['ReservationStatusUpdate'])).toEqual([]);
    await expect(h.csms.command(s.stationId, 'CancelReservation', { reservationId: 11 })).resolves.toEqual({ status: 'Rejected' });
  });

  test('at expiry the station sends ReservationStatusUpdate Expired and the EVSE is Available again (TC_H_15_CS)', async () => {
    const s = await connected();
    await reserve(s.stationId, { expiryDateTime: new Date(Date.now() + 300).toISOString() });
    const mark = h.mark();
    const update = await h.next(s.stationId, (c) => c.action === 'ReservationStatusUpdate', 3000);
    expect(update.params).toEqual({ reservationId: 11, reservationUpdateStatus: 'Expired' });
    await h.next(s.stationId, (c) => c.action === 'StatusNotification' && c.params.connectorStatus === 'Available', 2000, mark);
  });

  test('a reservation whose EVSE faults is reported Removed', async () => {
    const s = await connected();
    await reserve(s.stationId);
    await s.fault(1);
    const update = await h.next(s.stationId, (c) => c.action === 'ReservationStatusUpdate', 2000, true);
    expect(update.params).toEqual({ reservationId: 11, reservationUpdateStatus: 'Removed' });
  });
});
