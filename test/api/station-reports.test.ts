/**
 * What a 2.0.1 station reports about itself, shown to operators: a raw 2.0.1 station sends
 * NotifyEvent, SecurityEventNotification, NotifyReport and firmware / log statuses to a real
 * gateway, and the operator API (on the same database) lists them
 * (/v1/operator/stations/{id}/events, /security-events, /device-model).
 */
import { createGatewayHarness, rawSocket, type GatewayHarness, type RawOcppSocket } from '../gateway/support/gateway-harness';
import { startTestApi, type TestApi } from './support/api-harness';

const boot = { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'AC-22' } };
const at = (s: number) => new Date(Date.UTC(2026, 11, 2, 11, 0, s)).toISOString();

describe('a 2.0.1 station’s events, security events and device model in the operator API', () => {
  let h: GatewayHarness;
  let api: TestApi;
  let ws: RawOcppSocket;

  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.start();
    api = await startTestApi({ db: h.db });
    await h.addCharger('CS_API');
    await h.addCharger('CS_API_QUIET');
    ws = await rawSocket(h, 'CS_API', undefined, ['ocpp2.0.1']);
    await ws.call('boot', 'BootNotification', boot);
    const event = (eventId: number, s: number, extra: object = {}) => ({
      eventId,
      timestamp: at(s),
      trigger: 'Alerting',
      actualValue: 'true',
      eventNotificationType: 'PreconfiguredMonitor',
      component: { name: 'ChargingStation' },
      variable: { name: 'Problem' },
      ...extra,
    });
    const replies = [
      await ws.call('e', 'NotifyEvent', {
        generatedAt: at(3),
        seqNo: 0,
        eventData: [event(1, 1), event(2, 2, { component: { name: 'EVSE', instance: 'left', evse: { id: 1 } }, variable: { name: 'Power', instance: 'max' }, techInfo: 'overheat', transactionId: 'TX-9' })],
      }),
      await ws.call('s1', 'SecurityEventNotification', { type: 'StartupOfTheDevice', timestamp: at(4) }),
      await ws.call('s2', 'SecurityEventNotification', { type: 'SettingSystemTime', timestamp: at(5), techInfo: 'NTP' }),
      await ws.call('r', 'NotifyReport', {
        requestId: 3,
        generatedAt: at(6),
        seqNo: 0,
        reportData: [
          { component: { name: 'SampledDataCtrlr' }, variable: { name: 'TxUpdatedInterval' }, variableAttribute: [{ type: 'Actual', value: '60', mutability: 'ReadWrite', persistent: true }], variableCharacteristics: { dataType: 'integer', unit: 's', minLimit: 0, supportsMonitoring: false } },
          { component: { name: 'EVSE', evse: { id: 1, connectorId: 1 } }, variable: { name: 'AvailabilityState' }, variableAttribute: [{ value: 'Available', mutability: 'ReadOnly' }] },
        ],
      }),
      await ws.call('f', 'FirmwareStatusNotification', { status: 'InstallScheduled', requestId: 12 }),
      await ws.call('l', 'LogStatusNotification', { status: 'Uploading', requestId: 4 }),
    ];
    expect(replies.map((r) => r[0])).toEqual([3, 3, 3, 3, 3, 3]);
  });
  afterAll(async () => {
    ws?.ws.terminate();
    await api?.close();
    await h?.close();
  });

  it('lists the events newest first, with component, EVSE and variable, and the last firmware and log status as the station sent them', async () => {
    const res = await api.call('GET', '/v1/operator/stations/CS_API/events');
    expect(res.status).toBe(200);
    expect(res.json.events.map((e: any) => e.eventId)).toEqual([2, 1]);
    expect(res.json.events[0]).toMatchObject({
      timestamp: at(2),
      trigger: 'Alerting',
      actualValue: 'true',
      techInfo: 'overheat',
      transactionId: 'TX-9',
      eventNotificationType: 'PreconfiguredMonitor',
      component: { name: 'EVSE', instance: 'left', evse: { id: 1, connectorId: null } },
      variable: { name: 'Power', instance: 'max' },
      generatedAt: at(3),
      seqNo: 0,
    });
    expect(res.json.events[1].component).toEqual({ name: 'ChargingStation', instance: null, evse: null });
    expect(res.json.firmwareStatus).toEqual({ status: 'InstallScheduled', requestId: 12, at: expect.any(String) });
    expect(res.json.logStatus).toEqual({ status: 'Uploading', requestId: 4, at: expect.any(String) });
    expect((await api.call('GET', '/v1/operator/stations/CS_API/events?limit=1')).json.events.map((e: any) => e.eventId)).toEqual([2]);
  });

  it('lists the security events newest first', async () => {
    const res = await api.call('GET', '/v1/operator/stations/CS_API/security-events');
    expect(res.status).toBe(200);
    expect(res.json.securityEvents).toEqual([
      { type: 'SettingSystemTime', timestamp: at(5), techInfo: 'NTP', receivedAt: expect.any(String) },
      { type: 'StartupOfTheDevice', timestamp: at(4), techInfo: null, receivedAt: expect.any(String) },
    ]);
  });

  it('shows the device model, whole or one component', async () => {
    const res = await api.call('GET', '/v1/operator/stations/CS_API/device-model');
    expect(res.status).toBe(200);
    expect(res.json.variables.map((v: any) => `${v.component.name}.${v.variable.name}`)).toEqual(['EVSE.AvailabilityState', 'SampledDataCtrlr.TxUpdatedInterval']);
    const one = await api.call('GET', '/v1/operator/stations/CS_API/device-model?component=SampledDataCtrlr');
    expect(one.json.variables).toEqual([
      {
        component: { name: 'SampledDataCtrlr', instance: null, evse: null },
        variable: { name: 'TxUpdatedInterval', instance: null },
        attributes: [{ type: 'Actual', value: '60', mutability: 'ReadWrite', persistent: true }],
        characteristics: { dataType: 'integer', unit: 's', minLimit: 0, supportsMonitoring: false },
        requestId: 3,
        generatedAt: at(6),
        updatedAt: expect.any(String),
      },
    ]);
  });

  it('a station that reported nothing has empty lists; an unknown station is 404; a bad limit is 400 naming it; a driver is refused', async () => {
    expect((await api.call('GET', '/v1/operator/stations/CS_API_QUIET/events')).json).toEqual({ stationId: 'CS_API_QUIET', events: [], firmwareStatus: null, logStatus: null });
    expect((await api.call('GET', '/v1/operator/stations/CS_API_QUIET/device-model')).json).toEqual({ stationId: 'CS_API_QUIET', variables: [] });
    expect((await api.call('GET', '/v1/operator/stations/NOPE/security-events')).status).toBe(404);
    const bad = await api.call('GET', '/v1/operator/stations/CS_API/events?limit=0');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toMatch(/limit/);
    const driver = await api.createDriver('dora', ['DORA-1']);
    expect((await api.call('GET', '/v1/operator/stations/CS_API/device-model', { token: driver })).status).toBe(403);
  });
});
