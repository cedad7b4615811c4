/**
 * Smart charging on the whole stack: the API, the session and station-profile workflows (Temporal
 * test server at wall-clock pace), the real gateway and simulated chargers over real WebSockets
 * whose power follows the profiles they are given, so the energy on the receipt shows the limit.
 */
import { SimulatedChargePoint, type SimulatedChargePointOptions } from '../../src/simulator/charge-point';
import { chargerPassword, startStack, type Stack } from '../reliability/support/stack';

const SMART = ['Core', 'SmartCharging', 'RemoteTrigger'];

/** A one-period station profile declaration in W (or A). */
const declaration = (limit: number, unit: 'W' | 'A' = 'W') => ({
  chargingProfileKind: 'Absolute',
  chargingSchedule: { startSchedule: '2026-01-01T00:00:00Z', chargingRateUnit: unit, chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
});

describe('smart charging: charging profiles, station maximum and the driver limit', () => {
  let stack: Stack;
  let driver: string;

  beforeAll(async () => {
    stack = await startStack({
      name: 'smart-charging',
      stationEvents: true,
      statusTriggerDelayMs: 300,
      env: { SESSION_COMMAND_TIMEOUT_MS: '3000', GATEWAY_COMMAND_TIMEOUT_MS: '1000', LOG_LEVEL: process.env.STACK_LOG ?? 'silent' },
    });
    await stack.api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
    driver = await stack.api.createDriver('sophie', ['SOPHIE-1']);
  });
  afterAll(async () => {
    await stack?.close();
  });

  /** Registers and connects a charger, records every command it is sent, and waits until its configuration was read. */
  async function station(id: string, options: Partial<SimulatedChargePointOptions> = {}) {
    await stack.addCharger(id, options.connectors ?? 1);
    const charger = await stack.connectCharger(id, { featureProfiles: SMART, ...options });
    const sent: Array<{ action: string; params: any; response?: any }> = [];
    charger.on('call', (c) => sent.push(c));
    await stack.eventually(`${id}'s configuration read`, () => stack.db.pool.query('SELECT supported_feature_profiles FROM station_configuration WHERE station_id = $1', [id]), (r) => r.rows[0]?.supported_feature_profiles != null);
    return { charger, sent, calls: (action: string) => sent.filter((c) => c.action === action) };
  }

  const session = (id: string) => stack.api.call('GET', `/v1/sessions/${id}`, { token: driver });

  async function startSession(stationId: string, limits?: object): Promise<string> {
    const res = await stack.api.call('POST', '/v1/sessions', { token: driver, body: { stationId, connectorId: 1, ...(limits ? { limits } : {}) } });
    if (res.status !== 201) throw new Error(`start on ${stationId}: ${res.status} ${res.text}`);
    const sessionId: string = res.json.sessionId;
    await stack.eventually(`${sessionId} charging`, () => session(sessionId), (r) => r.json?.status === 'charging' && r.json.powerLimit?.status !== 'pending');
    return sessionId;
  }

  /** Charges for `seconds` at whatever the charger draws, then the driver stops: the receipt. */
  async function chargeAndStop(charger: SimulatedChargePoint, sessionId: string, seconds: number) {
    charger.advance(1, seconds);
    const res = await stack.api.call('POST', `/v1/sessions/${sessionId}/stop`, { token: driver });
    expect([200, 202]).toContain(res.status);
    return stack.receipt(sessionId, driver);
  }

  it("a station maximum (ChargePointMaxProfile) is sent on connector 0 with the CSMS's id, shown in the station view, and the car draws no more: the receipt has 7.4 kWh for an hour", async () => {
    const { charger } = await station('CP_MAX', { evMaxPowerW: 11_000 });
    const put = await stack.api.call('PUT', '/v1/operator/stations/CP_MAX/station-profiles/ChargePointMaxProfile', { body: declaration(7400) });
    expect(put.status).toBe(200);
    expect(put.json.profiles).toEqual([expect.objectContaining({ purpose: 'ChargePointMaxProfile', status: 'applied', sent: expect.objectContaining({ chargingProfileId: 1, stackLevel: 0 }) })]);
    expect(charger.chargingProfiles(0).map((p) => [p.connectorId, p.csChargingProfiles.chargingProfileId, p.csChargingProfiles.chargingProfilePurpose])).toEqual([[0, 1, 'ChargePointMaxProfile']]);
    const view = await stack.api.call('GET', '/v1/stations/CP_MAX');
    expect(view.json).toMatchObject({ electrics: { phases: 3, voltageV: 230 }, chargingProfiles: [{ purpose: 'ChargePointMaxProfile', status: 'applied' }] });

    const sessionId = await startSession('CP_MAX');
    expect(charger.power(1)).toBe(7400);
    const receipt = await chargeAndStop(charger, sessionId, 3600);
    expect(receipt.energy_kwh_exact).toBe('7.4');
  });

  it('TC_056 a default per-transaction profile (TxDefaultProfile) limits the next transaction; removing it clears it on the station', async () => {
    const { charger, calls } = await station('CP_TXDEF');
    const put = await stack.api.call('PUT', '/v1/operator/stations/CP_TXDEF/station-profiles/TxDefaultProfile', {
      body: { chargingProfileKind: 'Recurring', recurrencyKind: 'Daily', chargingSchedule: { startSchedule: '2026-01-01T00:00:00Z', duration: 86400, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 5000 }] } },
    });
    expect(put.json.profiles[0]).toMatchObject({ purpose: 'TxDefaultProfile', status: 'applied' });
    expect(calls('SetChargingProfile').at(-1)!.params).toMatchObject({
      connectorId: 0,
      csChargingProfiles: { chargingProfileId: 2, stackLevel: 0, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Recurring', recurrencyKind: 'Daily' },
    });
    const sessionId = await startSession('CP_TXDEF');
    expect(charger.power(1)).toBe(5000);
    expect((await chargeAndStop(charger, sessionId, 1800)).energy_kwh_exact).toBe('2.5');

    const removed = await stack.api.call('DELETE', '/v1/operator/stations/CP_TXDEF/station-profiles/TxDefaultProfile');
    expect(removed.status).toBe(200);
    expect(removed.json.profiles).toEqual([]);
    expect(calls('ClearChargingProfile').at(-1)!.params).toEqual({ id: 2 });
    expect(charger.chargingProfiles()).toEqual([]);
  });

  it("TC_059 the driver's maxPowerKw goes in RemoteStartTransaction as a TxProfile (driver-limit id and stack level), the live state shows it in W, the car follows it (on one phase: 3.7 kW is below 6 A on three)", async () => {
    const { charger, calls } = await station('CP_DRV');
    const sessionId = await startSession('CP_DRV', { maxPowerKw: '3.7' });
    expect(calls('RemoteStartTransaction')[0]!.params.chargingProfile).toEqual({
      chargingProfileId: 101,
      stackLevel: 1,
      chargingProfilePurpose: 'TxProfile',
      chargingProfileKind: 'Relative',
      chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 3700, numberPhases: 1 }] },
    });
    expect(calls('SetChargingProfile')).toEqual([]);
    const live = (await session(sessionId)).json;
    expect(live.limits.maxPowerKw).toBe('3.7');
    expect(live.powerLimit).toMatchObject({ requestedKw: '3.7', status: 'applied', via: 'RemoteStartTransaction', chargingRateUnit: 'W', limit: 3700, numberPhases: 1, chargingProfileId: 101 });
    expect(charger.power(1)).toBe(3700);
    expect((await chargeAndStop(charger, sessionId, 3600)).energy_kwh_exact).toBe('3.7');
  });

  it("an amps-only charger gets the driver's limit and the station maximum in A, converted with the wiring the operator set (1 phase, 230 V)", async () => {
    const { charger, calls } = await station('CP_AMPS', { phases: 1, voltageV: 230, configuration: { ChargingScheduleAllowedChargingRateUnit: 'Current' } });
    const wiring = await stack.api.call('PUT', '/v1/operator/stations/CP_AMPS/electrics', { body: { phases: 1, voltageV: 230 } });
    expect(wiring.status).toBe(200);
    expect((await stack.api.call('GET', '/v1/stations/CP_AMPS')).json.electrics).toEqual({ phases: 1, voltageV: 230 });
    const put = await stack.api.call('PUT', '/v1/operator/stations/CP_AMPS/station-profiles/ChargePointMaxProfile', { body: declaration(7360) });
    expect(put.json.profiles[0]).toMatchObject({ status: 'applied', detail: expect.stringContaining('sent in A'), sent: { chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 32 }] } } });

    const sessionId = await startSession('CP_AMPS', { maxPowerKw: '3.7' });
    // 3700 W on one phase at 230 V: 16.08 A, sent as 16.0 A (rounded down, never more than asked).
    expect(calls('RemoteStartTransaction')[0]!.params.chargingProfile.chargingSchedule).toEqual({ chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] });
    expect((await session(sessionId)).json.powerLimit).toMatchObject({ status: 'applied', chargingRateUnit: 'A', limit: 16 });
    expect(charger.power(1)).toBe(3680);
    expect((await chargeAndStop(charger, sessionId, 3600)).energy_kwh_exact).toBe('3.68');
  });

  it('TC_057 a station whose profiles were never read gets the limit by SetChargingProfile for the running transaction; one that rejects it charges without, and says so', async () => {
    const { charger, calls } = await station('CP_LATE');
    await stack.db.pool.query('UPDATE station_configuration SET supported_feature_profiles = NULL, keys = NULL WHERE station_id = $1', ['CP_LATE']);
    const first = await startSession('CP_LATE', { maxPowerKw: '4' });
    expect(calls('RemoteStartTransaction')[0]!.params.chargingProfile).toBeUndefined();
    expect(calls('SetChargingProfile')[0]!.params).toEqual({
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: 101,
        transactionId: charger.transactionId(1),
        stackLevel: 1,
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 4000, numberPhases: 1 }] },
      },
    });
    expect((await session(first)).json.powerLimit).toMatchObject({ status: 'applied', via: 'SetChargingProfile', limit: 4000 });
    expect(charger.power(1)).toBe(4000);
    expect((await chargeAndStop(charger, first, 900)).energy_kwh_exact).toBe('1');

    charger.behaviour.SetChargingProfile = 'reject';
    const second = await startSession('CP_LATE', { maxPowerKw: '4' });
    const live = (await session(second)).json;
    expect(live.powerLimit).toMatchObject({ status: 'rejected', via: 'SetChargingProfile', detail: expect.stringContaining('charging without the limit') });
    expect(live.flags).toContain('power_limit_not_applied');
    expect(charger.power(1)).toBe(11_000);
    await chargeAndStop(charger, second, 60);
  });

  it('a charger that refuses RemoteStartTransaction with the profile is started without it, then asked by SetChargingProfile; refused again, it charges without the limit and the live state says so', async () => {
    const { charger, calls } = await station('CP_STALE');
    // Its limit changed since the CSMS read it: a TxProfile at stack level 1 is now beyond it.
    charger.configuration.markReadonly('ChargeProfileMaxStackLevel', false);
    charger.configuration.change('ChargeProfileMaxStackLevel', '0');
    charger.configuration.markReadonly('ChargeProfileMaxStackLevel', true);
    const sessionId = await startSession('CP_STALE', { maxPowerKw: '7' });
    expect(calls('RemoteStartTransaction').map((c) => [Boolean(c.params.chargingProfile), c.response.status])).toEqual([
      [true, 'Rejected'],
      [false, 'Accepted'],
    ]);
    expect(calls('SetChargingProfile').map((c) => c.response.status)).toEqual(['Rejected']);
    const live = (await session(sessionId)).json;
    expect(live.status).toBe('charging');
    expect(live.powerLimit).toMatchObject({ status: 'rejected', via: 'SetChargingProfile', limit: 7000 });
    expect(live.flags).toContain('power_limit_not_applied');
    await chargeAndStop(charger, sessionId, 60);
  });

  it('a station whose profiles were never read and that turns out not to implement SmartCharging (CALLERROR NotImplemented) charges without the limit, said so', async () => {
    const { charger } = await station('CP_UNREAD', { featureProfiles: ['Core'] });
    await stack.db.pool.query('UPDATE station_configuration SET supported_feature_profiles = NULL, keys = NULL WHERE station_id = $1', ['CP_UNREAD']);
    const sessionId = await startSession('CP_UNREAD', { maxPowerKw: '7' });
    const live = (await session(sessionId)).json;
    expect(live.powerLimit).toMatchObject({ status: 'not_supported', detail: 'SetChargingProfile: NotImplemented: charging without the limit' });
    expect(live.flags).toContain('power_limit_not_applied');
    expect(charger.power(1)).toBe(11_000);
    await chargeAndStop(charger, sessionId, 60);
  });

  it('a station without SmartCharging: a start with maxPowerKw is refused 409 (nothing sent), a station profile too', async () => {
    const { calls } = await station('CP_DUMB', { featureProfiles: ['Core'] });
    const start = await stack.api.call('POST', '/v1/sessions', { token: driver, body: { stationId: 'CP_DUMB', connectorId: 1, limits: { maxPowerKw: '7' } } });
    expect(start.status).toBe(409);
    expect(start.json.error.code).toBe('feature_profile_not_supported');
    expect(calls('RemoteStartTransaction')).toEqual([]);
    const put = await stack.api.call('PUT', '/v1/operator/stations/CP_DUMB/station-profiles/ChargePointMaxProfile', { body: declaration(7400) });
    expect(put.status).toBe(409);
    expect(put.json.error.code).toBe('feature_profile_not_supported');
  });

  it('a charger that rejects the station maximum: the answer is recorded (200, status rejected) and shown in the station view', async () => {
    const { charger } = await station('CP_NO');
    charger.behaviour.SetChargingProfile = 'reject';
    const put = await stack.api.call('PUT', '/v1/operator/stations/CP_NO/station-profiles/ChargePointMaxProfile', { body: declaration(7400) });
    expect(put.status).toBe(200);
    expect(put.json.profiles[0]).toMatchObject({ status: 'rejected', detail: 'SetChargingProfile: Rejected' });
    expect((await stack.api.call('GET', '/v1/stations/CP_NO')).json.chargingProfiles).toEqual([{ purpose: 'ChargePointMaxProfile', status: 'rejected', detail: 'SetChargingProfile: Rejected' }]);
  });

  it('a charger that loses its profiles on reboot gets the station maximum again after booting', async () => {
    const { charger, calls } = await station('CP_BOOT', { smartCharging: { keepProfilesOnReboot: false } });
    await stack.api.call('PUT', '/v1/operator/stations/CP_BOOT/station-profiles/ChargePointMaxProfile', { body: declaration(7400) });
    expect(charger.chargingProfiles(0)).toHaveLength(1);
    const sentBefore = calls('SetChargingProfile').length;
    await charger.reboot();
    await stack.eventually('the station maximum back on CP_BOOT', async () => charger.chargingProfiles(0).map((p) => p.csChargingProfiles.chargingProfileId), (ids) => ids.includes(1));
    expect(calls('SetChargingProfile').length).toBe(sentBefore + 1);
    const row = await stack.eventually('the re-send recorded', () => stack.db.pool.query('SELECT status, workflow_id FROM station_charging_profiles WHERE station_id = $1', ['CP_BOOT']), (r) => r.rows[0]?.status === 'applied');
    expect(row.rows[0].workflow_id).toBe('station-profiles_CP_BOOT');
  });

  it('a station maximum declared while the station is offline is recorded unreachable and sent when the station connects', async () => {
    await stack.addCharger('CP_LATER');
    const put = await stack.api.call('PUT', '/v1/operator/stations/CP_LATER/station-profiles/ChargePointMaxProfile', { body: declaration(11000) });
    expect(put.status).toBe(200);
    expect(put.json.profiles[0]).toMatchObject({ status: 'unreachable', sent: expect.objectContaining({ chargingProfileId: 1 }) });
    const charger = await stack.connectCharger('CP_LATER', { featureProfiles: SMART });
    await stack.eventually('the station maximum on CP_LATER', async () => charger.chargingProfiles(0).length, (n) => n === 1);
    await stack.eventually('recorded applied', () => stack.api.call('GET', '/v1/operator/stations/CP_LATER/station-profiles'), (r) => r.json.profiles[0]?.status === 'applied');
  });

  it('a charger that reconnects without booting, having lost the station maximum, gets it again', async () => {
    const { charger } = await station('CP_RECONNECT');
    await stack.api.call('PUT', '/v1/operator/stations/CP_RECONNECT/station-profiles/ChargePointMaxProfile', { body: declaration(7400) });
    // The charger forgets it (as a charger with volatile profiles does), then its connection drops and comes back.
    await stack.api.call('POST', '/v1/operator/stations/CP_RECONNECT/charging-profiles/clear', { body: {} });
    expect(charger.chargingProfiles()).toEqual([]);
    charger.dropConnection();
    await stack.eventually('CP_RECONNECT offline', () => stack.api.call('GET', '/v1/stations/CP_RECONNECT'), (r) => r.json.online === false);
    await charger.reconnect();
    await stack.eventually('the station maximum back on CP_RECONNECT', async () => charger.chargingProfiles(0).length, (n) => n === 1);
  });

  it('TC_066 the composite schedule is readable through the API in its unit, each period also in W', async () => {
    await station('CP_COMP', { phases: 3 });
    await stack.api.call('PUT', '/v1/operator/stations/CP_COMP/station-profiles/ChargePointMaxProfile', { body: declaration(16, 'A') });
    const w = await stack.api.call('GET', '/v1/operator/stations/CP_COMP/composite-schedule?connectorId=1&duration=600&chargingRateUnit=W');
    expect(w.status).toBe(200);
    expect(w.json).toMatchObject({ stationId: 'CP_COMP', status: 'Accepted', connectorId: 1, chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 11040, powerW: 11040 }] } });
    const a = await stack.api.call('GET', '/v1/operator/stations/CP_COMP/composite-schedule?connectorId=1&duration=600&chargingRateUnit=A');
    expect(a.json.chargingSchedule).toMatchObject({ chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16, powerW: 11040 }] });

    await station('CP_COMP_A', { configuration: { ChargingScheduleAllowedChargingRateUnit: 'Current' } });
    const refused = await stack.api.call('GET', '/v1/operator/stations/CP_COMP_A/composite-schedule?connectorId=1&chargingRateUnit=W');
    expect(refused.status).toBe(400);
    expect(refused.json.error.details[0].field).toBe('query.chargingRateUnit');
  });

  it("TC_057 an operator's TxProfile for the running transaction is Accepted and the car follows it; one naming another transaction is refused before sending", async () => {
    const { charger } = await station('CP_OPTX');
    const sessionId = await startSession('CP_OPTX');
    const transactionId = charger.transactionId(1)!;
    const txProfile = (forTransaction: number) => ({
      connectorId: 1,
      csChargingProfiles: {
        chargingProfileId: 30,
        transactionId: forTransaction,
        stackLevel: 3,
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] },
      },
    });
    const other = await stack.api.call('POST', '/v1/operator/stations/CP_OPTX/charging-profiles', { body: txProfile(transactionId + 1000) });
    expect(other.status).toBe(400);
    expect(other.json.error.details.map((d: any) => d.field)).toEqual(['body.csChargingProfiles.transactionId']);
    const res = await stack.api.call('POST', '/v1/operator/stations/CP_OPTX/charging-profiles', { body: txProfile(transactionId) });
    expect(res.json).toEqual({ stationId: 'CP_OPTX', chargingProfileId: 30, status: 'Accepted' });
    expect(charger.power(1)).toBe(6900); // 10 A × 3 phases × 230 V
    await chargeAndStop(charger, sessionId, 60);
  });

  it('MaxChargingProfilesInstalled counts the profiles the CSMS knows are installed: a new one beyond it is refused before sending', async () => {
    const { calls } = await station('CP_FULL', { configuration: { MaxChargingProfilesInstalled: '1' } });
    expect((await stack.api.call('PUT', '/v1/operator/stations/CP_FULL/station-profiles/ChargePointMaxProfile', { body: declaration(7400) })).json.profiles[0].status).toBe('applied');
    const body = { connectorId: 0, csChargingProfiles: { chargingProfileId: 20, stackLevel: 3, chargingProfilePurpose: 'TxDefaultProfile', chargingProfileKind: 'Relative', chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 5000 }] } } };
    const refused = await stack.api.call('POST', '/v1/operator/stations/CP_FULL/charging-profiles', { body });
    expect(refused.status).toBe(400);
    expect(refused.json.error.details).toEqual([{ field: 'body.csChargingProfiles.chargingProfileId', problem: 'the station holds at most 1 profiles (MaxChargingProfilesInstalled) and has 1 installed' }]);
    // The station maximum itself may be declared again: it replaces what is installed.
    expect((await stack.api.call('PUT', '/v1/operator/stations/CP_FULL/station-profiles/ChargePointMaxProfile', { body: declaration(7000) })).json.profiles[0].status).toBe('applied');
    expect(calls('SetChargingProfile')).toHaveLength(2);
  });

  it('TC_067 operators set profiles and clear them by id, by criteria and all at once; the answers are data', async () => {
    const { charger, calls } = await station('CP_OPS', { configuration: { ChargeProfileMaxStackLevel: '5' } });
    const setProfile = (connectorId: number, p: object) => stack.api.call('POST', '/v1/operator/stations/CP_OPS/charging-profiles', { body: { connectorId, csChargingProfiles: p } });
    const relative = (id: number, purpose: string, stackLevel: number, limit: number) => ({
      chargingProfileId: id,
      stackLevel,
      chargingProfilePurpose: purpose,
      chargingProfileKind: 'Relative',
      chargingSchedule: { chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit }] },
    });
    expect((await setProfile(0, relative(10, 'ChargePointMaxProfile', 1, 20000))).json).toEqual({ stationId: 'CP_OPS', chargingProfileId: 10, status: 'Accepted' });
    expect((await setProfile(0, relative(11, 'TxDefaultProfile', 3, 10000))).json.status).toBe('Accepted');
    expect((await setProfile(1, relative(12, 'TxDefaultProfile', 4, 8000))).json.status).toBe('Accepted');
    expect(charger.chargingProfiles().map((p) => p.csChargingProfiles.chargingProfileId).sort()).toEqual([10, 11, 12]);

    const clear = (body: object) => stack.api.call('POST', '/v1/operator/stations/CP_OPS/charging-profiles/clear', { body });
    expect((await clear({ id: 10 })).json).toEqual({ stationId: 'CP_OPS', status: 'Accepted' });
    expect((await clear({ connectorId: 1, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 4 })).json.status).toBe('Accepted');
    expect((await clear({})).json.status).toBe('Accepted');
    expect(charger.chargingProfiles()).toEqual([]);
    expect((await clear({ id: 10 })).json.status).toBe('Unknown');
    expect(calls('ClearChargingProfile').map((c) => c.params)).toEqual([{ id: 10 }, { connectorId: 1, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 4 }, {}, { id: 10 }]);

    // Checked before sending, each problem named by its field; nothing reaches the charger.
    const before = calls('SetChargingProfile').length;
    const noTransaction = await setProfile(1, relative(13, 'TxProfile', 3, 5000));
    expect(noTransaction.status).toBe(400);
    expect(noTransaction.json.error.details.map((d: any) => d.field)).toEqual(['body.connectorId']);
    const tooHigh = await setProfile(0, relative(14, 'TxDefaultProfile', 6, 5000));
    expect(tooHigh.json.error.details).toEqual([{ field: 'body.csChargingProfiles.stackLevel', problem: "must be at most 5, the station's ChargeProfileMaxStackLevel" }]);
    const owned = await setProfile(0, relative(1, 'TxDefaultProfile', 3, 5000));
    expect(owned.json.error.details[0].field).toBe('body.csChargingProfiles.chargingProfileId');
    expect(calls('SetChargingProfile').length).toBe(before);

    charger.behaviour.SetChargingProfile = 'not_supported';
    expect((await setProfile(0, relative(15, 'TxDefaultProfile', 3, 5000))).json.status).toBe('NotSupported');
  });
});
