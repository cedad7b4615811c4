/**
 * The local-list sync, reservation and station charging profile workflows (workflows/*.ts,
 * unchanged: they speak 1.6's commands) against an OCPP 2.0.1 station: the whole stack (API,
 * gateway, session worker, PostgreSQL) and the 2.0.1 simulator over a real WebSocket; the
 * gateway translates (src/gateway/commands/v201/).
 */
import { chargerPassword, startStack, type Stack } from '../reliability/support/stack';
import { SimulatedChargingStation201 } from '../../src/simulator/v201/charging-station';

describe('local lists, reservations and station charging profiles on an OCPP 2.0.1 station', () => {
  let stack: Stack;
  const stations: SimulatedChargingStation201[] = [];

  beforeAll(async () => {
    stack = await startStack({
      name: 'workflows-201',
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
  async function station201(stationId: string, evses = 1): Promise<SimulatedChargingStation201> {
    await stack.addCharger(stationId, evses);
    const station = new SimulatedChargingStation201({ url: stack.gateway.url, stationId, password: chargerPassword, evses });
    stations.push(station);
    expect(await station.connect()).toMatchObject({ status: 'Accepted' });
    return station;
  }
  const received = (station: SimulatedChargingStation201, action: string) => station.received.filter((r) => r.action === action).map((r) => r.payload as any);

  it('TC_D_01_CSMS / TC_D_02_CSMS / TC_D_03_CSMS: a 2.0.1 station that boots gets its drivers’ id tags as a Full list (versionNumber, ISO14443 idTokens); a new tag, a block and a removal follow as Differential updates', async () => {
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

  it('TC_H_01_CSMS / TC_H_17_CSMS / TC_H_08_CSMS: a reservation through the API is ReserveNow (evseId, ISO14443 idToken) Accepted and held on the EVSE; the driver cancels: CancelReservation Accepted, the EVSE is free', async () => {
    const token = await stack.api.createDriver('res201-ann', ['RES201ANN']);
    const station = await station201('CS_RES201');
    const made = await stack.api.call('POST', '/v1/reservations', { token, body: { stationId: 'CS_RES201', connectorId: 1, expiresInMinutes: 15 } });
    expect([made.status, made.json.status, made.json.chargerStatus]).toEqual([201, 'accepted', 'Accepted']);
    const id: number = made.json.reservationId;
    expect(received(station, 'ReserveNow')).toEqual([{ id, evseId: 1, expiryDateTime: made.json.expiryDate, idToken: card('RES201ANN') }]);
    expect(station.features.reservations.list()).toMatchObject([{ id, evseId: 1, idToken: card('RES201ANN') }]);

    const cancelled = await stack.api.call('POST', `/v1/reservations/${id}/cancel`, { token });
    expect(cancelled.json).toMatchObject({ status: 'cancelled', cancelStatus: 'Accepted' });
    expect(received(station, 'CancelReservation')).toEqual([{ reservationId: id }]);
    expect(station.features.reservations.list()).toEqual([]);

    // The station as a whole (connector 0): no evseId; this station has no ReservationCtrlr.NonEvseSpecific, so Rejected (data, 200).
    const anyEvse = await stack.api.call('POST', '/v1/reservations', { token, body: { stationId: 'CS_RES201', connectorId: 0, expiresInMinutes: 15 } });
    expect([anyEvse.status, anyEvse.json.status, anyEvse.json.chargerStatus]).toEqual([200, 'rejected', 'Rejected']);
    expect(received(station, 'ReserveNow').at(-1)).not.toHaveProperty('evseId');
  });

  it('TC_K_03_CSMS / TC_K_43_CSMS / TC_K_05_CSMS: the operator\'s station maximum is SetChargingProfile ChargingStationMaxProfile on EVSE 0, Accepted and installed; the composite schedule reads back in 1.6\'s shape; removing it is ClearChargingProfile by id', async () => {
    const station = await station201('CS_SCP201');
    const put = await api('PUT', '/v1/operator/stations/CS_SCP201/station-profiles/ChargePointMaxProfile', {
      chargingProfileKind: 'Absolute',
      chargingSchedule: { startSchedule: '2026-01-01T00:00:00Z', chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 7400 }] },
    });
    expect(put.status).toBe(200);
    expect(put.json.profiles).toEqual([expect.objectContaining({ purpose: 'ChargePointMaxProfile', status: 'applied' })]);
    expect(received(station, 'SetChargingProfile').at(-1)).toEqual({
      evseId: 0,
      chargingProfile: {
        id: 1,
        stackLevel: 0,
        chargingProfilePurpose: 'ChargingStationMaxProfile',
        chargingProfileKind: 'Absolute',
        chargingSchedule: [{ id: 1, startSchedule: expect.any(String), chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 7400 }] }],
      },
    });
    expect(station.features.smartCharging.installed().map((p) => [p.evseId, p.profile.id, p.profile.chargingProfilePurpose])).toEqual([[0, 1, 'ChargingStationMaxProfile']]);

    const composite = await api('GET', '/v1/operator/stations/CS_SCP201/composite-schedule?connectorId=1&duration=600&chargingRateUnit=W');
    expect(composite.status).toBe(200);
    expect(composite.json).toMatchObject({ status: 'Accepted', connectorId: 1, chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [expect.objectContaining({ startPeriod: 0, limit: 7400 })] } });
    expect(received(station, 'GetCompositeSchedule').at(-1)).toEqual({ evseId: 1, duration: 600, chargingRateUnit: 'W' });

    const removed = await api('DELETE', '/v1/operator/stations/CS_SCP201/station-profiles/ChargePointMaxProfile');
    expect([removed.status, removed.json.profiles]).toEqual([200, []]);
    expect(received(station, 'ClearChargingProfile').at(-1)).toEqual({ chargingProfileId: 1 });
    expect(station.features.smartCharging.installed()).toEqual([]);
  });
});
