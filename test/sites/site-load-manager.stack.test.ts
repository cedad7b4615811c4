/**
 * Site load management on the whole stack: the API declares the site, sessions start through
 * the API, the session workflows tell the site's workflow, which sends SetChargingProfile through
 * the real gateway to simulated chargers over real WebSockets (Smart Charging profile); the
 * chargers' power follows the composite of their profiles, so the energy on the receipts follows
 * the allocations.
 */
import type { SimulatedChargePoint } from '../../src/simulator/charge-point';
import { startStack, type Stack } from '../reliability/support/stack';

const smartCharger = {
  featureProfiles: ['Core', 'SmartCharging'],
  evMaxPowerW: 22_080,
  configuration: { MeterValuesSampledData: 'Energy.Active.Import.Register,Power.Active.Import' },
};

describe('site load management with simulated chargers', () => {
  let stack: Stack;
  let driver: string;

  beforeAll(async () => {
    stack = await startStack({ name: 'site-load', env: { LOG_LEVEL: process.env.STACK_LOG ?? 'silent', SITE_POLL_INTERVAL_MS: '1000' } });
    await stack.api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
    driver = await stack.api.createDriver('sita', ['SITA-1', 'SITA-2', 'SITA-3', 'SITA-4', 'SITA-5', 'SITA-6']);
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function site(id: string, limitKw: string, chargers: string[], behaviour: Record<string, SimulatedChargePoint['behaviour']> = {}): Promise<SimulatedChargePoint[]> {
    expect((await stack.api.call('POST', '/v1/operator/sites', { body: { id, name: id, limitKw } })).status).toBe(201);
    const cps: SimulatedChargePoint[] = [];
    for (const cp of chargers) {
      await stack.addCharger(cp);
      expect((await stack.api.call('PUT', `/v1/operator/sites/${id}/stations/${cp}`, { body: {} })).status).toBe(200);
      const charger = await stack.connectCharger(cp, smartCharger);
      Object.assign(charger.behaviour, behaviour[cp] ?? {});
      cps.push(charger);
    }
    return cps;
  }

  async function startCharging(cp: SimulatedChargePoint, idTag: string): Promise<string> {
    const res = await stack.api.call('POST', '/v1/sessions', { token: driver, body: { stationId: cp.chargePointId, connectorId: 1, idTag } });
    expect(res.status).toBe(201);
    const sessionId: string = res.json.sessionId;
    await stack.eventually(`${sessionId} charging`, () => stack.api.call('GET', `/v1/sessions/${sessionId}`, { token: driver }), (r) => r.json?.status === 'charging');
    return sessionId;
  }

  const allocation = async (siteId: string) => (await stack.api.call('GET', `/v1/operator/sites/${siteId}/allocation`)).json;
  const offered = (cps: SimulatedChargePoint[]) => cps.map((cp) => cp.offeredLimitW(1) ?? Infinity);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

  it('three chargers on a 22 kW site share it; one stops and the others rise; the energy on the receipts follows the allocations', async () => {
    const cps = await site('e2e-share', '22', ['CP_SH_A', 'CP_SH_B', 'CP_SH_C']);
    const sessions: string[] = [];
    for (const [i, cp] of cps.entries()) sessions.push(await startCharging(cp, `SITA-${i + 1}`));
    // The site's TxProfiles are in force on the chargers: amps (the stations' units were never read), rounded down.
    await stack.eventually('three shares in force', async () => offered(cps), (w) => w.every((x) => x > 7_000 && x <= 7_334) && sum(w) <= 22_000);
    for (const cp of cps) expect(cp.power(1)).toBe(cp.offeredLimitW(1));
    const [share] = offered(cps);
    expect(cps[0].chargingProfiles(1)).toEqual([expect.objectContaining({ chargingProfileId: 201, stackLevel: 2, chargingProfilePurpose: 'TxProfile' })]);
    const view = await allocation('e2e-share');
    expect(view.sessions.map((s: any) => s.state)).toEqual(['charging', 'charging', 'charging']);
    expect(view.withinLimit).toBe(true);

    // Half an hour at the share on A.
    cps[0].advance(1, 1_800);
    await cps[0].sendMeterValues(1);

    const stopped = await stack.api.call('POST', `/v1/sessions/${sessions[2]}/stop`, { token: driver });
    expect(stopped.status).toBe(200);
    await stack.eventually('the two left at 11 kW', async () => offered(cps.slice(0, 2)), (w) => w.every((x) => x > 10_900 && x <= 11_000));
    const raised = cps[0].offeredLimitW(1)!;
    // Half an hour at the raised allocation.
    cps[0].advance(1, 1_800);
    await cps[0].sendMeterValues(1);
    await stack.api.call('POST', `/v1/sessions/${sessions[0]}/stop`, { token: driver });
    const receipt = await stack.receipt(sessions[0], driver);
    const expectedKwh = (share * 0.5 + raised * 0.5) / 1000;
    expect(Math.abs(Number(receipt.energy_kwh_exact) - expectedKwh)).toBeLessThan(0.01);
    await stack.api.call('POST', `/v1/sessions/${sessions[1]}/stop`, { token: driver });
  });

  it('a charger that rejects profiles is counted at its maximum and flagged; the others share what is left', async () => {
    const cps = await site('e2e-reject', '33', ['CP_RJ_A', 'CP_RJ_B'], { CP_RJ_A: { SetChargingProfile: 'reject' } });
    await startCharging(cps[0], 'SITA-4');
    await startCharging(cps[1], 'SITA-5');
    const view = await stack.eventually('A failed, B reduced', () => allocation('e2e-reject'), (v) => v.sessions?.length === 2 && v.sessions[0].state === 'failed' && v.sessions[1].state === 'charging');
    expect(view.sessions[0]).toMatchObject({ stationId: 'CP_RJ_A', countedW: 22_080, flags: ['profile_rejected'] });
    // 33 kW less A's 22,080 W leaves 10,920 W for B, in amps rounded down.
    expect(cps[1].offeredLimitW(1)).toBeLessThanOrEqual(10_920);
    expect(cps[1].offeredLimitW(1)).toBeGreaterThan(10_800);
    expect(cps[0].offeredLimitW(1)).toBeUndefined();
  });
});
