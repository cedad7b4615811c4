import type { ChargingProfile } from '../../src/ocpp/ocpp16-messages';
import { InstalledProfile, LimitContext, compositeSchedule, connectorLimitAt, limitAt, limitChanges, periodAt } from '../../src/simulator/composite-schedule';
import { profile } from './support/charging-profile';
import { evAcceptanceW, drawnPower, shareChargePointMax } from '../../src/simulator/charging-power';

const T0 = Date.parse('2026-12-02T10:00:00.000Z');
const s = (seconds: number) => T0 + seconds * 1000;
const iso = (ms: number) => new Date(ms).toISOString();


function context(entries: [number, ChargingProfile][], options: { txStart?: number; phases?: 1 | 3; connectors?: number[] } = {}): LimitContext {
  const profiles: InstalledProfile[] = entries.map(([connectorId, p], i) => ({ connectorId, profile: p, seq: i + 1 }));
  return {
    profiles,
    wiring: { phases: options.phases ?? 3, voltageV: 230 },
    connectorIds: options.connectors ?? [1],
    transactionStartMs: () => options.txStart,
    hardwareMaxW: (phases) => 32 * phases * 230,
  };
}

describe('one profile (§3.13, §7.9 chargingProfileKind)', () => {
  test('a Relative schedule counts from the start of the transaction and its last period lasts while no duration ends it', () => {
    const p = profile({ periods: [[0, 16], [600, 10]] });
    expect(periodAt(p, s(599), T0)).toMatchObject({ limit: 16 });
    expect(periodAt(p, s(600), T0)).toMatchObject({ limit: 10 });
    expect(periodAt(p, s(86_400 * 3), T0)).toMatchObject({ limit: 10 });
  });

  test('an Absolute schedule starts at startSchedule and limits nothing before it or after its duration', () => {
    const p = profile({ chargingProfileKind: 'Absolute', startSchedule: iso(s(60)), duration: 120, periods: [[0, 8]] });
    expect(periodAt(p, s(59), T0)).toBeUndefined();
    expect(periodAt(p, s(60), T0)).toMatchObject({ limit: 8 });
    expect(periodAt(p, s(179), T0)).toMatchObject({ limit: 8 });
    expect(periodAt(p, s(180), T0)).toBeUndefined();
  });

  test('a Daily Recurring schedule repeats every day from startSchedule, also when startSchedule is later today', () => {
    // 18:00–24:00 at 10 A, otherwise 32 A; startSchedule is today's 00:00 … and tomorrow's 00:00.
    const midnight = Date.parse('2026-12-02T00:00:00.000Z');
    for (const start of [midnight, midnight + 86_400_000]) {
      const p = profile({ chargingProfileKind: 'Recurring', recurrencyKind: 'Daily', startSchedule: iso(start), periods: [[0, 32], [18 * 3600, 10]] });
      expect(periodAt(p, Date.parse('2026-12-02T17:59:59Z'), T0)).toMatchObject({ limit: 32 });
      expect(periodAt(p, Date.parse('2026-12-02T18:00:00Z'), T0)).toMatchObject({ limit: 10 });
      expect(periodAt(p, Date.parse('2026-12-05T03:00:00Z'), T0)).toMatchObject({ limit: 32 });
    }
  });

  test('a Weekly Recurring schedule with a duration limits only that part of each week', () => {
    const monday = Date.parse('2026-11-30T08:00:00.000Z');
    const p = profile({ chargingProfileKind: 'Recurring', recurrencyKind: 'Weekly', startSchedule: iso(monday), duration: 3600, periods: [[0, 6]] });
    expect(periodAt(p, monday + 7 * 86_400_000 + 1000, T0)).toMatchObject({ limit: 6 });
    expect(periodAt(p, monday + 86_400_000, T0)).toBeUndefined();
  });

  test('validFrom and validTo bound when the profile limits', () => {
    const p = profile({ validFrom: iso(s(10)), validTo: iso(s(20)) });
    expect(periodAt(p, s(9), T0)).toBeUndefined();
    expect(periodAt(p, s(10), T0)).toMatchObject({ limit: 16 });
    expect(periodAt(p, s(20), T0)).toBeUndefined();
  });
});

describe('stacking and combining (§3.13.2, §3.13.3)', () => {
  test('the highest stack level prevails while it limits, and the lower one applies after its duration', () => {
    const base = profile({ chargingProfileId: 1, stackLevel: 0, periods: [[0, 16]] });
    const peak = profile({ chargingProfileId: 2, stackLevel: 3, duration: 600, periods: [[0, 8]] });
    const ctx = context([[1, base], [1, peak]], { txStart: T0 });
    expect(connectorLimitAt(ctx, 1, s(0)).limitW).toBe(8 * 3 * 230);
    expect(connectorLimitAt(ctx, 1, s(600)).limitW).toBe(16 * 3 * 230);
  });

  test('a TxProfile overrules the TxDefaultProfile even at a lower stack level', () => {
    const def = profile({ chargingProfileId: 1, stackLevel: 5, periods: [[0, 10]] });
    const tx = profile({ chargingProfileId: 2, stackLevel: 0, chargingProfilePurpose: 'TxProfile', periods: [[0, 20]] });
    expect(connectorLimitAt(context([[0, def], [1, tx]], { txStart: T0 }), 1, T0).limitW).toBe(20 * 690);
  });

  test('a connector’s own TxDefaultProfile beats connector 0’s at the same stack level', () => {
    const all = profile({ chargingProfileId: 1, periods: [[0, 10]] });
    const own = profile({ chargingProfileId: 2, periods: [[0, 12]] });
    expect(connectorLimitAt(context([[1, own], [0, all]]), 1, T0).limitW).toBe(12 * 690);
  });

  test('the ChargePointMaxProfile caps the transaction’s limit, units mixed through the wiring', () => {
    const max = profile({ chargingProfileId: 1, chargingProfilePurpose: 'ChargePointMaxProfile', unit: 'W', periods: [[0, 7000]] });
    const tx = profile({ chargingProfileId: 2, chargingProfilePurpose: 'TxProfile', periods: [[0, 16], [60, 8]] });
    const ctx = context([[0, max], [1, tx]], { txStart: T0 });
    expect(connectorLimitAt(ctx, 1, T0).limitW).toBe(7000);
    expect(connectorLimitAt(ctx, 1, s(60)).limitW).toBe(8 * 690);
  });

  test('numberPhases lowers the phases a limit in A applies to, never above the charger’s own', () => {
    const onePhase = profile({ periods: [[0, 16, 1]] });
    expect(connectorLimitAt(context([[1, onePhase]]), 1, T0)).toEqual({ limitW: 16 * 230, phases: 1 });
    expect(connectorLimitAt(context([[1, profile({})]], { phases: 1 }), 1, T0)).toEqual({ limitW: 16 * 230, phases: 1 });
  });

  test('without profiles nothing limits, the grid connection neither, and the composite is the hardware maximum', () => {
    const ctx = context([], { connectors: [1, 2] });
    expect(connectorLimitAt(ctx, 1, T0).limitW).toBeUndefined();
    expect(limitAt(ctx, 0, T0).limitW).toBeUndefined();
    expect(compositeSchedule(ctx, 0, T0, 60, 'A').chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 64 }]);
  });
});

describe('composite schedule (§5.7)', () => {
  test('periods are relative to the schedule start and merge equal limits, in the unit asked for', () => {
    const def = profile({ periods: [[0, 16], [300, 16], [600, 10]] });
    const ctx = context([[1, def]], { txStart: s(-100) });
    const amps = compositeSchedule(ctx, 1, T0, 3600, 'A');
    expect(amps).toEqual({
      duration: 3600,
      startSchedule: '2026-12-02T10:00:00.000Z',
      chargingRateUnit: 'A',
      chargingSchedulePeriod: [
        { startPeriod: 0, limit: 16 },
        { startPeriod: 500, limit: 10 },
      ],
    });
    expect(compositeSchedule(ctx, 1, T0, 3600, 'W').chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 11040 },
      { startPeriod: 500, limit: 6900 },
    ]);
  });

  test('TC_072_CS stacking: the stack level 1 profile for its 150 s, then stack level 0 resumes mid-period', () => {
    const start = iso(T0);
    const base = profile({ chargingProfileId: 1, stackLevel: 0, chargingProfileKind: 'Absolute', startSchedule: start, duration: 400, periods: [[0, 6], [100, 8], [200, 10]] });
    const top = profile({ chargingProfileId: 2, stackLevel: 1, chargingProfileKind: 'Absolute', startSchedule: start, duration: 150, periods: [[0, 10], [100, 6]] });
    expect(compositeSchedule(context([[1, base], [1, top]]), 1, T0, 400, 'A').chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 10 },
      { startPeriod: 100, limit: 6 },
      { startPeriod: 150, limit: 8 },
      { startPeriod: 200, limit: 10 },
    ]);
  });

  test('the hardware maximum bounds the composite and fills the time no profile limits', () => {
    const peak = profile({ chargingProfileKind: 'Absolute', startSchedule: iso(s(60)), duration: 60, periods: [[0, 50]] });
    const later = profile({ chargingProfileId: 2, stackLevel: 1, chargingProfileKind: 'Absolute', startSchedule: iso(s(200)), duration: 60, periods: [[0, 6]] });
    expect(compositeSchedule(context([[1, peak], [1, later]]), 1, T0, 300, 'A').chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 32 },
      { startPeriod: 200, limit: 6 },
      { startPeriod: 260, limit: 32 },
    ]);
  });

  test('a power limit converted to amps is rounded down to a tenth, and a one-phase charger reports numberPhases 1', () => {
    const w = profile({ unit: 'W', periods: [[0, 7400]] });
    expect(compositeSchedule(context([[1, w]]), 1, T0, 60, 'A').chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 10.7 }]);
    expect(compositeSchedule(context([[1, w]], { phases: 1 }), 1, T0, 60, 'A').chargingSchedulePeriod).toEqual([{ startPeriod: 0, limit: 32, numberPhases: 1 }]);
  });

  test('connector 0 is the grid connection: the connectors’ sum capped by the ChargePointMaxProfile', () => {
    const max = profile({ chargingProfilePurpose: 'ChargePointMaxProfile', chargingProfileKind: 'Absolute', startSchedule: iso(T0), duration: 600, periods: [[0, 40]] });
    const tx1 = profile({ chargingProfileId: 2, chargingProfilePurpose: 'TxDefaultProfile', periods: [[0, 16]] });
    const ctx = context([[0, max], [1, tx1]], { connectors: [1, 2] });
    expect(limitAt(ctx, 0, T0).limitW).toBe(40 * 690);
    expect(compositeSchedule(ctx, 0, T0, 1200, 'A').chargingSchedulePeriod).toEqual([
      { startPeriod: 0, limit: 40 },
      { startPeriod: 600, limit: 48 }, // 16 A + 32 A
    ]);
  });

  test('the instants where the limit changes include recurrences, durations and validity bounds', () => {
    const p = profile({ chargingProfileKind: 'Recurring', recurrencyKind: 'Daily', startSchedule: iso(T0), duration: 3600, periods: [[0, 10], [1800, 8]], validTo: iso(s(86_400 + 100)) });
    expect(limitChanges(context([[1, p]]), 1, T0, s(2 * 86_400)).map((t) => (t - T0) / 1000)).toEqual([1800, 3600, 86_400, 86_500]);
  });
});

describe('what the car draws', () => {
  test('the car accepts its maximum up to the taper SoC, then linearly less, a tenth at 100 % (nothing when full)', () => {
    const ev = { maxPowerW: 11_000, taperFromSoc: 80 };
    expect(evAcceptanceW(ev, 80)).toBe(11_000);
    expect(evAcceptanceW(ev, 90)).toBeCloseTo(11_000 * 0.55, 6);
    expect(evAcceptanceW(ev, 99.999999)).toBeCloseTo(1100, 2);
    expect(evAcceptanceW(ev, 100)).toBe(0);
  });

  test('a limit below 6 A per phase suspends charging; at 6 A it charges', () => {
    expect(drawnPower({ offeredLimitW: 5.9 * 690, phases: 3, voltageV: 230, demandW: 11_000 })).toEqual({ powerW: 0, suspendedByLimit: true });
    expect(drawnPower({ offeredLimitW: 6 * 690, phases: 3, voltageV: 230, demandW: 11_000 })).toEqual({ powerW: 4140, suspendedByLimit: false });
    expect(drawnPower({ offeredLimitW: undefined, phases: 3, voltageV: 230, demandW: 11_000 })).toEqual({ powerW: 11_000, suspendedByLimit: false });
  });

  test('connectors sharing the charge point maximum: the one asking less keeps its demand, the others split the rest', () => {
    const min = 6 * 690;
    const shares = shareChargePointMax(
      [
        { id: 1, demandW: 11_000, minimumW: min },
        { id: 2, demandW: 3000, minimumW: min },
        { id: 3, demandW: 11_000, minimumW: min },
      ],
      20_000,
    );
    expect([...shares.entries()].sort()).toEqual([
      [1, { powerW: 8500, suspendedByLimit: false }],
      [2, { powerW: 3000, suspendedByLimit: false }],
      [3, { powerW: 8500, suspendedByLimit: false }],
    ]);
  });

  test('when an equal share falls below 6 A the highest connector is suspended and the rest share again', () => {
    const min = 6 * 690;
    const shares = shareChargePointMax(
      [
        { id: 2, demandW: 11_000, minimumW: min },
        { id: 1, demandW: 11_000, minimumW: min },
      ],
      10 * 690,
    );
    expect(shares.get(1)).toEqual({ powerW: 6900, suspendedByLimit: false });
    expect(shares.get(2)).toEqual({ powerW: 0, suspendedByLimit: true });
  });
});
