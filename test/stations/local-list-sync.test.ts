/**
 * Local authorization lists kept in sync, and revocation that reaches chargers, on the whole
 * stack: API, gateway, the session worker running workflows/local-list-sync.ts (time-skipping
 * server at wall-clock pace), PostgreSQL, and simulated chargers over real WebSockets.
 *
 * Id tags are the network's: every test's drivers land on every unrestricted station. So each
 * test that checks a list's exact contents restricts its station to its own access group.
 */
import { startStack, type Stack } from '../reliability/support/stack';
import type { SimulatedChargePoint } from '../../src/simulator/charge-point';
import { localListSyncInput } from '../../src/stations/temporal-local-list-sync';
import { loadConfig } from '../../src/config/config';
import { localListSyncWorkflowId } from '../../workflows/local-list-messages';
import { localListSync } from '../../workflows/local-list-sync';

const listProfiles = ['Core', 'RemoteTrigger', 'LocalAuthListManagement'];
const cacheOnlyProfiles = ['Core', 'RemoteTrigger'];

describe('local authorization lists', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      name: 'local-lists',
      stationEvents: true,
      statusTriggerDelayMs: 300,
      env: { SESSION_COMMAND_TIMEOUT_MS: '3000', GATEWAY_COMMAND_TIMEOUT_MS: '1000', LOCAL_LIST_SYNC_RETRY_MS: '300', LOCAL_LIST_SYNC_POLL_MS: '600000' },
    });
    await stack.api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
  });
  afterAll(async () => stack?.close());

  const api = (method: string, path: string, body?: unknown) => stack.api.call(method as never, path, body === undefined ? {} : { body });
  const driver = async (driverId: string, idTags: string[]) => {
    const res = await api('POST', '/v1/operator/drivers', { driverId, name: driverId, idTags });
    if (res.status !== 201) throw new Error(`driver ${driverId}: ${res.status} ${res.text}`);
  };
  const restrict = async (groupId: string, stationIds: string[], driverIds: string[]) => {
    const res = await api('PUT', `/v1/operator/station-access-groups/${groupId}`, { name: groupId, stationIds, driverIds });
    if (res.status >= 300) throw new Error(`group ${groupId}: ${res.status} ${res.text}`);
  };
  const setTag = (idTag: string, change: object) => api('PATCH', `/v1/operator/id-tags/${idTag}`, change);

  /** The wake-ups a test's setup made are spent (no pass in flight), so a drop interrupts no command. */
  const quiet = () => new Promise((r) => setTimeout(r, 1_000));
  /** Every command the charger is sent from now on. */
  function track(cp: SimulatedChargePoint) {
    const calls: Array<{ action: string; params: any; response?: any }> = [];
    cp.on('call', (c) => calls.push(c));
    const lists = () => calls.filter((c) => c.action === 'SendLocalList');
    return { cp, calls, lists };
  }
  const localList = async (id: string) => (await api('GET', `/v1/operator/stations/${id}/local-list`)).json;
  const listTags = (cp: SimulatedChargePoint) => cp.localAuthList.entries().map((e) => `${e.idTag}:${e.idTagInfo.status}`).sort();
  /** Waits until the station holds exactly `expected` (idTag:status) and the sync reports in_sync. */
  const holds = (id: string, cp: SimulatedChargePoint, expected: string[], timeoutMs?: number) =>
    stack.eventually(
      `${id} holding ${expected.join(', ')}`,
      async () => ({ tags: listTags(cp), version: cp.localAuthList.version, sync: (await localList(id)).sync }),
      (s) =>
        JSON.stringify(s.tags) === JSON.stringify([...expected].sort()) &&
        s.sync.syncState === 'in_sync' &&
        // What it holds is recorded as confirmed (an empty list reads as version 0).
        (s.sync.confirmedVersion === s.version || (s.version === 0 && s.sync.confirmedEntries === 0)),
      timeoutMs,
    );

  it('TC_043_4_CSMS / TC_043_5_CSMS Send Local Authorization List (Full, Differential): a station that boots gets every driver\'s id tags as a Full list; changes follow as Differential updates', async () => {
    await driver('ll-alice', ['LLALICE1']);
    await driver('ll-bob', ['LLBOB1']);
    await stack.addCharger('CP_LL_FULL', 1);
    const { cp, lists } = track(await stack.connectCharger('CP_LL_FULL', { featureProfiles: listProfiles }));
    // Default: no access group, so every driver's tags (also other tests', hence toContain).
    await stack.eventually('a Full list', async () => listTags(cp), (t) => t.includes('LLALICE1:Accepted') && t.includes('LLBOB1:Accepted'));
    expect(lists()[0]).toMatchObject({ params: { updateType: 'Full', listVersion: 1 }, response: { status: 'Accepted' } });

    await restrict('ll-full', ['CP_LL_FULL'], ['ll-alice', 'll-bob']);
    await holds('CP_LL_FULL', cp, ['LLALICE1:Accepted', 'LLBOB1:Accepted']);

    const sent = lists().length;
    expect((await api('POST', '/v1/operator/drivers/ll-alice/id-tags', { idTag: 'LLALICE2' })).status).toBe(201);
    await holds('CP_LL_FULL', cp, ['LLALICE1:Accepted', 'LLALICE2:Accepted', 'LLBOB1:Accepted']);
    const added = lists().slice(sent);
    expect(added.map((c) => c.params)).toEqual([{ updateType: 'Differential', listVersion: expect.any(Number), localAuthorizationList: [{ idTag: 'LLALICE2', idTagInfo: { status: 'Accepted' } }] }]);

    // Blocked, with an expiry date and a parent on another tag, removed, and a driver deleted.
    expect((await setTag('LLBOB1', { status: 'Blocked' })).status).toBe(200);
    await holds('CP_LL_FULL', cp, ['LLALICE1:Accepted', 'LLALICE2:Accepted', 'LLBOB1:Blocked']);
    expect((await setTag('LLALICE1', { expiryDate: '2030-01-01T00:00:00Z', parentIdTag: 'FLEET' })).status).toBe(200);
    await stack.eventually('the expiry and parent on the list', async () => cp.localAuthList.lookup('LLALICE1'), (i) => i?.parentIdTag === 'FLEET' && Date.parse(i.expiryDate ?? '') === Date.parse('2030-01-01T00:00:00Z'));
    expect((await api('DELETE', '/v1/operator/drivers/ll-alice/id-tags/LLALICE2')).status).toBe(204);
    await holds('CP_LL_FULL', cp, ['LLALICE1:Accepted', 'LLBOB1:Blocked']);
    expect((await api('DELETE', '/v1/operator/drivers/ll-bob')).status).toBe(204);
    await holds('CP_LL_FULL', cp, ['LLALICE1:Accepted']);

    const updates = lists().slice(sent);
    expect(updates.every((c) => c.params.updateType === 'Differential' && c.response.status === 'Accepted')).toBe(true);
    const versions = updates.map((c) => c.params.listVersion);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(new Set(versions).size).toBe(versions.length);
    const view = await localList('CP_LL_FULL');
    expect(view.sync).toMatchObject({ mode: 'local_list', syncState: 'in_sync', confirmedVersion: cp.localAuthList.version, leftOut: 0 });
    expect(view.confirmed).toEqual(cp.localAuthList.entries());
    const station = (await api('GET', '/v1/stations/CP_LL_FULL')).json;
    expect(station.localList).toMatchObject({ mode: 'local_list', syncState: 'in_sync', confirmedVersion: cp.localAuthList.version });
  });

  it('TC_042_2_CSMS Get Local List Version (empty): the sync asks the station its version; 0 for the empty list it sent is in sync, and a list changed behind its back gets a Full list', async () => {
    await driver('ll-carol', ['LLCAROL1']);
    await stack.addCharger('CP_LL_VER', 1);
    await restrict('ll-ver', ['CP_LL_VER'], []);
    const { cp, calls, lists } = track(await stack.connectCharger('CP_LL_VER', { featureProfiles: listProfiles }));
    await holds('CP_LL_VER', cp, []);
    const versions = () => calls.filter((c) => c.action === 'GetLocalListVersion');
    expect(versions().at(-1)).toMatchObject({ response: { listVersion: 0 } });
    // The operator asks too (the OCTT's manual trigger): the station's answer, 0 for its empty list.
    expect((await api('GET', '/v1/operator/stations/CP_LL_VER/local-list/version')).json).toEqual({ stationId: 'CP_LL_VER', listVersion: 0 });
    // Woken again with nothing to change: it asks the version, and sends no list.
    const [asked, sent] = [versions().length, lists().length];
    await restrict('ll-ver', ['CP_LL_VER'], []);
    await stack.eventually('another GetLocalListVersion', async () => versions().length, (n) => n > asked);
    expect(lists().length).toBe(sent);

    await restrict('ll-ver', ['CP_LL_VER'], ['ll-carol']);
    await holds('CP_LL_VER', cp, ['LLCAROL1:Accepted']);
    expect((await api('GET', '/v1/operator/stations/CP_LL_VER/local-list/version')).json).toEqual({ stationId: 'CP_LL_VER', listVersion: cp.localAuthList.version });
    // Someone else replaced the list (version 40): the next pass sees another version and sends it whole, above it.
    cp.localAuthList.update({ listVersion: 40, updateType: 'Full', localAuthorizationList: [{ idTag: 'STRANGER', idTagInfo: { status: 'Accepted' } }] }, { maxEntries: 100, maxPerMessage: 100 });
    const before = lists().length;
    expect((await api('POST', '/v1/operator/stations/CP_LL_VER/local-list/resync')).status).toBe(202);
    await holds('CP_LL_VER', cp, ['LLCAROL1:Accepted']);
    expect(lists().slice(before)[0]).toMatchObject({ params: { updateType: 'Full', listVersion: 41 }, response: { status: 'Accepted' } });
    expect((await localList('CP_LL_VER')).sync).toMatchObject({ fullResyncRequested: false, confirmedVersion: 41 });
  });

  it('VersionMismatch (the station side of TC_043_2_CS): a Differential update the station refuses as VersionMismatch is followed by a Full list', async () => {
    await driver('ll-dan', ['LLDAN1']);
    await stack.addCharger('CP_LL_MISMATCH', 1);
    const { cp, lists } = track(await stack.connectCharger('CP_LL_MISMATCH', { featureProfiles: listProfiles }));
    await restrict('ll-mismatch', ['CP_LL_MISMATCH'], []);
    await holds('CP_LL_MISMATCH', cp, []);
    // The list is empty (version 0 to GetLocalListVersion), but the station's last update was version 9.
    cp.localAuthList.update({ listVersion: 9, updateType: 'Full', localAuthorizationList: [] }, { maxEntries: 100, maxPerMessage: 100 });
    const sent = lists().length;
    await restrict('ll-mismatch', ['CP_LL_MISMATCH'], ['ll-dan']);
    await holds('CP_LL_MISMATCH', cp, ['LLDAN1:Accepted']);
    expect(lists().slice(sent).map((c) => [c.params.updateType, c.response.status])).toEqual([
      ['Differential', 'VersionMismatch'],
      ['Full', 'Accepted'],
    ]);
  });

  it('an offline charger catches up on every change when it reconnects', async () => {
    await driver('ll-erin', ['LLERIN1', 'LLERIN2']);
    await stack.addCharger('CP_LL_OFF', 1);
    const { cp } = track(await stack.connectCharger('CP_LL_OFF', { featureProfiles: listProfiles }));
    await restrict('ll-off', ['CP_LL_OFF'], ['ll-erin']);
    await holds('CP_LL_OFF', cp, ['LLERIN1:Accepted', 'LLERIN2:Accepted']);
    await quiet();
    cp.dropConnection();
    await stack.eventually('CP_LL_OFF offline', () => stack.db.pool.query(`SELECT online FROM chargers WHERE id = 'CP_LL_OFF'`), (r) => r.rows[0].online === false);
    await setTag('LLERIN1', { status: 'Blocked' });
    await api('DELETE', '/v1/operator/drivers/ll-erin/id-tags/LLERIN2');
    await api('POST', '/v1/operator/drivers/ll-erin/id-tags', { idTag: 'LLERIN3' });
    await stack.eventually('waiting_for_station', () => localList('CP_LL_OFF'), (v) => v.sync.syncState === 'waiting_for_station');
    expect(listTags(cp)).toEqual(['LLERIN1:Accepted', 'LLERIN2:Accepted']);
    await cp.reconnect(); // no boot: the gateway's reconnect trigger wakes the sync
    await holds('CP_LL_OFF', cp, ['LLERIN1:Blocked', 'LLERIN3:Accepted']);
  });

  it('a list longer than SendLocalListMaxLength goes as several messages; beyond LocalAuthListMaxLength the Accepted tags are kept and the rest counted', async () => {
    await driver('ll-fleet', ['LLF1', 'LLF2', 'LLF3', 'LLF4', 'LLF5']);
    await driver('ll-fleet-revoked', ['LLFX']);
    await setTag('LLFX', { status: 'Blocked' });
    await stack.addCharger('CP_LL_SPLIT', 1);
    await restrict('ll-split', ['CP_LL_SPLIT'], ['ll-fleet', 'll-fleet-revoked']);
    const { cp, lists } = track(await stack.connectCharger('CP_LL_SPLIT', { featureProfiles: listProfiles, configuration: { SendLocalListMaxLength: '2', LocalAuthListMaxLength: '5' } }));
    await holds('CP_LL_SPLIT', cp, ['LLF1:Accepted', 'LLF2:Accepted', 'LLF3:Accepted', 'LLF4:Accepted', 'LLF5:Accepted']);
    expect(lists().map((c) => [c.params.updateType, c.params.localAuthorizationList.length, c.response.status])).toEqual([
      ['Full', 2, 'Accepted'],
      ['Differential', 2, 'Accepted'],
      ['Differential', 1, 'Accepted'],
    ]);
    const view = await localList('CP_LL_SPLIT');
    expect(view.sync).toMatchObject({ leftOut: 1, maxListLength: 5, maxPerMessage: 2, confirmedEntries: 5 });
    expect(view.sync.detail).toMatch(/1 id tag\(s\) left off/);
  });

  it('a charger that reboots in the middle of a split update ends with the whole list', async () => {
    await driver('ll-reboot', ['LLR1', 'LLR2', 'LLR3', 'LLR4', 'LLR5']);
    await stack.addCharger('CP_LL_REBOOT', 1);
    await restrict('ll-reboot', ['CP_LL_REBOOT'], []);
    const { cp, lists } = track(await stack.connectCharger('CP_LL_REBOOT', { featureProfiles: listProfiles, configuration: { SendLocalListMaxLength: '2' } }));
    await holds('CP_LL_REBOOT', cp, []);
    let rebooted = false;
    cp.on('call', (c: { action: string; params: any }) => {
      if (c.action === 'SendLocalList' && c.params.localAuthorizationList?.length && !rebooted) {
        rebooted = true;
        setImmediate(() => void cp.reboot());
      }
    });
    await restrict('ll-reboot', ['CP_LL_REBOOT'], ['ll-reboot']);
    await holds('CP_LL_REBOOT', cp, ['LLR1:Accepted', 'LLR2:Accepted', 'LLR3:Accepted', 'LLR4:Accepted', 'LLR5:Accepted'], 30_000);
    expect(rebooted).toBe(true);
    expect(lists().length).toBeGreaterThanOrEqual(3);
    expect((await localList('CP_LL_REBOOT')).sync.confirmedVersion).toBe(cp.localAuthList.version);
  });

  it('Failed (TC_043_3_CS\'s station) is retried with backoff until the station takes the list; NotSupported (TC_043_1_CS\'s) keeps the station on its cache', async () => {
    await driver('ll-gus', ['LLGUS1']);
    await stack.addCharger('CP_LL_FAIL', 1);
    await restrict('ll-fail', ['CP_LL_FAIL'], ['ll-gus']);
    await stack.addCharger('CP_LL_NS', 1);
    const failing = track(await stack.connectCharger('CP_LL_FAIL', { featureProfiles: listProfiles }));
    failing.cp.behaviour.SendLocalList = 'reject';
    await api('POST', '/v1/operator/stations/CP_LL_FAIL/local-list/resync');
    await stack.eventually('failed', () => localList('CP_LL_FAIL'), (v) => v.sync.syncState === 'failed' && /Failed/.test(v.sync.detail ?? ''));
    const failures = failing.lists().filter((c) => c.response?.status === 'Failed').length;
    await stack.eventually('retried', async () => failing.lists().filter((c) => c.response?.status === 'Failed').length, (n) => n > failures);
    failing.cp.behaviour.SendLocalList = 'accept';
    await holds('CP_LL_FAIL', failing.cp, ['LLGUS1:Accepted']);

    const ns = track(await stack.connectCharger('CP_LL_NS', { featureProfiles: listProfiles }));
    ns.cp.behaviour.SendLocalList = 'not_supported';
    await api('POST', '/v1/operator/stations/CP_LL_NS/local-list/resync');
    await stack.eventually('cache_only', () => localList('CP_LL_NS'), (v) => v.sync.mode === 'cache_only' && v.sync.syncState === 'cache_only');
    const sent = ns.lists().length;
    await setTag('LLGUS1', { status: 'Blocked' });
    // A revocation now reaches it as ClearCache, with no list.
    await stack.eventually('ClearCache on CP_LL_NS', async () => ns.calls.filter((c) => c.action === 'ClearCache').length, (n) => n >= 1);
    expect(ns.lists().length).toBe(sent);
    await setTag('LLGUS1', { status: 'Accepted' });
    // New firmware that keeps a list: after its boot the station is asked again.
    ns.cp.behaviour.SendLocalList = 'accept';
    await quiet();
    await ns.cp.reboot();
    await stack.eventually('a list after the boot', () => localList('CP_LL_NS'), (v) => v.sync.mode === 'local_list' && v.sync.syncState === 'in_sync' && ns.cp.localAuthList.size > 0);
  });

  it('TC_061 Clear Authorization Data in Authorization Cache: blocking a tag clears the cache of a charger with no local list, online or when it is back, and the charger refuses the tag afterwards', async () => {
    await driver('ll-hal', ['LLHAL1']);
    await stack.addCharger('CP_LL_CACHE', 1);
    const offlineRules = { LocalAuthorizeOffline: 'true', AuthorizationCacheEnabled: 'true', AllowOfflineTxForUnknownId: 'false' };
    const { cp, calls } = track(await stack.connectCharger('CP_LL_CACHE', { featureProfiles: cacheOnlyProfiles, configuration: offlineRules }));
    await stack.eventually('cache_only', () => localList('CP_LL_CACHE'), (v) => v.sync.syncState === 'cache_only');
    // Its stored profiles lack LocalAuthListManagement: the operator's GetLocalListVersion is refused before sending.
    await stack.eventually('409 for GetLocalListVersion', () => api('GET', '/v1/operator/stations/CP_LL_CACHE/local-list/version'), (r) => r.status === 409);
    await cp.authorize('LLHAL1');
    expect(cp.authorizationCache.lookup('LLHAL1')?.status).toBe('Accepted');

    // Online: the block reaches it at once.
    expect((await setTag('LLHAL1', { status: 'Blocked' })).status).toBe(200);
    await stack.eventually('the cache cleared', async () => cp.authorizationCache.lookup('LLHAL1'), (i) => i === undefined);
    expect(calls.filter((c) => c.action === 'ClearCache').at(-1)).toMatchObject({ response: { status: 'Accepted' } });
    await quiet();
    cp.dropConnection();
    expect(await cp.presentIdTag(1, 'LLHAL1')).toMatchObject({ started: false });

    // Offline: cached again, then blocked while the charger is away; it is cleared when it is back.
    await cp.reconnect();
    await setTag('LLHAL1', { status: 'Accepted' });
    await cp.authorize('LLHAL1');
    await quiet();
    cp.dropConnection();
    await stack.eventually('CP_LL_CACHE offline', () => stack.db.pool.query(`SELECT online FROM chargers WHERE id = 'CP_LL_CACHE'`), (r) => r.rows[0].online === false);
    await setTag('LLHAL1', { status: 'Blocked' });
    await stack.eventually('a ClearCache due', () => localList('CP_LL_CACHE'), (v) => v.sync.cacheClearPending === true);
    expect(cp.authorizationCache.lookup('LLHAL1')?.status).toBe('Accepted');
    await cp.reconnect();
    await stack.eventually('the cache cleared after the reconnect', () => localList('CP_LL_CACHE'), (v) => v.sync.cacheClearPending === false);
    expect(cp.authorizationCache.lookup('LLHAL1')).toBeUndefined();
    await quiet();
    cp.dropConnection();
    expect(await cp.presentIdTag(1, 'LLHAL1')).toMatchObject({ started: false });
    await cp.reconnect();
  });

  it('a transaction the charger authorized offline with a tag revoked meanwhile is billed and flagged id_tag_revoked on the session and the receipt', async () => {
    await driver('ll-ivy', ['LLIVY1']);
    await stack.addCharger('CP_LL_REVOKED', 1);
    const offlineRules = { LocalAuthorizeOffline: 'true', AuthorizationCacheEnabled: 'true', StopTransactionOnInvalidId: 'false' };
    const { cp } = track(await stack.connectCharger('CP_LL_REVOKED', { featureProfiles: cacheOnlyProfiles, configuration: offlineRules }));
    await cp.authorize('LLIVY1');
    await quiet();
    cp.dropConnection();
    await stack.eventually('CP_LL_REVOKED offline', () => stack.db.pool.query(`SELECT online FROM chargers WHERE id = 'CP_LL_REVOKED'`), (r) => r.rows[0].online === false);
    await setTag('LLIVY1', { status: 'Blocked' });

    cp.setMeterRegister(1, 100_000);
    expect(await cp.presentIdTag(1, 'LLIVY1')).toMatchObject({ started: true, authorizedBy: 'cache' });
    // Offline the start is queued, and the transaction begins once the connector is Preparing.
    await stack.eventually('the offline transaction', async () => cp.status(1), (s) => s === 'Preparing');
    await new Promise((r) => setTimeout(r, 20));
    cp.setMeterRegister(1, 103_000);
    const stopped = cp.stopTransaction(1);
    await cp.reconnect();
    await stopped;
    await cp.drained();
    const { rows } = await stack.db.pool.query(`SELECT id FROM transactions WHERE station_id = 'CP_LL_REVOKED'`);
    const sessionId = await stack.sessionOfTransaction(rows[0].id);
    const receipt = await stack.receipt(sessionId);
    expect(receipt).toMatchObject({ status: 'completed', meter_start: 100_000, meter_stop: 103_000, energy_kwh_exact: '3', total_cost_exact: '0.75' });
    expect(receipt.flags).toContain('id_tag_revoked');
    const session = (await api('GET', `/v1/sessions/${sessionId}`)).json;
    expect(session.flags).toContain('id_tag_revoked');
    const page = await api('GET', `/v1/sessions/${sessionId}/receipt.html`);
    expect(page.text).toContain('id tag that had been revoked');
  });

  it('racing tag changes in the same second both reach the station', async () => {
    await driver('ll-jo', ['LLJO1', 'LLJO2', 'LLJO3']);
    await stack.addCharger('CP_LL_RACE', 1);
    await restrict('ll-race', ['CP_LL_RACE'], ['ll-jo']);
    const { cp } = track(await stack.connectCharger('CP_LL_RACE', { featureProfiles: listProfiles }));
    await holds('CP_LL_RACE', cp, ['LLJO1:Accepted', 'LLJO2:Accepted', 'LLJO3:Accepted']);
    const answers = await Promise.all([setTag('LLJO1', { status: 'Blocked' }), setTag('LLJO2', { status: 'Expired' }), api('DELETE', '/v1/operator/drivers/ll-jo/id-tags/LLJO3')]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 204]);
    await holds('CP_LL_RACE', cp, ['LLJO1:Blocked', 'LLJO2:Expired']);
  });

  it('a station restricted to an access group refuses other tags online too (Authorize answers Invalid)', async () => {
    await driver('ll-kim', ['LLKIM1']);
    await driver('ll-lee', ['LLLEE1']);
    await stack.addCharger('CP_LL_GROUP', 1);
    await restrict('ll-group', ['CP_LL_GROUP'], ['ll-kim']);
    const { cp } = track(await stack.connectCharger('CP_LL_GROUP', { featureProfiles: listProfiles }));
    await holds('CP_LL_GROUP', cp, ['LLKIM1:Accepted']);
    expect((await cp.authorize('LLKIM1')).idTagInfo.status).toBe('Accepted');
    expect((await cp.authorize('LLLEE1')).idTagInfo.status).toBe('Invalid');
    expect((await api('GET', '/v1/operator/station-access-groups/ll-group')).json).toMatchObject({ stationIds: ['CP_LL_GROUP'], driverIds: ['ll-kim'] });
    const unknown = await api('PUT', '/v1/operator/station-access-groups/ll-bad', { name: 'bad', stationIds: ['CP_NOPE'], driverIds: [] });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.details).toEqual([{ field: 'body.stationIds[0]', problem: 'unknown station CP_NOPE' }]);
    expect((await api('DELETE', '/v1/operator/station-access-groups/ll-group')).status).toBe(204);
    await stack.eventually('every driver again', async () => listTags(cp), (t) => t.includes('LLLEE1:Accepted'));
  });

  it('level-triggered: a change committed with no wake-up at all (a crash before the signal) reaches the station at the next poll', async () => {
    await driver('ll-max', ['LLMAX1']);
    await stack.addCharger('CP_LL_POLL', 1);
    await restrict('ll-poll', ['CP_LL_POLL'], ['ll-max']);
    const { cp } = track(await stack.connectCharger('CP_LL_POLL', { featureProfiles: listProfiles }));
    await holds('CP_LL_POLL', cp, ['LLMAX1:Accepted']);
    await quiet();
    // Written behind the API's back: no signal is sent.
    await stack.db.pool.query(`UPDATE id_tags SET status = 'Blocked' WHERE id_tag = 'LLMAX1'`);
    await new Promise((r) => setTimeout(r, 1_000));
    expect(listTags(cp)).toEqual(['LLMAX1:Accepted']);
    await stack.env.sleep(600_000); // LOCAL_LIST_SYNC_POLL_MS, skipped
    await holds('CP_LL_POLL', cp, ['LLMAX1:Blocked']);
  });

  it('the sync continues as new after its passes, carrying nothing but its input: the next run reads the same state from PostgreSQL', async () => {
    await driver('ll-ned', ['LLNED1']);
    await stack.addCharger('CP_LL_CAN', 1);
    const config = loadConfig({ LOCAL_LIST_SYNC_RETRY_MS: '300', LOCAL_LIST_SYNC_POLL_MS: '600000' });
    const handle = await stack.env.client.workflow.start(localListSync, {
      workflowId: localListSyncWorkflowId('CP_LL_CAN'),
      taskQueue: 'local-lists-sessions',
      args: [{ ...localListSyncInput('CP_LL_CAN', config), passesPerRun: 2 }],
    });
    const firstRun = handle.firstExecutionRunId;
    await restrict('ll-can', ['CP_LL_CAN'], ['ll-ned']);
    const { cp } = track(await stack.connectCharger('CP_LL_CAN', { featureProfiles: listProfiles }));
    await holds('CP_LL_CAN', cp, ['LLNED1:Accepted']);
    await api('POST', '/v1/operator/drivers/ll-ned/id-tags', { idTag: 'LLNED2' });
    await holds('CP_LL_CAN', cp, ['LLNED1:Accepted', 'LLNED2:Accepted']);
    await setTag('LLNED1', { status: 'Blocked' });
    await holds('CP_LL_CAN', cp, ['LLNED1:Blocked', 'LLNED2:Accepted']);
    const now = await stack.env.client.workflow.getHandle(localListSyncWorkflowId('CP_LL_CAN')).describe();
    expect(now.runId).not.toBe(firstRun);
    expect(now.status.name).toBe('RUNNING');
  });

  it('an expiry date that passes makes the entry Expired on the list, with no change or signal (the workflow wakes at the expiry date)', async () => {
    await driver('ll-oz', ['LLOZ1']);
    await stack.addCharger('CP_LL_EXPIRY', 1);
    await restrict('ll-expiry', ['CP_LL_EXPIRY'], ['ll-oz']);
    const { cp } = track(await stack.connectCharger('CP_LL_EXPIRY', { featureProfiles: listProfiles }));
    // Far enough ahead that a loaded machine still sees the Accepted entry carrying it first.
    const expiry = new Date(Date.now() + 6_000).toISOString();
    await setTag('LLOZ1', { expiryDate: expiry });
    // The list held Accepted before the expiry was set: wait for the update that carries it.
    await stack.eventually('the expiry date on the list', async () => cp.localAuthList.lookup('LLOZ1'), (i) => i?.status === 'Accepted' && Date.parse(i.expiryDate ?? '') === Date.parse(expiry));
    await holds('CP_LL_EXPIRY', cp, ['LLOZ1:Expired'], 20_000);
  });
});
