/**
 * The composite charging schedule of OCPP 1.6 §3.13 (Smart Charging), computed from the installed
 * charging profiles. Pure: no clock, no I/O, so every rule is unit-tested on its own.
 *
 * Rules as read from the spec:
 * - §3.13.1 purposes: a ChargePointMaxProfile (connector 0) limits the charge point; a TxProfile
 *   limits the transaction on its connector and overrules the TxDefaultProfile (connector 0: every
 *   connector; a connector's own: that connector).
 * - §3.13.2 stacking: within one purpose the profile with the highest stackLevel prevails. Reading:
 *   a profile prevails only while it limits (within validFrom/validTo and inside its schedule's
 *   periods and duration); outside that, the next lower stack level applies (the spec's stacking
 *   figure: a higher-level profile covering part of the day, the base profile the rest). On equal
 *   stack levels a connector's own TxDefaultProfile beats connector 0's, then the later one.
 * - §3.13.3 combining: the composite is the minimum of the ChargePointMaxProfile and the
 *   TxProfile (or, without one, the TxDefaultProfile) at each instant.
 * - §7.9 chargingProfileKind: Absolute from startSchedule (absent: from the start of the
 *   transaction, as a Relative one); Relative from the start of the transaction (without one, from
 *   the reference instant: "if a transaction started now"); Recurring from startSchedule repeated
 *   every day or week (recurrencyKind), the latest recurrence at or before the instant, so a
 *   startSchedule later today still recurs from yesterday.
 * - §7.13 chargingSchedule.duration: absent, the last period lasts indefinitely (Recurring: until the
 *   next recurrence).
 * - §7.14 numberPhases: the phases that may be used (default 3), never more than the charger has;
 *   a limit in A is per phase, so P = phases × voltage × I.
 */
import type { ChargingProfile } from '../ocpp/ocpp16-messages';

export type ChargingRateUnit = 'A' | 'W';
export type ChargingProfilePurpose = ChargingProfile['chargingProfilePurpose'];

export interface InstalledProfile {
  connectorId: number;
  profile: ChargingProfile;
  /** Installation order, for ties between equal stack levels (the later prevails). */
  seq: number;
}

/** The charger's electrical wiring: W ↔ A conversion (P = phases × voltage × I per phase). */
export interface Wiring {
  phases: 1 | 3;
  voltageV: number;
}

export interface LimitContext {
  profiles: readonly InstalledProfile[];
  wiring: Wiring;
  /** When the connector's transaction started (ms); undefined when it has none. */
  transactionStartMs(connectorId: number): number | undefined;
  /** The connector's hardware maximum in W when charging on `phases` phases. */
  hardwareMaxW(phases: number): number;
  /** The connectors of the charger (for connector 0's composite, the grid connection). */
  connectorIds: readonly number[];
}

/** The limit in force at one instant: undefined `limitW` when no profile limits. */
export interface InstantLimit {
  limitW: number | undefined;
  /** Phases charging may use at this instant (the charger's, lowered by a period's numberPhases). */
  phases: number;
}

export interface CompositeSchedule {
  duration: number;
  startSchedule: string;
  chargingRateUnit: ChargingRateUnit;
  chargingSchedulePeriod: { startPeriod: number; limit: number; numberPhases?: number }[];
}

const DAY_MS = 86_400_000;
const RECURRENCE_MS = { Daily: DAY_MS, Weekly: 7 * DAY_MS } as const;

/** The start (ms) of the schedule run that covers instant `t`, or undefined when it cannot start. */
export function scheduleOrigin(profile: ChargingProfile, t: number, relativeStartMs: number): number | undefined {
  const schedule = profile.chargingSchedule;
  const start = schedule.startSchedule !== undefined ? Date.parse(schedule.startSchedule) : Number.NaN;
  switch (profile.chargingProfileKind) {
    case 'Absolute':
      return Number.isNaN(start) ? relativeStartMs : start;
    case 'Relative':
      return relativeStartMs;
    case 'Recurring': {
      const every = profile.recurrencyKind ? RECURRENCE_MS[profile.recurrencyKind] : undefined;
      if (every === undefined || Number.isNaN(start)) return undefined;
      return start + Math.floor((t - start) / every) * every;
    }
  }
}

function isValidAt(profile: ChargingProfile, t: number): boolean {
  if (profile.validFrom !== undefined && t < Date.parse(profile.validFrom)) return false;
  if (profile.validTo !== undefined && t >= Date.parse(profile.validTo)) return false;
  return true;
}

/** The schedule period of `profile` in force at `t`, or undefined when the profile does not limit then. */
export function periodAt(profile: ChargingProfile, t: number, relativeStartMs: number): { limit: number; numberPhases?: number } | undefined {
  if (!isValidAt(profile, t)) return undefined;
  const origin = scheduleOrigin(profile, t, relativeStartMs);
  if (origin === undefined) return undefined;
  const offsetS = (t - origin) / 1000;
  const { duration, chargingSchedulePeriod: periods } = profile.chargingSchedule;
  if (offsetS < 0 || (duration !== undefined && offsetS >= duration)) return undefined;
  let current: (typeof periods)[number] | undefined;
  for (const p of periods) if (p.startPeriod <= offsetS) current = p;
  return current;
}

/** Instants in (from, to] where `profile`'s limit may change. */
export function changeInstants(profile: ChargingProfile, from: number, to: number, relativeStartMs: number): number[] {
  const out: number[] = [];
  // Outside validFrom/validTo the profile limits nothing, so only the bounds themselves change anything there.
  const validFrom = profile.validFrom !== undefined ? Date.parse(profile.validFrom) : -Infinity;
  const validTo = profile.validTo !== undefined ? Date.parse(profile.validTo) : Infinity;
  const add = (t: number) => {
    if (t > from && t <= to && t >= validFrom && t <= validTo) out.push(t);
  };
  if (profile.validFrom !== undefined) add(Date.parse(profile.validFrom));
  if (profile.validTo !== undefined) add(Date.parse(profile.validTo));
  const { duration, chargingSchedulePeriod: periods } = profile.chargingSchedule;
  const addRun = (origin: number) => {
    for (const p of periods) add(origin + p.startPeriod * 1000);
    if (duration !== undefined) add(origin + duration * 1000);
  };
  const every = profile.chargingProfileKind === 'Recurring' && profile.recurrencyKind ? RECURRENCE_MS[profile.recurrencyKind] : undefined;
  const first = scheduleOrigin(profile, from, relativeStartMs);
  if (first === undefined) return out;
  if (every === undefined) addRun(first);
  else for (let origin = first; origin <= to; origin += every) addRun(origin);
  return out;
}

/** The prevailing profile of one purpose at `t` (§3.13.2) and its period. */
function prevailing(candidates: readonly InstalledProfile[], t: number, relativeStartMs: number) {
  let best: { entry: InstalledProfile; period: { limit: number; numberPhases?: number } } | undefined;
  for (const entry of candidates) {
    const period = periodAt(entry.profile, t, relativeStartMs);
    if (!period) continue;
    if (!best || outranks(entry, best.entry)) best = { entry, period };
  }
  return best;
}

function outranks(a: InstalledProfile, b: InstalledProfile): boolean {
  if (a.profile.stackLevel !== b.profile.stackLevel) return a.profile.stackLevel > b.profile.stackLevel;
  if ((a.connectorId !== 0) !== (b.connectorId !== 0)) return a.connectorId !== 0;
  return a.seq > b.seq;
}

/** The profiles that can limit `connectorId` (0: only the ChargePointMaxProfiles). */
function relevant(profiles: readonly InstalledProfile[], connectorId: number): InstalledProfile[] {
  return profiles.filter((e) => {
    switch (e.profile.chargingProfilePurpose) {
      case 'ChargePointMaxProfile':
        return e.connectorId === 0;
      case 'TxDefaultProfile':
        return connectorId !== 0 && (e.connectorId === 0 || e.connectorId === connectorId);
      case 'TxProfile':
        return connectorId !== 0 && e.connectorId === connectorId;
    }
  });
}

const byPurpose = (profiles: readonly InstalledProfile[], purpose: ChargingProfilePurpose) => profiles.filter((e) => e.profile.chargingProfilePurpose === purpose);

/**
 * The profiles' limit on connector `connectorId` (≥ 1) at `t`: ChargePointMax ∩ (TxProfile or
 * TxDefaultProfile), in W. `referenceMs` starts Relative schedules when the connector has no transaction.
 */
export function connectorLimitAt(ctx: LimitContext, connectorId: number, t: number, referenceMs = t): InstantLimit {
  const relativeStart = ctx.transactionStartMs(connectorId) ?? referenceMs;
  const candidates = relevant(ctx.profiles, connectorId);
  const max = prevailing(byPurpose(candidates, 'ChargePointMaxProfile'), t, relativeStart);
  const tx = prevailing(byPurpose(candidates, 'TxProfile'), t, relativeStart) ?? prevailing(byPurpose(candidates, 'TxDefaultProfile'), t, relativeStart);
  const limiting = [max, tx].filter((x): x is NonNullable<typeof x> => !!x);
  const phases = Math.min(ctx.wiring.phases, ...limiting.map((x) => x.period.numberPhases ?? 3));
  if (limiting.length === 0) return { limitW: undefined, phases };
  const watts = limiting.map((x) => (x.entry.profile.chargingSchedule.chargingRateUnit === 'A' ? x.period.limit * phases * ctx.wiring.voltageV : x.period.limit));
  return { limitW: Math.min(...watts), phases };
}

/**
 * Connector 0, the grid connection (§5.7 "the expected consumption for the grid connection"): the
 * ChargePointMaxProfile capping the sum of what every connector may draw (its limit and hardware);
 * undefined `limitW` when no profile limits any of it.
 */
export function gridLimitAt(ctx: LimitContext, t: number, referenceMs = t): InstantLimit {
  const max = chargePointMaxAt(ctx, t, referenceMs);
  let sum = 0;
  let limited = false;
  for (const id of ctx.connectorIds) {
    const own = connectorLimitAt({ ...ctx, profiles: ctx.profiles.filter((e) => e.profile.chargingProfilePurpose !== 'ChargePointMaxProfile') }, id, t, referenceMs);
    limited ||= own.limitW !== undefined;
    sum += Math.min(own.limitW ?? Infinity, ctx.hardwareMaxW(own.phases));
  }
  if (max.limitW === undefined) return { limitW: limited ? sum : undefined, phases: max.phases };
  return { limitW: Math.min(max.limitW, sum), phases: max.phases };
}

/** The prevailing ChargePointMaxProfile's limit at `t`, W, alone (undefined when none limits). */
export function chargePointMaxAt(ctx: LimitContext, t: number, referenceMs = t): InstantLimit {
  const max = prevailing(byPurpose(relevant(ctx.profiles, 0), 'ChargePointMaxProfile'), t, referenceMs);
  const phases = Math.min(ctx.wiring.phases, max?.period.numberPhases ?? 3);
  if (!max) return { limitW: undefined, phases };
  const limitW = max.entry.profile.chargingSchedule.chargingRateUnit === 'A' ? max.period.limit * phases * ctx.wiring.voltageV : max.period.limit;
  return { limitW, phases };
}

/** The limit at `t` on a connector, or on the grid connection for connector 0. */
export function limitAt(ctx: LimitContext, connectorId: number, t: number, referenceMs = t): InstantLimit {
  return connectorId === 0 ? gridLimitAt(ctx, t, referenceMs) : connectorLimitAt(ctx, connectorId, t, referenceMs);
}

/** Every instant in (from, to] where the limit on `connectorId` may change, ascending. */
export function limitChanges(ctx: LimitContext, connectorId: number, from: number, to: number, referenceMs = from): number[] {
  const ids = connectorId === 0 ? [0, ...ctx.connectorIds] : [connectorId];
  const instants = new Set<number>();
  for (const id of ids) {
    const relativeStart = (id === 0 ? undefined : ctx.transactionStartMs(id)) ?? referenceMs;
    for (const e of relevant(ctx.profiles, id)) for (const t of changeInstants(e.profile, from, to, relativeStart)) instants.add(t);
  }
  return [...instants].sort((a, b) => a - b);
}

/** A limit in W as a value of `unit` (one decimal, rounded down so it never allows more: the schema's multipleOf 0.1). */
export function fromWatts(watts: number, unit: ChargingRateUnit, phases: number, wiring: Wiring): number {
  const value = unit === 'W' ? watts : watts / (phases * wiring.voltageV);
  return Math.floor(value * 10 + 1e-6) / 10;
}

/**
 * GetCompositeSchedule (§5.7): the limit the charger will apply on `connectorId` from `startMs` for
 * `durationS` seconds, in `unit`, as periods. The charger's hardware maximum bounds it, so a
 * connector without profiles reports what the hardware allows.
 */
export function compositeSchedule(ctx: LimitContext, connectorId: number, startMs: number, durationS: number, unit: ChargingRateUnit): CompositeSchedule {
  const end = startMs + durationS * 1000;
  const instants = [startMs, ...limitChanges(ctx, connectorId, startMs, end).filter((t) => t < end)];
  const periods: CompositeSchedule['chargingSchedulePeriod'] = [];
  for (const t of instants) {
    const { limitW, phases } = limitAt(ctx, connectorId, t, startMs);
    const hardwareW = ctx.hardwareMaxW(phases) * (connectorId === 0 ? ctx.connectorIds.length : 1);
    const cappedW = Math.min(limitW ?? Infinity, hardwareW);
    const period = { startPeriod: Math.round((t - startMs) / 1000), limit: fromWatts(cappedW, unit, phases, ctx.wiring), ...(phases !== 3 ? { numberPhases: phases } : {}) };
    const last = periods[periods.length - 1];
    if (last && last.startPeriod === period.startPeriod) periods.pop();
    const previous = periods[periods.length - 1];
    if (previous && previous.limit === period.limit && previous.numberPhases === period.numberPhases) continue;
    periods.push(period);
  }
  return { duration: durationS, startSchedule: new Date(startMs).toISOString(), chargingRateUnit: unit, chargingSchedulePeriod: periods };
}
