/**
 * A driver's limits on an OCPP 2.0.1 station, on the whole stack with the 2.0.1 simulator: the
 * power limit goes out as a TxProfile inside RequestStartTransaction (2.0.1's form: a schedule
 * array, the profile's id) and the car follows it; an energy limit stops the session with
 * RequestStopTransaction. The session workflow is the one 1.6 uses.
 */
import { SimulatedChargingStation201 } from '../../../src/simulator/v201/charging-station';
import { chargerPassword, startStack, type Stack } from '../../reliability/support/stack';

describe('session limits on an OCPP 2.0.1 station', () => {
  let stack: Stack;
  let driver: string;
  const stations: SimulatedChargingStation201[] = [];

  beforeAll(async () => {
    stack = await startStack({ name: 'v201-limits', stationEvents: true, env: { SESSION_COMMAND_TIMEOUT_MS: '3000' } });
    await stack.api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
    driver = await stack.api.createDriver('lena', ['LENA0001']);
  });
  afterAll(async () => {
    for (const s of stations) await s.close().catch(() => undefined);
    await stack?.close();
  });

  /** A 2.0.1 station whose configuration (SmartChargingCtrlr → SmartCharging) the reconciliation has read. */
  async function station(stationId: string): Promise<SimulatedChargingStation201> {
    await stack.addCharger(stationId);
    const s = new SimulatedChargingStation201({ url: stack.gateway.url, stationId, password: chargerPassword, meterStartWh: 10_000, plugDelayMs: 50, callTimeoutMs: 10_000 });
    stations.push(s);
    expect((await s.connect()).status).toBe('Accepted');
    const read = await stack.eventually(
      `${stationId}'s configuration read`,
      () => stack.db.pool.query('SELECT supported_feature_profiles FROM station_configuration WHERE station_id = $1', [stationId]),
      (r) => r.rows[0]?.supported_feature_profiles != null,
    );
    expect(read.rows[0].supported_feature_profiles).toContain('SmartCharging');
    return s;
  }

  const session = async (id: string) => (await stack.api.call('GET', `/v1/sessions/${id}`, { token: driver })).json;

  it("sends the driver's maxPowerKw as a TxProfile in RequestStartTransaction, the car follows it, and maxEnergyKwh stops the session by RequestStopTransaction", async () => {
    const s = await station('CS201_LIMITS');
    const res = await stack.api.call('POST', '/v1/sessions', { token: driver, body: { stationId: 'CS201_LIMITS', connectorId: 1, limits: { maxPowerKw: '3.7', maxEnergyKwh: '1' } } });
    expect(res.status).toBe(201);
    const sessionId: string = res.json.sessionId;
    await stack.eventually('charging with the limit applied', () => session(sessionId), (v) => v.status === 'charging' && v.powerLimit?.status !== 'pending');

    const start = s.received.find((r) => r.action === 'RequestStartTransaction')!.payload as { chargingProfile?: unknown };
    expect(start.chargingProfile).toEqual({
      id: 101,
      stackLevel: 1,
      chargingProfilePurpose: 'TxProfile',
      chargingProfileKind: 'Relative',
      chargingSchedule: [{ id: 101, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 3700, numberPhases: 1 }] }],
    });
    expect(s.received.filter((r) => r.action === 'SetChargingProfile')).toEqual([]);
    expect((await session(sessionId)).powerLimit).toMatchObject({ requestedKw: '3.7', status: 'applied', via: 'RemoteStartTransaction', chargingRateUnit: 'W', limit: 3700 });
    expect(s.power(1)).toBe(3700);

    // 3.7 kW for 20 minutes is 1.2333 kWh: past the 1 kWh limit, so the session stops the charger itself.
    s.advance(1, 20 * 60);
    await s.sendMeterValues(1);
    const receipt = await stack.receipt(sessionId, driver);
    expect(receipt).toMatchObject({ status: 'completed', meter_start: 10_000, meter_stop: 11_233 });
    expect(s.received.filter((r) => r.action === 'RequestStopTransaction').map((r) => r.payload)).toEqual([{ transactionId: expect.any(String) }]);
    expect((await session(sessionId)).stopReason).toMatch(/energy/i);
  });
});
