import { checkSetChargingProfile, chargerProfileLimits, type ProfileContext } from '../../src/ocpp/charging-profile-rules';
import { powerLimitSchedule, scheduleInUnit } from '../../src/ocpp/charging-profile-units';
import { driverLimitRequest, kwToWatts, ownedProfileClash, stationProfileRequest } from '../../src/ocpp/owned-charging-profiles';
import type { ChargingProfile, SetChargingProfileRequest } from '../../src/ocpp/ocpp16-messages';

const profile = (over: Partial<ChargingProfile> = {}, schedule: Partial<ChargingProfile['chargingSchedule']> = {}): ChargingProfile => ({
  chargingProfileId: 7,
  stackLevel: 3,
  chargingProfilePurpose: 'TxDefaultProfile',
  chargingProfileKind: 'Absolute',
  ...over,
  chargingSchedule: {
    startSchedule: '2026-12-01T00:00:00.000Z',
    chargingRateUnit: 'W',
    chargingSchedulePeriod: [
      { startPeriod: 0, limit: 11000 },
      { startPeriod: 3600, limit: 7400.5, numberPhases: 3 },
    ],
    ...schedule,
  },
});
const request = (p: ChargingProfile, connectorId = 1): SetChargingProfileRequest => ({ connectorId, csChargingProfiles: p });
const none: ProfileContext = { limits: {} };
const fields = (r: SetChargingProfileRequest, c: ProfileContext = none) => checkSetChargingProfile(r, c).map((p) => p.field);

describe('charging profile rules (OCPP 1.6 §3.13, §7.8–7.10)', () => {
  it('accepts a well-formed profile of each kind', () => {
    expect(fields(request(profile()))).toEqual([]);
    expect(fields(request(profile({ chargingProfileKind: 'Recurring', recurrencyKind: 'Daily' }, { duration: 86_400 })))).toEqual([]);
    expect(fields(request(profile({ chargingProfileKind: 'Relative', chargingProfilePurpose: 'TxProfile' }, { startSchedule: undefined })), { limits: {}, transactionRunning: true })).toEqual([]);
    expect(fields(request(profile({ chargingProfilePurpose: 'ChargePointMaxProfile' }), 0))).toEqual([]);
  });

  it('rejects a ChargePointMaxProfile not on connector 0 (body.connectorId)', () => {
    expect(fields(request(profile({ chargingProfilePurpose: 'ChargePointMaxProfile' }), 1))).toEqual(['body.connectorId']);
  });

  it('rejects a TxProfile on connector 0, or on a connector without a transaction (body.connectorId)', () => {
    const tx = profile({ chargingProfilePurpose: 'TxProfile' });
    expect(fields(request(tx, 0))).toEqual(['body.connectorId']);
    expect(fields(request(tx, 1), { limits: {}, transactionRunning: false })).toEqual(['body.connectorId']);
    expect(fields(request(tx, 1), { limits: {}, transactionRunning: true })).toEqual([]);
  });

  it('rejects a transactionId on a profile that is not a TxProfile, or naming another transaction than the running one (…transactionId)', () => {
    expect(fields(request(profile({ transactionId: 5 })))).toEqual(['body.csChargingProfiles.transactionId']);
    const tx = profile({ chargingProfilePurpose: 'TxProfile', transactionId: 5 });
    expect(fields(request(tx), { limits: {}, transactionRunning: true, runningTransactionId: 6 })).toEqual(['body.csChargingProfiles.transactionId']);
    expect(fields(request(tx), { limits: {}, transactionRunning: true, runningTransactionId: 5 })).toEqual([]);
  });

  it('rejects a negative connector, a negative stack level, unknown purposes and kinds', () => {
    expect(fields(request(profile(), -1))).toEqual(['body.connectorId']);
    expect(fields(request(profile({ stackLevel: -1 })))).toEqual(['body.csChargingProfiles.stackLevel']);
    expect(fields(request(profile({ chargingProfilePurpose: 'Other' as never })))).toEqual(['body.csChargingProfiles.chargingProfilePurpose']);
    expect(fields(request(profile({ chargingProfileKind: 'Sometimes' as never })))).toEqual(['body.csChargingProfiles.chargingProfileKind']);
  });

  it('needs startSchedule for Absolute and Recurring, and none for Relative (…chargingSchedule.startSchedule)', () => {
    expect(fields(request(profile({}, { startSchedule: undefined })))).toEqual(['body.csChargingProfiles.chargingSchedule.startSchedule']);
    expect(fields(request(profile({ chargingProfileKind: 'Recurring', recurrencyKind: 'Weekly' }, { startSchedule: undefined })))).toEqual([
      'body.csChargingProfiles.chargingSchedule.startSchedule',
    ]);
    expect(fields(request(profile({ chargingProfileKind: 'Relative' })))).toEqual(['body.csChargingProfiles.chargingSchedule.startSchedule']);
    expect(fields(request(profile({}, { startSchedule: 'yesterday' })))).toEqual(['body.csChargingProfiles.chargingSchedule.startSchedule']);
  });

  it('needs recurrencyKind exactly for Recurring, and a recurrence no longer than its period (…recurrencyKind, …duration)', () => {
    expect(fields(request(profile({ chargingProfileKind: 'Recurring' })))).toEqual(['body.csChargingProfiles.recurrencyKind']);
    expect(fields(request(profile({ recurrencyKind: 'Daily' })))).toEqual(['body.csChargingProfiles.recurrencyKind']);
    expect(fields(request(profile({ chargingProfileKind: 'Recurring', recurrencyKind: 'Daily' }, { duration: 90_000 })))).toEqual([
      'body.csChargingProfiles.chargingSchedule.duration',
    ]);
  });

  it('needs validFrom before validTo (…validTo)', () => {
    expect(fields(request(profile({ validFrom: '2026-12-02T00:00:00Z', validTo: '2026-12-01T00:00:00Z' })))).toEqual(['body.csChargingProfiles.validTo']);
    expect(fields(request(profile({ validFrom: '2026-12-01T00:00:00Z', validTo: '2026-12-01T00:00:00Z' })))).toEqual(['body.csChargingProfiles.validTo']);
    expect(fields(request(profile({ validFrom: 'soon' })))).toEqual(['body.csChargingProfiles.validFrom']);
  });

  it('needs periods from startPeriod 0 in ascending order, inside the duration (…chargingSchedulePeriod[i].startPeriod)', () => {
    const at = (i: number) => `body.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[${i}].startPeriod`;
    expect(fields(request(profile({}, { chargingSchedulePeriod: [{ startPeriod: 60, limit: 1000 }] })))).toEqual([at(0)]);
    expect(fields(request(profile({}, { chargingSchedulePeriod: [{ startPeriod: 0, limit: 1000 }, { startPeriod: 0, limit: 2000 }] })))).toEqual([at(1)]);
    expect(
      fields(request(profile({}, { chargingSchedulePeriod: [{ startPeriod: 0, limit: 1 }, { startPeriod: 600, limit: 2 }, { startPeriod: 300, limit: 3 }] }))),
    ).toEqual([at(2)]);
    expect(fields(request(profile({}, { duration: 3600 })))).toEqual([at(1)]);
    expect(fields(request(profile({}, { chargingSchedulePeriod: [] })))).toEqual(['body.csChargingProfiles.chargingSchedule.chargingSchedulePeriod']);
  });

  it('needs limits ≥ 0 with at most one decimal, and numberPhases 1..3 (…limit, …numberPhases, …minChargingRate)', () => {
    const at = (f: string) => `body.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].${f}`;
    expect(fields(request(profile({}, { chargingSchedulePeriod: [{ startPeriod: 0, limit: -1 }] })))).toEqual([at('limit')]);
    expect(fields(request(profile({}, { chargingSchedulePeriod: [{ startPeriod: 0, limit: 16.25 }] })))).toEqual([at('limit')]);
    expect(fields(request(profile({}, { chargingSchedulePeriod: [{ startPeriod: 0, limit: 16, numberPhases: 4 }] })))).toEqual([at('numberPhases')]);
    expect(fields(request(profile({}, { chargingSchedulePeriod: [{ startPeriod: 0, limit: 16, numberPhases: 0 }] })))).toEqual([at('numberPhases')]);
    expect(fields(request(profile({}, { minChargingRate: 1.25 })))).toEqual(['body.csChargingProfiles.chargingSchedule.minChargingRate']);
  });

  it('rejects a unit other than A or W (…chargingRateUnit)', () => {
    expect(fields(request(profile({}, { chargingRateUnit: 'kW' as never })))).toEqual(['body.csChargingProfiles.chargingSchedule.chargingRateUnit']);
  });
});

describe("the charger's reported limits (§9.4)", () => {
  const limits = chargerProfileLimits([
    { key: 'ChargeProfileMaxStackLevel', value: '2' },
    { key: 'ChargingScheduleAllowedChargingRateUnit', value: 'Current' },
    { key: 'ChargingScheduleMaxPeriods', value: '1' },
    { key: 'MaxChargingProfilesInstalled', value: '2' },
  ]);

  it('reads the four Smart Charging keys', () => {
    expect(limits).toEqual({ maxStackLevel: 2, allowedUnits: ['A'], maxPeriods: 1, maxInstalled: 2 });
    expect(chargerProfileLimits([{ key: 'ChargingScheduleAllowedChargingRateUnit', value: 'Current, Power' }]).allowedUnits).toEqual(['A', 'W']);
    expect(chargerProfileLimits(null)).toEqual({});
  });

  it('rejects a stack level above ChargeProfileMaxStackLevel (…stackLevel)', () => {
    const p = profile({ stackLevel: 3 }, { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] });
    expect(fields(request(p), { limits })).toEqual(['body.csChargingProfiles.stackLevel']);
  });

  it('rejects a unit the charger does not allow (…chargingRateUnit) and more periods than ChargingScheduleMaxPeriods (…chargingSchedulePeriod)', () => {
    const p = profile({ stackLevel: 1 }, { chargingSchedulePeriod: [{ startPeriod: 0, limit: 11000 }, { startPeriod: 60, limit: 7000 }] });
    expect(fields(request(p), { limits })).toEqual([
      'body.csChargingProfiles.chargingSchedule.chargingRateUnit',
      'body.csChargingProfiles.chargingSchedule.chargingSchedulePeriod',
    ]);
  });

  it('rejects a new profile beyond MaxChargingProfilesInstalled, but not one that replaces an installed id (…chargingProfileId)', () => {
    const p = profile({ stackLevel: 1 }, { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }] });
    expect(fields(request(p), { limits, installedProfileIds: [1, 2] })).toEqual(['body.csChargingProfiles.chargingProfileId']);
    expect(fields(request({ ...p, chargingProfileId: 2 }), { limits, installedProfileIds: [1, 2] })).toEqual([]);
  });
});

describe('amps and watts in profiles', () => {
  const threePhase = { phases: 3 as const, voltageV: 230 };
  it('sends W where the charger takes power, and A with the wiring where it takes only current', () => {
    expect(powerLimitSchedule(11_000, ['A', 'W'], threePhase)).toEqual({ chargingRateUnit: 'W', chargingSchedulePeriod: [{ startPeriod: 0, limit: 11_000 }] });
    // 11 kW over 3 × 230 V is 15.94 A per phase: 15.9 A, rounded down so it never allows more.
    expect(powerLimitSchedule(11_000, ['A'], threePhase)).toEqual({ chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 15.9 }] });
    expect(powerLimitSchedule(7_360, ['A'], { phases: 1, voltageV: 230 }).chargingSchedulePeriod[0]!.limit).toBe(32);
  });

  it('sends a limit too low for three phases (below 6 A each) on one phase, converted by that phase', () => {
    expect(powerLimitSchedule(3_700, ['W'], threePhase).chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 3_700, numberPhases: 1 }]);
    expect(powerLimitSchedule(3_700, ['A'], threePhase).chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 16, numberPhases: 1 }]);
    expect(powerLimitSchedule(4_140, ['W'], threePhase).chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 4_140 }]);
    expect(powerLimitSchedule(3_700, ['W'], { phases: 1, voltageV: 230 }).chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 3_700 }]);
  });

  it("converts a period with fewer phases by its own numberPhases", () => {
    const s = scheduleInUnit({ chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 16 }, { startPeriod: 60, limit: 16, numberPhases: 1 }] }, 'W', threePhase);
    expect(s.chargingSchedulePeriod.map((p) => p.limit)).toEqual([11_040, 3_680]);
  });

  it("builds the driver's TxProfile with the driver-limit id and stack level, Relative, in the unit the charger takes", () => {
    expect(kwToWatts('7.4')).toBe(7400);
    expect(kwToWatts('11')).toBe(11000);
    expect(kwToWatts('3.68')).toBe(3680);
    const r = driverLimitRequest({ connectorId: 2, maxPowerKw: '7.4', allowedUnits: ['A'], electrics: threePhase });
    expect(r).toEqual({
      connectorId: 2,
      csChargingProfiles: {
        chargingProfileId: 102,
        stackLevel: 1,
        chargingProfilePurpose: 'TxProfile',
        chargingProfileKind: 'Relative',
        chargingSchedule: { chargingRateUnit: 'A', chargingSchedulePeriod: [{ startPeriod: 0, limit: 10.7 }] },
      },
    });
    expect(checkSetChargingProfile(r, { limits: {}, transactionRunning: true })).toEqual([]);
  });

  it("keeps operators' one-off profiles off the ids and stack levels the CSMS owns", () => {
    expect(ownedProfileClash({ chargingProfileId: 1, chargingProfilePurpose: 'TxDefaultProfile', stackLevel: 5 })).toMatch(/station profile/);
    expect(ownedProfileClash({ chargingProfileId: 101, chargingProfilePurpose: 'TxProfile', stackLevel: 5 })).toMatch(/drivers/);
    expect(ownedProfileClash({ chargingProfileId: 30, chargingProfilePurpose: 'TxProfile', stackLevel: 2 })).toMatch(/site/);
    expect(ownedProfileClash({ chargingProfileId: 30, chargingProfilePurpose: 'TxProfile', stackLevel: 3 })).toBeUndefined();
    expect(stationProfileRequest('ChargePointMaxProfile', profile()).csChargingProfiles).toMatchObject({ chargingProfileId: 1, stackLevel: 0, chargingProfilePurpose: 'ChargePointMaxProfile' });
  });
});
