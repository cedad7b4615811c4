import type { ChargingProfile } from '../../src/ocpp/ocpp16-messages';
import type { SimulatedChargePointOptions } from '../../src/simulator/charge-point';
import { sleep, useSimulatorHarness } from './support/harness';
import { profile } from './support/charging-profile';

const h = useSimulatorHarness('SC');
const SMART = ['Core', 'SmartCharging', 'RemoteTrigger'];

/** A charger declaring Smart Charging, connected. */
const smart = (options: Partial<SimulatedChargePointOptions> = {}) => h.connected({ featureProfiles: SMART, ...options });


const txProfile = (fields: Parameters<typeof profile>[0] = {}) => profile({ chargingProfileId: 10, chargingProfilePurpose: 'TxProfile', ...fields });
const set = (id: string, connectorId: number, p: ChargingProfile) => h.csms.command(id, 'SetChargingProfile', { connectorId, csChargingProfiles: p });
const clear = (id: string, params: object) => h.csms.command(id, 'ClearChargingProfile', params);
const composite = (id: string, params: object) => h.csms.command(id, 'GetCompositeSchedule', params);
const ids = (cp: { chargingProfiles(c?: number): { chargingProfileId: number }[] }, c?: number) => cp.chargingProfiles(c).map((p) => p.chargingProfileId);

describe('installing and clearing profiles (§5.16, §5.5)', () => {
  test('a charger without the Smart Charging profile answers its commands NotImplemented', async () => {
    const cp = await h.connected();
    await expect(set(cp.chargePointId, 0, profile())).rejects.toMatchObject({ rpcErrorCode: 'NotImplemented' });
    await expect(clear(cp.chargePointId, {})).rejects.toMatchObject({ rpcErrorCode: 'NotImplemented' });
    await expect(composite(cp.chargePointId, { connectorId: 1, duration: 60 })).rejects.toMatchObject({ rpcErrorCode: 'NotImplemented' });
  });

  test('a TxDefaultProfile is installed; the same id, or the same purpose and stack level on the connector, replaces it', async () => {
    const cp = await smart({ connectors: 2 });
    await expect(set(cp.chargePointId, 0, profile({ chargingProfileId: 1, stackLevel: 0 }))).resolves.toEqual({ status: 'Accepted' });
    await expect(set(cp.chargePointId, 0, profile({ chargingProfileId: 2, stackLevel: 1 }))).resolves.toEqual({ status: 'Accepted' });
    await expect(set(cp.chargePointId, 1, profile({ chargingProfileId: 3, stackLevel: 1 }))).resolves.toEqual({ status: 'Accepted' });
    expect(ids(cp)).toEqual([1, 2, 3]);
    // same id (moved to connector 2 and another stack level)
    await set(cp.chargePointId, 2, profile({ chargingProfileId: 1, stackLevel: 4, periods: [[0, 10]] }));
    // same purpose and stack level on connector 0
    await set(cp.chargePointId, 0, profile({ chargingProfileId: 7, stackLevel: 1 }));
    expect(cp.chargingProfiles().map((p) => [p.connectorId, p.chargingProfileId, p.stackLevel])).toEqual([
      [1, 3, 1],
      [2, 1, 4],
      [0, 7, 1],
    ]);
    expect(cp.chargingProfiles(2)[0]).toMatchObject({ connectorId: 2, csChargingProfiles: { chargingProfileId: 1, chargingSchedule: { chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] } } });
  });

  test.each([
    ['a TxProfile on a connector without a transaction (TC_058_1_CS)', 1, txProfile()],
    ['a TxProfile on connector 0', 0, txProfile()],
    ['a ChargePointMaxProfile on a connector other than 0', 1, profile({ chargingProfilePurpose: 'ChargePointMaxProfile' })],
    ['a stack level above ChargeProfileMaxStackLevel (8)', 0, profile({ stackLevel: 9 })],
    ['more periods than ChargingScheduleMaxPeriods (24)', 0, profile({ periods: Array.from({ length: 25 }, (_, i) => [i * 60, 16] as [number, number]) })],
    ['periods out of order', 0, profile({ periods: [[0, 16], [600, 10], [300, 8]] })],
    ['a Recurring profile without recurrencyKind', 0, profile({ chargingProfileKind: 'Recurring', startSchedule: '2026-12-02T00:00:00Z' })],
    ['an unknown connector', 5, profile()],
    ['a TxDefaultProfile naming a transaction (§7.8: transactionId only for a TxProfile)', 0, profile({ transactionId: 1000 })],
  ])('%s is Rejected and nothing is installed', async (_name, connectorId, p) => {
    const cp = await smart();
    await expect(set(cp.chargePointId, connectorId, p)).resolves.toEqual({ status: 'Rejected' });
    expect(cp.chargingProfiles()).toEqual([]);
  });

  test('MaxChargingProfilesInstalled bounds the installed profiles, a replacement still fits', async () => {
    const cp = await smart({ configuration: { MaxChargingProfilesInstalled: '2' } });
    await set(cp.chargePointId, 0, profile({ chargingProfileId: 1, stackLevel: 0 }));
    await set(cp.chargePointId, 0, profile({ chargingProfileId: 2, stackLevel: 1 }));
    await expect(set(cp.chargePointId, 0, profile({ chargingProfileId: 3, stackLevel: 2 }))).resolves.toEqual({ status: 'Rejected' });
    await expect(set(cp.chargePointId, 0, profile({ chargingProfileId: 2, stackLevel: 2 }))).resolves.toEqual({ status: 'Accepted' });
    expect(ids(cp)).toEqual([1, 2]);
  });

  test('a TxProfile for another transaction than the running one is Rejected; for the running one Accepted (TC_057)', async () => {
    const cp = await smart();
    const { transactionId } = await cp.startTransaction(1, 'TAG');
    await expect(set(cp.chargePointId, 1, txProfile({ transactionId: transactionId + 1 }))).resolves.toEqual({ status: 'Rejected' });
    await expect(set(cp.chargePointId, 1, txProfile({ transactionId }))).resolves.toEqual({ status: 'Accepted' });
    // Without a transactionId it is for the running transaction, and is stored naming it.
    await expect(set(cp.chargePointId, 1, txProfile({ chargingProfileId: 11, stackLevel: 1 }))).resolves.toEqual({ status: 'Accepted' });
    expect(cp.chargingProfiles(1).map((p) => [p.chargingProfileId, p.transactionId])).toEqual([
      [10, transactionId],
      [11, transactionId],
    ]);
  });

  test('an amps-only charger rejects a profile in W and reports its composite in A', async () => {
    const cp = await smart({ configuration: { ChargingScheduleAllowedChargingRateUnit: 'Current' } });
    expect(cp.configuration.get('ChargingScheduleAllowedChargingRateUnit')).toBe('Current');
    await expect(set(cp.chargePointId, 0, profile({ unit: 'W', periods: [[0, 7000]] }))).resolves.toEqual({ status: 'Rejected' });
    await expect(set(cp.chargePointId, 0, profile({ unit: 'A', periods: [[0, 10]] }))).resolves.toEqual({ status: 'Accepted' });
    const answer = await composite(cp.chargePointId, { connectorId: 1, duration: 60 });
    expect(answer.chargingSchedule).toMatchObject({ chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10 }] });
  });

  test('behaviours: reject answers Rejected / Unknown, not_supported answers NotSupported', async () => {
    const cp = await smart();
    cp.behaviour.SetChargingProfile = 'reject';
    await expect(set(cp.chargePointId, 0, profile())).resolves.toEqual({ status: 'Rejected' });
    cp.behaviour.SetChargingProfile = 'not_supported';
    await expect(set(cp.chargePointId, 0, profile())).resolves.toEqual({ status: 'NotSupported' });
    expect(cp.chargingProfiles()).toEqual([]);
    cp.behaviour.ClearChargingProfile = 'reject';
    await expect(clear(cp.chargePointId, {})).resolves.toEqual({ status: 'Unknown' });
    cp.behaviour.GetCompositeSchedule = 'reject';
    await expect(composite(cp.chargePointId, { connectorId: 1, duration: 60 })).resolves.toEqual({ status: 'Rejected' });
  });

  test('behaviours: callerror answers a CALLERROR, ignore never answers; neither installs anything', async () => {
    const cp = await smart();
    cp.behaviour.SetChargingProfile = 'callerror';
    await expect(set(cp.chargePointId, 0, profile())).rejects.toMatchObject({ rpcErrorCode: 'InternalError' });
    cp.behaviour.SetChargingProfile = 'ignore';
    await expect(h.csms.command(cp.chargePointId, 'SetChargingProfile', { connectorId: 0, csChargingProfiles: profile() }, { callTimeoutMs: 300 })).rejects.toThrow();
    expect(cp.chargingProfiles()).toEqual([]);
  });

  test('ClearChargingProfile by id, by criteria and all at once; Unknown when nothing matches', async () => {
    const cp = await smart({ connectors: 2 });
    await set(cp.chargePointId, 0, profile({ chargingProfileId: 1, stackLevel: 0 }));
    await set(cp.chargePointId, 0, profile({ chargingProfileId: 2, stackLevel: 1 }));
    await set(cp.chargePointId, 1, profile({ chargingProfileId: 3, stackLevel: 1 }));
    await set(cp.chargePointId, 0, profile({ chargingProfileId: 4, chargingProfilePurpose: 'ChargePointMaxProfile', unit: 'W', periods: [[0, 20000]] }));
    await expect(clear(cp.chargePointId, { id: 1 })).resolves.toEqual({ status: 'Accepted' });
    await expect(clear(cp.chargePointId, { id: 1 })).resolves.toEqual({ status: 'Unknown' });
    await expect(clear(cp.chargePointId, { chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 1, connectorId: 1 })).resolves.toEqual({ status: 'Accepted' });
    expect(ids(cp)).toEqual([2, 4]);
    await expect(clear(cp.chargePointId, { chargingProfilePurpose: 'TxProfile' })).resolves.toEqual({ status: 'Unknown' });
    await expect(clear(cp.chargePointId, {})).resolves.toEqual({ status: 'Accepted' });
    expect(cp.chargingProfiles()).toEqual([]);
  });

  test('every command emits a call event with its response', async () => {
    const cp = await smart();
    const seen = cp.waitFor('call', (c) => c.action === 'SetChargingProfile');
    await set(cp.chargePointId, 0, profile());
    await expect(seen).resolves.toMatchObject({ action: 'SetChargingProfile', params: { connectorId: 0 }, response: { status: 'Accepted' } });
  });
});

describe('RemoteStartTransaction with a chargingProfile (§5.11)', () => {
  test('its TxProfile applies to the transaction it starts, carries the transaction id, and ends with it', async () => {
    const cp = await smart();
    const started = cp.waitFor('transactionStarted');
    await expect(
      h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { connectorId: 1, idTag: 'TAG', chargingProfile: txProfile({ chargingProfileId: 5, periods: [[0, 10]] }) }),
    ).resolves.toEqual({ status: 'Accepted' });
    const { transactionId } = await started;
    expect(cp.chargingProfiles(1)).toMatchObject([{ chargingProfileId: 5, transactionId, chargingProfilePurpose: 'TxProfile' }]);
    expect(cp.offeredLimitW(1)).toBe(6900);
    expect(cp.power(1)).toBe(6900);
    await cp.stopTransaction(1);
    expect(cp.chargingProfiles()).toEqual([]);
    expect(cp.offeredLimitW(1)).toBeUndefined();
  });

  test.each([
    ['a profile that is not a TxProfile (TC_060_CS)', profile()],
    ['a TxProfile naming a transaction that does not exist yet', txProfile({ transactionId: 1000 })],
    ['a TxProfile above ChargeProfileMaxStackLevel', txProfile({ stackLevel: 9 })],
  ])('%s is Rejected and nothing starts', async (_name, chargingProfile) => {
    const cp = await smart();
    const answer = await h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { connectorId: 1, idTag: 'TAG', chargingProfile });
    expect(answer).toEqual({ status: 'Rejected' });
    await sleep(100);
    expect(h.csms.received(cp.chargePointId, ['StartTransaction'])).toHaveLength(0);
    expect(cp.chargingProfiles()).toEqual([]);
  });
});

describe('GetCompositeSchedule (§5.7)', () => {
  test('the composite of the ChargePointMax and TxDefault profiles, from now, in the unit asked for', async () => {
    const cp = await smart();
    await set(cp.chargePointId, 0, profile({ chargingProfileId: 1, chargingProfilePurpose: 'ChargePointMaxProfile', unit: 'W', periods: [[0, 9000]] }));
    await set(cp.chargePointId, 1, profile({ chargingProfileId: 2, periods: [[0, 16], [600, 8]] }));
    const before = Math.floor(Date.now() / 1000) * 1000;
    const watts = await composite(cp.chargePointId, { connectorId: 1, duration: 1200, chargingRateUnit: 'W' });
    expect(watts).toMatchObject({
      status: 'Accepted',
      connectorId: 1,
      chargingSchedule: { duration: 1200, chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 9000 }, { startPeriod: 600, limit: 5520 }] },
    });
    expect(Date.parse(watts.scheduleStart)).toBeGreaterThanOrEqual(before);
    expect(watts.chargingSchedule.startSchedule).toBe(watts.scheduleStart);
    const amps = await composite(cp.chargePointId, { connectorId: 1, duration: 1200 });
    expect(amps.chargingSchedule).toMatchObject({ chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 13 }, { startPeriod: 600, limit: 8 }] });
  });

  test('a power limit asked for in amps is converted with the wiring and rounded down to a tenth', async () => {
    const cp = await smart();
    await set(cp.chargePointId, 0, profile({ unit: 'W', periods: [[0, 7400]] }));
    const answer = await composite(cp.chargePointId, { connectorId: 1, duration: 60, chargingRateUnit: 'A' });
    expect(answer.chargingSchedule.chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 10.7 }]);
  });

  test('connector 0 reports the grid connection: the ChargePointMaxProfile over the connectors’ sum', async () => {
    const cp = await smart({ connectors: 2 });
    await set(cp.chargePointId, 0, profile({ chargingProfilePurpose: 'ChargePointMaxProfile', periods: [[0, 40]] }));
    const answer = await composite(cp.chargePointId, { connectorId: 0, duration: 60, chargingRateUnit: 'A' });
    expect(answer).toMatchObject({ status: 'Accepted', connectorId: 0, chargingSchedule: { chargingSchedulePeriod: [{ startPeriod: 0, limit: 40 }] } });
  });

  test('an unknown connector is Rejected; without profiles the hardware maximum is reported', async () => {
    const cp = await smart();
    await expect(composite(cp.chargePointId, { connectorId: 3, duration: 60 })).resolves.toEqual({ status: 'Rejected' });
    const answer = await composite(cp.chargePointId, { connectorId: 1, duration: 60, chargingRateUnit: 'A' });
    expect(answer.chargingSchedule.chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 32 }]);
  });
});

describe('power follows the limits', () => {
  test('a TxProfile lowers the power at once; the register and MeterValues follow (TC_057_CS)', async () => {
    const cp = await smart({ meterStartWh: 1000 });
    cp.configuration.set('MeterValuesSampledData', 'Energy.Active.Import.Register,Power.Active.Import,Current.Offered,Current.Import');
    const { transactionId } = await cp.startTransaction(1, 'TAG');
    expect(cp.power(1)).toBe(11_000);
    await set(cp.chargePointId, 1, txProfile({ transactionId, periods: [[0, 10]] }));
    expect(cp.offeredLimitW(1)).toBe(6900);
    expect(cp.power(1)).toBe(6900);
    cp.advance(1, 3600);
    expect(cp.meterRegisterWh(1).toString()).toBe('7900');
    await cp.sendMeterValues(1);
    const values = h.csms.received(cp.chargePointId, ['MeterValues'])[0].params.meterValue[0].sampledValue;
    expect(values.map((v: any) => [v.measurand, v.value])).toEqual([
      ['Energy.Active.Import.Register', '7900'],
      ['Power.Active.Import', '6900'],
      ['Current.Offered', '10'],
      ['Current.Import', '10'],
    ]);
    // Clearing the profile gives the car its own maximum again.
    await clear(cp.chargePointId, { id: 10 });
    expect(cp.power(1)).toBe(11_000);
  });

  test('the power changes by itself at a schedule period boundary', async () => {
    const cp = await smart();
    const { transactionId } = await cp.startTransaction(1, 'TAG');
    await set(cp.chargePointId, 1, txProfile({ transactionId, periods: [[0, 16], [1, 8]] }));
    expect(cp.power(1)).toBe(11_000);
    await expect(cp.waitFor('powerChanged', (e) => e.powerW === 5520, 3000)).resolves.toMatchObject({ connectorId: 1, offeredLimitW: 5520 });
  });

  test('an Absolute profile limits from its startSchedule until its duration ends, the power following by itself', async () => {
    const cp = await smart();
    await cp.startTransaction(1, 'TAG');
    const startSchedule = new Date(Math.ceil(Date.now() / 1000) * 1000 + 1000).toISOString();
    await set(cp.chargePointId, 0, profile({ chargingProfileKind: 'Absolute', startSchedule, duration: 1, periods: [[0, 8]] }));
    expect(cp.power(1)).toBe(11_000);
    const limited = await cp.waitFor('powerChanged', (e) => e.powerW === 5520, 4000);
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(startSchedule));
    expect(limited.offeredLimitW).toBe(5520);
    await cp.waitFor('powerChanged', (e) => e.powerW === 11_000, 3000);
    expect(cp.offeredLimitW(1)).toBeUndefined();
    expect(cp.offeredLimitW(1, new Date(Date.parse(startSchedule) + 500))).toBe(5520);
  });

  test('the car never draws more than its own maximum, and a one-phase charger converts amps with one phase', async () => {
    const cp = await smart({ evMaxPowerW: 3000, phases: 1 });
    await set(cp.chargePointId, 0, profile({ periods: [[0, 16]] }));
    expect(cp.offeredLimitW(1)).toBe(3680);
    await cp.startTransaction(1, 'TAG');
    expect(cp.power(1)).toBe(3000);
  });

  test('charging through the taper to a full battery: the power falls step by step, then stops', async () => {
    const cp = await smart({ socStartPercent: 70, evMaxPowerW: 11_000, batteryCapacityWh: 10_000 });
    await cp.startTransaction(1, 'TAG');
    const seen: number[] = [];
    cp.on('powerChanged', (e) => seen.push(e.powerW));
    cp.advance(1, 4 * 3600);
    expect(cp.soc(1)).toBe(100);
    expect(cp.power(1)).toBe(0);
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.slice(0, -1).every((w, i, all) => i === 0 || w < all[i - 1])).toBe(true);
    // 3 kWh (70 → 100 %) went in, nothing more: the register follows the SoC.
    expect(cp.meterRegisterWh(1).toNumber()).toBeCloseTo(3000, 6);
  });

  test('above the taper SoC the car accepts less and less as it fills', async () => {
    const cp = await smart({ socStartPercent: 90, evMaxPowerW: 10_000, batteryCapacityWh: 50_000 });
    await cp.startTransaction(1, 'TAG');
    expect(cp.power(1)).toBeCloseTo(5500, 6); // halfway from 80 % to 100 %: 1 − 0.9 × 0.5
    cp.advance(1, 600);
    expect(cp.soc(1)).toBeGreaterThan(91);
    expect(cp.power(1)).toBeLessThan(5500);
  });

  test('setPower overrides the car’s demand but not the offered limit', async () => {
    const cp = await smart();
    await cp.startTransaction(1, 'TAG');
    cp.setPower(1, 20_000);
    expect(cp.power(1)).toBe(20_000);
    await set(cp.chargePointId, 0, profile({ unit: 'W', periods: [[0, 7000]] }));
    expect(cp.power(1)).toBe(7000);
  });

  test('a limit below 6 A pauses charging (SuspendedEVSE), and a higher one resumes it', async () => {
    const cp = await smart();
    const { transactionId } = await cp.startTransaction(1, 'TAG');
    await set(cp.chargePointId, 1, txProfile({ transactionId, periods: [[0, 5]] }));
    expect(cp.power(1)).toBe(0);
    const suspended = await h.next(cp.chargePointId, (c) => c.action === 'StatusNotification' && c.params.status === 'SuspendedEVSE', 2000, true);
    cp.advance(1, 600);
    expect(cp.meterRegisterWh(1).toString()).toBe('0');
    await set(cp.chargePointId, 1, txProfile({ transactionId, periods: [[0, 6]] }));
    expect(cp.power(1)).toBe(4140);
    await h.next(cp.chargePointId, (c) => c.action === 'StatusNotification' && c.params.status === 'Charging' && c.seq > suspended.seq, 2000, true);
    expect(h.labels(cp.chargePointId).slice(-3)).toEqual(['Status:1:Charging', 'Status:1:SuspendedEVSE', 'Status:1:Charging']);
    expect(cp.status(1)).toBe('Charging');
  });

  test('a transaction that starts under a 0 A TxDefaultProfile reports SuspendedEVSE instead of Charging', async () => {
    const cp = await smart();
    await set(cp.chargePointId, 0, profile({ periods: [[0, 0]] }));
    await cp.startTransaction(1, 'TAG');
    expect(h.labels(cp.chargePointId).slice(-2)).toEqual(['StartTransaction', 'Status:1:SuspendedEVSE']);
    expect(cp.power(1)).toBe(0);
  });
});

describe('sharing the ChargePointMaxProfile (smartCharging.shareChargePointMax)', () => {
  test('by default each connector is capped by the charge point maximum on its own', async () => {
    const cp = await smart({ connectors: 2 });
    await set(cp.chargePointId, 0, profile({ chargingProfilePurpose: 'ChargePointMaxProfile', periods: [[0, 20]] }));
    await cp.startTransaction(1, 'A');
    await cp.startTransaction(2, 'B');
    expect([cp.power(1), cp.power(2)]).toEqual([11_000, 11_000]);
  });

  test('shared, two cars split it; a share below 6 A suspends the second one until the first leaves', async () => {
    const cp = await smart({ connectors: 2, smartCharging: { shareChargePointMax: true } });
    await set(cp.chargePointId, 0, profile({ chargingProfilePurpose: 'ChargePointMaxProfile', periods: [[0, 20]] }));
    await cp.startTransaction(1, 'A');
    expect(cp.power(1)).toBe(11_000);
    await cp.startTransaction(2, 'B');
    expect([cp.power(1), cp.power(2)]).toEqual([6900, 6900]);
    await set(cp.chargePointId, 0, profile({ chargingProfilePurpose: 'ChargePointMaxProfile', periods: [[0, 10]] }));
    expect([cp.power(1), cp.power(2)]).toEqual([6900, 0]);
    const suspended = await h.next(cp.chargePointId, (c) => c.action === 'StatusNotification' && c.params.connectorId === 2 && c.params.status === 'SuspendedEVSE', 2000, true);
    await cp.stopTransaction(1);
    expect(cp.power(2)).toBe(6900);
    await h.next(cp.chargePointId, (c) => c.action === 'StatusNotification' && c.params.connectorId === 2 && c.params.status === 'Charging' && c.seq > suspended.seq, 2000, true);
    expect(cp.status(2)).toBe('Charging');
  });
});

describe('reboot', () => {
  test('profiles survive a reboot by default', async () => {
    const cp = await smart();
    await set(cp.chargePointId, 0, profile());
    await cp.reboot();
    expect(ids(cp)).toEqual([1]);
  });

  test('a Reset ends the transaction and its TxProfile; the TxDefaultProfile stays', async () => {
    const cp = await smart();
    await set(cp.chargePointId, 0, profile({ chargingProfileId: 1 }));
    const { transactionId } = await cp.startTransaction(1, 'TAG');
    await set(cp.chargePointId, 1, txProfile({ chargingProfileId: 2, transactionId }));
    expect(ids(cp)).toEqual([1, 2]);
    const rebooted = cp.waitFor('rebooting');
    await h.csms.command(cp.chargePointId, 'Reset', { type: 'Hard' });
    await rebooted;
    expect(ids(cp)).toEqual([1]);
  });

  test('a charger configured to lose its profiles has none after a Reset', async () => {
    const cp = await smart({ smartCharging: { keepProfilesOnReboot: false } });
    await set(cp.chargePointId, 0, profile());
    const lost = cp.waitFor('chargingProfilesLost');
    await h.csms.command(cp.chargePointId, 'Reset', { type: 'Soft' });
    await lost;
    expect(cp.chargingProfiles()).toEqual([]);
    expect(cp.offeredLimitW(1)).toBeUndefined();
  });
});
