/**
 * The local-list sync workflow (workflows/local-list-sync.ts, unchanged) against an OCPP 2.0.1
 * station: the whole stack (API, gateway, session worker, PostgreSQL) and the 2.0.1 simulator
 * over a real WebSocket. The workflow speaks 1.6's SendLocalList / GetLocalListVersion; the
 * gateway translates (src/gateway/commands/v201/local-list.ts).
 */
import { chargerPassword, startStack, type Stack } from '../reliability/support/stack';
import { SimulatedChargingStation201 } from '../../src/simulator/v201/charging-station';

describe('local authorization lists on an OCPP 2.0.1 station', () => {
  let stack: Stack;
  const stations: SimulatedChargingStation201[] = [];

  beforeAll(async () => {
    stack = await startStack({
      name: 'local-lists-201',
      stationEvents: true,
      env: { SESSION_COMMAND_TIMEOUT_MS: '3000', GATEWAY_COMMAND_TIMEOUT_MS: '1000', LOCAL_LIST_SYNC_RETRY_MS: '300', LOCAL_LIST_SYNC_POLL_MS: '600000' },
    });
  });
  afterAll(async () => {
    for (const s of stations) await s.close().catch(() => undefined);
    await stack?.close();
  });

  const api = (method: string, path: string, body?: unknown) => stack.api.call(method as never, path, body === undefined ? {} : { body });
  const card = (idToken: string) => ({ idToken, type: 'ISO14443' });

  it('TC_D_01_CSMS / TC_D_02_CSMS-like: a 2.0.1 station that boots gets its drivers’ id tags as a Full list (versionNumber, ISO14443 idTokens); a new tag, a block and a removal follow as Differential updates', async () => {
    expect((await api('POST', '/v1/operator/drivers', { driverId: 'll201-ann', name: 'Ann', idTags: ['LL201ANN1'] })).status).toBe(201);
    await stack.addCharger('CS_LL201', 1);
    expect((await api('PUT', '/v1/operator/station-access-groups/ll201', { name: 'll201', stationIds: ['CS_LL201'], driverIds: ['ll201-ann'] })).status).toBeLessThan(300);

    const station = new SimulatedChargingStation201({ url: stack.gateway.url, stationId: 'CS_LL201', password: chargerPassword });
    stations.push(station);
    expect(await station.connect()).toMatchObject({ status: 'Accepted' });
    const lists = () => station.received.filter((r) => r.action === 'SendLocalList').map((r) => r.payload as any);
    const sync = async () => (await api('GET', '/v1/operator/stations/CS_LL201/local-list')).json.sync;

    await stack.eventually('the Full list on the station', async () => ({ info: station.localList.lookup(card('LL201ANN1')), sync: await sync() }), (s) => s.info?.status === 'Accepted' && s.sync.syncState === 'in_sync');
    expect(station.received.find((r) => r.action === 'GetLocalListVersion')?.payload).toEqual({});
    expect(lists()[0]).toEqual({ versionNumber: 1, updateType: 'Full', localAuthorizationList: [{ idToken: card('LL201ANN1'), idTokenInfo: { status: 'Accepted' } }] });
    expect(station.localList.version).toBe(1);
    expect(await sync()).toMatchObject({ mode: 'local_list', confirmedVersion: 1 });

    // A new tag: a Differential update with it.
    expect((await api('POST', '/v1/operator/drivers/ll201-ann/id-tags', { idTag: 'LL201ANN2' })).status).toBe(201);
    await stack.eventually('the new tag on the station', async () => station.localList.lookup(card('LL201ANN2')), (i) => i?.status === 'Accepted');
    expect(lists().at(-1)).toEqual({ versionNumber: 2, updateType: 'Differential', localAuthorizationList: [{ idToken: card('LL201ANN2'), idTokenInfo: { status: 'Accepted' } }] });

    // Blocked, with an expiry date and a group: idTokenInfo's status, cacheExpiryDateTime and groupIdToken.
    expect((await api('PATCH', '/v1/operator/id-tags/LL201ANN1', { status: 'Blocked', expiryDate: '2030-01-01T00:00:00Z', parentIdTag: 'FLEET' })).status).toBe(200);
    const blocked = await stack.eventually('the block on the station', async () => station.localList.lookup(card('LL201ANN1')), (i) => i?.status === 'Blocked');
    expect(blocked).toMatchObject({ groupIdToken: { idToken: 'FLEET', type: 'Central' } });
    expect(Date.parse(blocked!.cacheExpiryDateTime!)).toBe(Date.parse('2030-01-01T00:00:00Z'));

    // A removal: an entry without idTokenInfo.
    expect((await api('DELETE', '/v1/operator/drivers/ll201-ann/id-tags/LL201ANN2')).status).toBe(204);
    await stack.eventually('the tag gone from the station', async () => ({ info: station.localList.lookup(card('LL201ANN2')), sync: await sync() }), (s) => s.info === undefined && s.sync.syncState === 'in_sync' && s.sync.confirmedVersion === station.localList.version);
    expect(lists().at(-1)).toEqual({ versionNumber: station.localList.version, updateType: 'Differential', localAuthorizationList: [{ idToken: card('LL201ANN2') }] });
    expect(lists().slice(1).every((l) => l.updateType === 'Differential')).toBe(true);
    expect(station.localList.size).toBe(1);
  });
});
