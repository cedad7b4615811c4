/**
 * The 2.0.1 simulator (written independently, from the spec) against the gateway: its boot and
 * StatusNotification per EVSE, Authorize, a fault reported both ways (StatusNotification and a
 * Connector AvailabilityState NotifyEvent), a security event, and its password under the 2.0.1 rule.
 */
import { SimulatedChargingStation201 } from '../../../src/simulator/v201/charging-station';
import { createGatewayHarness, eventually, PASSWORD, type GatewayHarness } from '../support/gateway-harness';

describe('the OCPP 2.0.1 simulator on the gateway', () => {
  let h: GatewayHarness;
  const stations: SimulatedChargingStation201[] = [];

  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.start();
    await h.addIdTag('SIM-CARD', { parentIdTag: 'SIM-GROUP' });
  });
  afterAll(async () => {
    for (const s of stations) await s.close().catch(() => undefined);
    await h.close();
  });

  function simulator(stationId: string, options: Partial<ConstructorParameters<typeof SimulatedChargingStation201>[0]> = {}): SimulatedChargingStation201 {
    const s = new SimulatedChargingStation201({ url: h.gateway.url, stationId, password: PASSWORD, callTimeoutMs: 3000, ...options });
    stations.push(s);
    return s;
  }
  const connectors = async (stationId: string) =>
    (await h.db.pool.query('SELECT connector_id, status, error_code FROM connectors WHERE station_id = $1 ORDER BY connector_id', [stationId])).rows;

  it('TC_B_01_CSMS / TC_A_01_CSMS: boots Accepted and its StatusNotification per EVSE lands on connectors 1 and 2', async () => {
    await h.addCharger('SIM201_BOOT');
    const s = simulator('SIM201_BOOT', { evses: 2 });
    expect(await s.connect()).toEqual({ status: 'Accepted' });
    const rows = await eventually(() => connectors('SIM201_BOOT'), (r) => r.length === 2);
    expect(rows).toEqual([
      { connector_id: 1, status: 'Available', error_code: 'NoError' },
      { connector_id: 2, status: 'Available', error_code: 'NoError' },
    ]);
    const station = (await h.db.pool.query('SELECT ocpp_version, boot_reason FROM chargers WHERE id = $1', ['SIM201_BOOT'])).rows[0];
    expect(station).toEqual({ ocpp_version: '2.0.1', boot_reason: 'PowerUp' });
  });

  it('Authorize: a registered card is Accepted with its group, an unknown one Unknown', async () => {
    await h.addCharger('SIM201_AUTH');
    const s = simulator('SIM201_AUTH');
    await s.connect();
    expect(await s.authorize({ idToken: 'sim-card', type: 'ISO14443' })).toEqual({ idTokenInfo: { status: 'Accepted', groupIdToken: { idToken: 'SIM-GROUP', type: 'Central' } } });
    expect(await s.authorize({ idToken: 'NOBODY', type: 'ISO14443' })).toEqual({ idTokenInfo: { status: 'Unknown' } });
  });

  it('a fault is Faulted on the connector and its event is stored; clearing it makes the connector Available again', async () => {
    await h.addCharger('SIM201_FAULT');
    const s = simulator('SIM201_FAULT', { evses: 2 });
    await s.connect();
    await s.fault(2);
    expect((await connectors('SIM201_FAULT')).find((c) => c.connector_id === 2)).toEqual({ connector_id: 2, status: 'Faulted', error_code: 'OtherError' });
    const events = await h.db.pool.query(`SELECT component_name, evse_id, variable_name, actual_value, tech_code FROM station_events WHERE station_id = 'SIM201_FAULT'`);
    expect(events.rows).toEqual([{ component_name: 'Connector', evse_id: 2, variable_name: 'AvailabilityState', actual_value: 'Faulted', tech_code: 'SimulatedFault' }]);
    await s.clearFault(2);
    expect((await connectors('SIM201_FAULT')).find((c) => c.connector_id === 2)).toEqual({ connector_id: 2, status: 'Available', error_code: 'NoError' });
    await s.securityEvent('TamperDetectionActivated', 'lid opened');
    const security = await h.db.pool.query(`SELECT type, tech_info FROM station_security_events WHERE station_id = 'SIM201_FAULT'`);
    expect(security.rows).toEqual([{ type: 'TamperDetectionActivated', tech_info: 'lid opened' }]);
  });

  it('its full device model (what it reports to GetBaseReport FullInventory) is stored one row per variable, limits and valuesList kept', async () => {
    await h.addCharger('SIM201_REPORT');
    const s = simulator('SIM201_REPORT', { evses: 2 });
    await s.connect();
    const reportData = s.deviceModel.report('FullInventory') as Array<{ component: { name: string; instance?: string; evse?: { id: number; connectorId?: number } }; variable: { name: string; instance?: string } }>;
    expect(await s.call('NotifyReport', { requestId: 1, generatedAt: new Date().toISOString(), seqNo: 0, tbc: false, reportData })).toEqual({});
    const key = (r: (typeof reportData)[number]) => JSON.stringify([r.component.name, r.component.instance, r.component.evse?.id, r.component.evse?.connectorId, r.variable.name, r.variable.instance]);
    const stored = await h.db.pool.query(`SELECT count(*)::int AS n FROM station_device_model WHERE station_id = 'SIM201_REPORT'`);
    expect(stored.rows[0].n).toBe(new Set(reportData.map(key)).size);
    const measurands = await h.db.pool.query(
      `SELECT attributes, characteristics FROM station_device_model WHERE station_id = 'SIM201_REPORT' AND component_name = 'SampledDataCtrlr' AND variable_name = 'TxUpdatedMeasurands'`,
    );
    expect(measurands.rows[0].characteristics).toMatchObject({ dataType: 'MemberList', valuesList: expect.stringContaining('Energy.Active.Import.Register') });
    expect(measurands.rows[0].attributes[0].value).toEqual(s.variable('SampledDataCtrlr.TxUpdatedMeasurands'));
  });

  it('a simulator whose password is shorter than 16 characters is refused at the handshake', async () => {
    await h.addCharger('SIM201_SHORT', 'only-15-chars!!');
    const s = simulator('SIM201_SHORT', { password: 'only-15-chars!!' });
    await expect(s.connect()).rejects.toThrow();
  });
});
