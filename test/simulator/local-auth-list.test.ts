/** Local Auth List Management, charge point side (OCPP 1.6 §3.5.2, §3.5.3, §5.10 GetLocalListVersion, §5.15 SendLocalList). */
import { sleep, useSimulatorHarness } from './support/harness';

const h = useSimulatorHarness('LIST');
const featureProfiles = ['Core', 'LocalAuthListManagement'];
const accepted = { status: 'Accepted' };
const sendList = (id: string, listVersion: number, updateType: 'Full' | 'Differential', localAuthorizationList?: unknown[]) =>
  h.csms.command(id, 'SendLocalList', { listVersion, updateType, ...(localAuthorizationList ? { localAuthorizationList } : {}) });
const listVersion = async (id: string) => (await h.csms.command(id, 'GetLocalListVersion', {})).listVersion;
const tags = (...idTags: string[]) => idTags.map((idTag) => ({ idTag, idTagInfo: accepted }));

describe('SendLocalList and GetLocalListVersion', () => {
  test('TC_043_CS: a Full list replaces the list and a Differential one adds, changes and removes entries; the version follows', async () => {
    const cp = await h.connected({ featureProfiles });
    await expect(sendList(cp.chargePointId, 1, 'Full', tags('A', 'B', 'C'))).resolves.toEqual({ status: 'Accepted' });
    expect(await listVersion(cp.chargePointId)).toBe(1);
    await expect(
      sendList(cp.chargePointId, 2, 'Differential', [{ idTag: 'D', idTagInfo: accepted }, { idTag: 'B', idTagInfo: { status: 'Blocked' } }, { idTag: 'C' }]),
    ).resolves.toEqual({ status: 'Accepted' });
    expect(await listVersion(cp.chargePointId)).toBe(2);
    expect(cp.localAuthList.entries()).toEqual([
      { idTag: 'A', idTagInfo: accepted },
      { idTag: 'B', idTagInfo: { status: 'Blocked' } },
      { idTag: 'D', idTagInfo: accepted },
    ]);
    // A Full update drops what it does not name.
    await expect(sendList(cp.chargePointId, 3, 'Full', tags('E'))).resolves.toEqual({ status: 'Accepted' });
    expect(cp.localAuthList.entries().map((e) => e.idTag)).toEqual(['E']);
    expect(cp.localAuthList.lookup('A')).toBeUndefined();
    expect(cp.localAuthList).toMatchObject({ version: 3, size: 1 });
  });

  test('TC_042_2_CS: an empty list reports version 0, also after a Full update of version 1 without entries', async () => {
    const cp = await h.connected({ featureProfiles });
    expect(await listVersion(cp.chargePointId)).toBe(0);
    await expect(sendList(cp.chargePointId, 1, 'Full')).resolves.toEqual({ status: 'Accepted' });
    expect(await listVersion(cp.chargePointId)).toBe(0);
    // A Differential update without entries changes nothing on the list (§5.15).
    await sendList(cp.chargePointId, 4, 'Full', tags('A'));
    await expect(sendList(cp.chargePointId, 5, 'Differential')).resolves.toEqual({ status: 'Accepted' });
    expect(cp.localAuthList.entries().map((e) => e.idTag)).toEqual(['A']);
  });

  test('TC_043_2_CS: a Differential update whose version is not above the list version is VersionMismatch and changes nothing', async () => {
    const cp = await h.connected({ featureProfiles });
    await expect(sendList(cp.chargePointId, 2, 'Full', tags('A'))).resolves.toEqual({ status: 'Accepted' });
    expect(await listVersion(cp.chargePointId)).toBe(2);
    await expect(sendList(cp.chargePointId, 5, 'Differential', tags('B'))).resolves.toEqual({ status: 'Accepted' });
    expect(await listVersion(cp.chargePointId)).toBe(5);
    await expect(sendList(cp.chargePointId, 5, 'Differential', tags('C'))).resolves.toEqual({ status: 'VersionMismatch' });
    await expect(sendList(cp.chargePointId, 3, 'Differential', tags('C'))).resolves.toEqual({ status: 'VersionMismatch' });
    expect(await listVersion(cp.chargePointId)).toBe(5);
    expect(cp.localAuthList.lookup('C')).toBeUndefined();
    // A Full update may set any version, also a lower one.
    await expect(sendList(cp.chargePointId, 1, 'Full', tags('C'))).resolves.toEqual({ status: 'Accepted' });
    expect(await listVersion(cp.chargePointId)).toBe(1);
  });

  test('more entries than SendLocalListMaxLength in one message, or a list longer than LocalAuthListMaxLength, is Failed and changes nothing', async () => {
    const cp = await h.connected({ featureProfiles, configuration: { SendLocalListMaxLength: '2', LocalAuthListMaxLength: '3' } });
    await expect(sendList(cp.chargePointId, 1, 'Full', tags('A', 'B', 'C'))).resolves.toEqual({ status: 'Failed' });
    expect(await listVersion(cp.chargePointId)).toBe(0);
    await expect(sendList(cp.chargePointId, 1, 'Full', tags('A', 'B'))).resolves.toEqual({ status: 'Accepted' });
    await expect(sendList(cp.chargePointId, 2, 'Differential', tags('C'))).resolves.toEqual({ status: 'Accepted' });
    // Four entries would not fit; a removal in the same message makes room.
    await expect(sendList(cp.chargePointId, 3, 'Differential', tags('D'))).resolves.toEqual({ status: 'Failed' });
    expect(cp.localAuthList).toMatchObject({ version: 2, size: 3 });
    await expect(sendList(cp.chargePointId, 3, 'Differential', [{ idTag: 'A' }, ...tags('D')])).resolves.toEqual({ status: 'Accepted' });
    expect(cp.localAuthList.entries().map((e) => e.idTag)).toEqual(['B', 'C', 'D']);
  });

  test('an idTag twice in one message, or listVersion 0, is Failed', async () => {
    const cp = await h.connected({ featureProfiles });
    await expect(sendList(cp.chargePointId, 1, 'Full', tags('A', 'A'))).resolves.toEqual({ status: 'Failed' });
    await expect(sendList(cp.chargePointId, 0, 'Full', tags('A'))).resolves.toEqual({ status: 'Failed' });
    expect(cp.localAuthList.size).toBe(0);
  });

  test('TC_042_1_CS, TC_043_1_CS: without the profile, or with LocalAuthListEnabled false, the version is -1 and a list is NotSupported', async () => {
    const without = await h.connected({ featureProfiles: ['Core'] });
    expect(await listVersion(without.chargePointId)).toBe(-1);
    await expect(sendList(without.chargePointId, 1, 'Full', tags('A'))).resolves.toEqual({ status: 'NotSupported' });
    const disabled = await h.connected({ featureProfiles, configuration: { LocalAuthListEnabled: 'false' } });
    expect(await listVersion(disabled.chargePointId)).toBe(-1);
    await expect(sendList(disabled.chargePointId, 1, 'Full', tags('A'))).resolves.toEqual({ status: 'NotSupported' });
    expect(disabled.localAuthList.size).toBe(0);
    // Enabled again: the list works.
    await expect(h.csms.command(disabled.chargePointId, 'ChangeConfiguration', { key: 'LocalAuthListEnabled', value: 'true' })).resolves.toEqual({ status: 'Accepted' });
    await expect(sendList(disabled.chargePointId, 1, 'Full', tags('A'))).resolves.toEqual({ status: 'Accepted' });
    expect(await listVersion(disabled.chargePointId)).toBe(1);
  });

  test('TC_043_3_CS: the reject behaviour answers Failed, not_supported NotSupported (and version -1), and the list stays as it was', async () => {
    const cp = await h.connected({ featureProfiles });
    await sendList(cp.chargePointId, 1, 'Full', tags('A'));
    cp.behaviour.SendLocalList = 'reject';
    await expect(sendList(cp.chargePointId, 2, 'Full', tags('B'))).resolves.toEqual({ status: 'Failed' });
    cp.behaviour.SendLocalList = 'not_supported';
    await expect(sendList(cp.chargePointId, 2, 'Full', tags('B'))).resolves.toEqual({ status: 'NotSupported' });
    expect(cp.localAuthList.entries().map((e) => e.idTag)).toEqual(['A']);
    expect(await listVersion(cp.chargePointId)).toBe(1);
    cp.behaviour.GetLocalListVersion = 'not_supported';
    expect(await listVersion(cp.chargePointId)).toBe(-1);
  });

  test('the list and its version survive a reboot and a reconnect (§3.5.2: kept in non-volatile memory)', async () => {
    const cp = await h.connected({ featureProfiles });
    await sendList(cp.chargePointId, 7, 'Full', tags('A', 'B'));
    await cp.authorize('CACHED');
    const booted = cp.waitFor('booted');
    await h.csms.command(cp.chargePointId, 'Reset', { type: 'Hard' });
    await booted;
    expect(await listVersion(cp.chargePointId)).toBe(7);
    cp.dropConnection();
    await sleep(50);
    await cp.reconnect();
    expect(await listVersion(cp.chargePointId)).toBe(7);
    expect(cp.localAuthList.entries().map((e) => e.idTag)).toEqual(['A', 'B']);
    expect(cp.authorizationCache.lookup('CACHED')).toEqual({ status: 'Accepted' });
  });

  test('each command emits a call event with its answer', async () => {
    const cp = await h.connected({ featureProfiles });
    const call = cp.waitFor('call', (c) => c.action === 'SendLocalList');
    await sendList(cp.chargePointId, 1, 'Full', tags('A'));
    await expect(call).resolves.toMatchObject({ params: { listVersion: 1, updateType: 'Full' }, response: { status: 'Accepted' } });
  });
});

describe('authorization by the local list', () => {
  test('§3.5.3: the list takes precedence over the cache: a tag cached Accepted but Blocked on the list is refused without an Authorize', async () => {
    const cp = await h.connected({ featureProfiles });
    await cp.authorize('T');
    expect(cp.authorizationCache.lookup('T')).toEqual(accepted);
    await sendList(cp.chargePointId, 1, 'Full', [{ idTag: 'T', idTagInfo: { status: 'Blocked' } }]);
    const before = h.csms.received(cp.chargePointId, ['Authorize']).length;
    await expect(cp.presentIdTag(1, 'T')).resolves.toEqual({ started: false, idTagInfo: { status: 'Blocked' }, authorizedBy: 'local-list' });
    expect(h.csms.received(cp.chargePointId, ['Authorize'])).toHaveLength(before);
    expect(cp.transactionId(1)).toBeUndefined();
  });

  test.each(['Invalid', 'Expired'])('a tag %s on the list is refused locally', async (status) => {
    const cp = await h.connected({ featureProfiles });
    await sendList(cp.chargePointId, 1, 'Full', [{ idTag: 'T', idTagInfo: { status } }]);
    await expect(cp.presentIdTag(1, 'T')).resolves.toMatchObject({ started: false, authorizedBy: 'local-list', idTagInfo: { status } });
    expect(h.csms.received(cp.chargePointId, ['Authorize'])).toHaveLength(0);
  });

  test('an Accepted entry past its expiryDate reads as Expired and is refused', async () => {
    const cp = await h.connected({ featureProfiles });
    await sendList(cp.chargePointId, 1, 'Full', [{ idTag: 'T', idTagInfo: { status: 'Accepted', expiryDate: new Date(Date.now() - 1000).toISOString() } }]);
    await expect(cp.presentIdTag(1, 'T')).resolves.toMatchObject({ started: false, authorizedBy: 'local-list', idTagInfo: { status: 'Expired' } });
  });

  test('online with LocalPreAuthorize a listed tag starts at once; without it the CSMS is asked', async () => {
    const pre = await h.connected({ featureProfiles, configuration: { LocalPreAuthorize: 'true' } });
    await sendList(pre.chargePointId, 1, 'Full', tags('T'));
    await expect(pre.presentIdTag(1, 'T')).resolves.toMatchObject({ started: true, authorizedBy: 'local-list' });
    expect(h.csms.received(pre.chargePointId, ['Authorize'])).toHaveLength(0);

    const ask = await h.connected({ featureProfiles });
    await sendList(ask.chargePointId, 1, 'Full', tags('T'));
    await expect(ask.presentIdTag(1, 'T')).resolves.toMatchObject({ started: true, authorizedBy: 'csms' });
    expect(h.csms.received(ask.chargePointId, ['Authorize'])).toHaveLength(1);
  });

  test('offline a listed tag starts with LocalAuthorizeOffline, a Blocked one does not, and without LocalAuthorizeOffline none does', async () => {
    const cp = await h.connected({ featureProfiles, connectors: 2 });
    await sendList(cp.chargePointId, 1, 'Full', [...tags('OK'), { idTag: 'NO', idTagInfo: { status: 'Blocked' } }]);
    const strict = await h.connected({ featureProfiles, configuration: { LocalAuthorizeOffline: 'false' } });
    await sendList(strict.chargePointId, 1, 'Full', tags('OK'));
    cp.dropConnection();
    strict.dropConnection();
    await sleep(50);
    await expect(cp.presentIdTag(1, 'NO')).resolves.toMatchObject({ started: false, authorizedBy: 'local-list' });
    await expect(cp.presentIdTag(1, 'OK')).resolves.toMatchObject({ started: true, authorizedBy: 'local-list' });
    await expect(strict.presentIdTag(1, 'OK')).resolves.toMatchObject({ started: false, authorizedBy: 'none' });
    await cp.reconnect();
    await cp.drained();
    expect(h.csms.received(cp.chargePointId, ['StartTransaction']).map((c) => c.params.idTag)).toEqual(['OK']);
  });

  test('a listed tag is not added to the cache (§3.5.3), and ClearCache leaves the list alone', async () => {
    const cp = await h.connected({ featureProfiles });
    await sendList(cp.chargePointId, 1, 'Full', tags('LISTED'));
    await cp.authorize('LISTED');
    await cp.authorize('OTHER');
    expect(cp.authorizationCache.lookup('LISTED')).toBeUndefined();
    expect(cp.authorizationCache.size).toBe(1);
    await expect(h.csms.command(cp.chargePointId, 'ClearCache', {})).resolves.toEqual({ status: 'Accepted' });
    expect(cp.localAuthList.lookup('LISTED')).toEqual(accepted);
    expect(await listVersion(cp.chargePointId)).toBe(1);
  });

  test('an answer of the CSMS that contradicts the list is reported: StatusNotification of connector 0 with errorCode LocalListConflict', async () => {
    const cp = await h.connected({ featureProfiles });
    await sendList(cp.chargePointId, 1, 'Full', [{ idTag: 'T', idTagInfo: { status: 'Accepted', parentIdTag: 'P1' } }, ...tags('U')]);
    const from = h.csms.received(cp.chargePointId).length;
    // Agreeing answers (parentIdTag left out) report nothing.
    await cp.authorize('U');
    await cp.authorize('T');
    h.csms.responders.set('Authorize', () => ({ idTagInfo: { status: 'Blocked' } }));
    const conflict = cp.waitFor('localListConflict');
    await expect(cp.presentIdTag(1, 'T')).resolves.toMatchObject({ started: false, authorizedBy: 'csms', idTagInfo: { status: 'Blocked' } });
    await expect(conflict).resolves.toMatchObject({ idTag: 'T', listed: { status: 'Accepted' }, received: { status: 'Blocked' } });
    const notified = await h.next(cp.chargePointId, (c) => c.action === 'StatusNotification' && c.params.connectorId === 0, 2000, true);
    expect(notified.params).toMatchObject({ connectorId: 0, status: 'Available', errorCode: 'LocalListConflict' });
    expect(h.labels(cp.chargePointId, from)).toEqual(['Authorize', 'Authorize', 'Authorize', 'Status:0:Available']);
    // The list stays as the CSMS sent it; the cache does not learn the tag.
    expect(cp.localAuthList.lookup('T')).toMatchObject({ status: 'Accepted' });
    expect(cp.authorizationCache.lookup('T')).toBeUndefined();
  });

  test('with LocalAuthListEnabled false the list is not used: a tag Blocked on it starts when the CSMS accepts it', async () => {
    const cp = await h.connected({ featureProfiles });
    await sendList(cp.chargePointId, 1, 'Full', [{ idTag: 'T', idTagInfo: { status: 'Blocked' } }]);
    await h.csms.command(cp.chargePointId, 'ChangeConfiguration', { key: 'LocalAuthListEnabled', value: 'false' });
    await expect(cp.presentIdTag(1, 'T')).resolves.toMatchObject({ started: true, authorizedBy: 'csms' });
  });
});
