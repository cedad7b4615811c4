/**
 * The rules a charging profile must follow before it is sent (OCPP 1.6 §3.13, §5.16, §7.8–7.10,
 * and the Smart Charging keys of §9.4), so a profile a charger would reject, or worse silently
 * misread, never leaves the CSMS. Each problem names the field it is about, as the API reports
 * it (`body.csChargingProfiles.chargingSchedule.chargingSchedulePeriod[1].startPeriod`).
 *
 * The charger's own limits come from what it reported (its keys as the configuration
 * reconciliation last read them, `chargerProfileLimits`); a limit it never reported is not
 * checked: the charger decides. Pure: read by the API and by workflow code.
 */
import type { ChargingProfile, ChargingSchedule } from './ocpp16-messages';

export type ChargingRateUnit = ChargingSchedule['chargingRateUnit'];

/** The Smart Charging limits a charger reports (§9.4); undefined: not reported. */
export interface ChargerProfileLimits {
  /** ChargeProfileMaxStackLevel. */
  maxStackLevel?: number;
  /** ChargingScheduleAllowedChargingRateUnit, as units (Current → A, Power → W). */
  allowedUnits?: ChargingRateUnit[];
  /** ChargingScheduleMaxPeriods. */
  maxPeriods?: number;
  /** MaxChargingProfilesInstalled. */
  maxInstalled?: number;
}

export interface ProfileProblem {
  field: string;
  problem: string;
}

/** What the rules need to know about the charger and the connector beyond the profile itself. */
export interface ProfileContext {
  limits: ChargerProfileLimits;
  /** The connector has a transaction running (a TxProfile needs one, §3.13.1); undefined: not known. */
  transactionRunning?: boolean;
  /** The id of that transaction, when known: a TxProfile naming another is refused. */
  runningTransactionId?: number;
  /**
   * Ids of profiles known to be installed on the charger (the CSMS's own), so a new id that would
   * pass MaxChargingProfilesInstalled is refused; an id among them replaces, not adds.
   */
  installedProfileIds?: number[];
}

const keyInt = (keys: ReadonlyArray<{ key: string; value?: string }>, name: string): number | undefined => {
  const value = keys.find((k) => k.key === name)?.value;
  if (value === undefined || !/^\s*\d+\s*$/.test(value)) return undefined;
  return Number.parseInt(value, 10);
};

/** The charger's limits from its configuration keys as it reported them. */
export function chargerProfileLimits(keys: ReadonlyArray<{ key: string; value?: string }> | null | undefined): ChargerProfileLimits {
  if (!keys) return {};
  const units = keys.find((k) => k.key === 'ChargingScheduleAllowedChargingRateUnit')?.value;
  const allowedUnits = units
    ?.split(',')
    .map((u) => u.trim())
    .flatMap((u): ChargingRateUnit[] => (u === 'Current' ? ['A'] : u === 'Power' ? ['W'] : []));
  return {
    maxStackLevel: keyInt(keys, 'ChargeProfileMaxStackLevel'),
    allowedUnits: allowedUnits && allowedUnits.length > 0 ? allowedUnits : undefined,
    maxPeriods: keyInt(keys, 'ChargingScheduleMaxPeriods'),
    maxInstalled: keyInt(keys, 'MaxChargingProfilesInstalled'),
  };
}

/** OCPP 1.6 decimals in profiles take at most one digit after the point (§7.10 "e.g. 8.1"). */
export function hasAtMostOneDecimal(n: number): boolean {
  return Number.isFinite(n) && Math.abs(Math.round(n * 10) - n * 10) < 1e-9;
}

const isInt = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n);
const isDate = (s: string | undefined): boolean => s !== undefined && !Number.isNaN(Date.parse(s));
const unitWord = { A: 'Current', W: 'Power' } as const;

/** §7.8: a Daily recurrence repeats every day, a Weekly one every week; a schedule longer than that overlaps itself. */
const recurrenceSeconds = { Daily: 86_400, Weekly: 604_800 } as const;

/**
 * Every problem with a SetChargingProfile's connectorId and profile; empty: it may be sent.
 * `at` prefixes every field name (the request's path: `body`).
 */
export function checkSetChargingProfile(
  request: { connectorId: number; csChargingProfiles: ChargingProfile },
  context: ProfileContext,
  at = 'body',
): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  const add = (field: string, problem: string) => problems.push({ field: `${at}.${field}`, problem });
  const { connectorId, csChargingProfiles: p } = request;
  const { limits } = context;
  const pf = 'csChargingProfiles';

  if (!isInt(connectorId) || connectorId < 0) add('connectorId', 'must be an integer ≥ 0 (0: the whole station)');
  if (!isInt(p.chargingProfileId)) add(`${pf}.chargingProfileId`, 'must be an integer');

  if (!isInt(p.stackLevel) || p.stackLevel < 0) add(`${pf}.stackLevel`, 'must be an integer ≥ 0');
  else if (limits.maxStackLevel !== undefined && p.stackLevel > limits.maxStackLevel) {
    add(`${pf}.stackLevel`, `must be at most ${limits.maxStackLevel}, the station's ChargeProfileMaxStackLevel`);
  }

  // Where each purpose may go (§3.13.1, §7.9).
  switch (p.chargingProfilePurpose) {
    case 'ChargePointMaxProfile':
      if (connectorId !== 0) add('connectorId', 'must be 0: a ChargePointMaxProfile limits the whole station');
      break;
    case 'TxDefaultProfile':
      break;
    case 'TxProfile':
      if (connectorId === 0) add('connectorId', 'must be a connector (≥ 1): a TxProfile applies to the transaction on one connector');
      else if (context.transactionRunning === false) add('connectorId', `connector ${connectorId} has no transaction running: a TxProfile needs one (use a TxDefaultProfile)`);
      break;
    default:
      add(`${pf}.chargingProfilePurpose`, 'must be ChargePointMaxProfile, TxDefaultProfile or TxProfile');
  }
  if (p.transactionId !== undefined) {
    if (p.chargingProfilePurpose !== 'TxProfile') add(`${pf}.transactionId`, 'only a TxProfile names a transaction');
    else if (!isInt(p.transactionId)) add(`${pf}.transactionId`, 'must be an integer');
    else if (context.runningTransactionId !== undefined && p.transactionId !== context.runningTransactionId) {
      add(`${pf}.transactionId`, `must be the transaction running on connector ${connectorId} (${context.runningTransactionId})`);
    }
  }

  // The kind and the fields each needs (§7.8, §7.10).
  const start = p.chargingSchedule?.startSchedule;
  switch (p.chargingProfileKind) {
    case 'Absolute':
      if (start === undefined) add(`${pf}.chargingSchedule.startSchedule`, 'is required for an Absolute profile (the fixed point its periods count from)');
      break;
    case 'Recurring':
      if (start === undefined) add(`${pf}.chargingSchedule.startSchedule`, 'is required for a Recurring profile (the start of its first recurrence)');
      if (p.recurrencyKind === undefined) add(`${pf}.recurrencyKind`, 'is required for a Recurring profile (Daily or Weekly)');
      break;
    case 'Relative':
      if (start !== undefined) add(`${pf}.chargingSchedule.startSchedule`, 'must be absent for a Relative profile (it starts when the charger starts charging)');
      break;
    default:
      add(`${pf}.chargingProfileKind`, 'must be Absolute, Recurring or Relative');
  }
  if (p.recurrencyKind !== undefined) {
    if (p.chargingProfileKind !== 'Recurring') add(`${pf}.recurrencyKind`, 'only a Recurring profile has a recurrencyKind');
    else if (!(p.recurrencyKind in recurrenceSeconds)) add(`${pf}.recurrencyKind`, 'must be Daily or Weekly');
  }
  if (start !== undefined && !isDate(start)) add(`${pf}.chargingSchedule.startSchedule`, 'must be an ISO 8601 date-time');

  if (p.validFrom !== undefined && !isDate(p.validFrom)) add(`${pf}.validFrom`, 'must be an ISO 8601 date-time');
  if (p.validTo !== undefined && !isDate(p.validTo)) add(`${pf}.validTo`, 'must be an ISO 8601 date-time');
  if (isDate(p.validFrom) && isDate(p.validTo) && Date.parse(p.validFrom!) >= Date.parse(p.validTo!)) add(`${pf}.validTo`, 'must be after validFrom');

  problems.push(...checkChargingSchedule(p.chargingSchedule, limits, `${at}.${pf}.chargingSchedule`, p.chargingProfileKind === 'Recurring' ? p.recurrencyKind : undefined));

  // MaxChargingProfilesInstalled: only what the CSMS knows it installed can be counted.
  const installed = context.installedProfileIds;
  if (limits.maxInstalled !== undefined && installed && !installed.includes(p.chargingProfileId) && installed.length + 1 > limits.maxInstalled) {
    add(`${pf}.chargingProfileId`, `the station holds at most ${limits.maxInstalled} profiles (MaxChargingProfilesInstalled) and has ${installed.length} installed`);
  }
  return problems;
}

/** The schedule's own rules: unit, periods from 0 in ascending order, limits, phases, duration. */
export function checkChargingSchedule(
  schedule: ChargingSchedule | undefined,
  limits: ChargerProfileLimits,
  at: string,
  recurrency?: 'Daily' | 'Weekly',
): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  const add = (field: string, problem: string) => problems.push({ field: `${at}.${field}`, problem });
  if (!schedule) return [{ field: at, problem: 'is required' }];

  if (schedule.chargingRateUnit !== 'A' && schedule.chargingRateUnit !== 'W') add('chargingRateUnit', 'must be A (current per phase) or W (power)');
  else if (limits.allowedUnits && !limits.allowedUnits.includes(schedule.chargingRateUnit)) {
    add(
      'chargingRateUnit',
      `the station accepts only ${limits.allowedUnits.join(', ')} (ChargingScheduleAllowedChargingRateUnit: ${limits.allowedUnits.map((u) => unitWord[u]).join(',')})`,
    );
  }

  if (schedule.duration !== undefined) {
    if (!isInt(schedule.duration) || schedule.duration < 0) add('duration', 'must be an integer number of seconds ≥ 0');
    else if (recurrency && schedule.duration > recurrenceSeconds[recurrency]) add('duration', `must be at most ${recurrenceSeconds[recurrency]} s for a ${recurrency} recurrence`);
  }
  if (schedule.minChargingRate !== undefined && (!(schedule.minChargingRate >= 0) || !hasAtMostOneDecimal(schedule.minChargingRate))) {
    add('minChargingRate', 'must be ≥ 0 with at most one decimal');
  }

  const periods = schedule.chargingSchedulePeriod ?? [];
  if (periods.length === 0) add('chargingSchedulePeriod', 'must have at least one period');
  if (limits.maxPeriods !== undefined && periods.length > limits.maxPeriods) {
    add('chargingSchedulePeriod', `must have at most ${limits.maxPeriods} periods, the station's ChargingScheduleMaxPeriods`);
  }
  periods.forEach((period, i) => {
    const pf = `chargingSchedulePeriod[${i}]`;
    if (!isInt(period.startPeriod) || period.startPeriod < 0) add(`${pf}.startPeriod`, 'must be an integer number of seconds ≥ 0');
    else if (i === 0 && period.startPeriod !== 0) add(`${pf}.startPeriod`, 'must be 0: the first period starts with the schedule');
    else if (i > 0 && period.startPeriod <= periods[i - 1]!.startPeriod) add(`${pf}.startPeriod`, `must be after the previous period's (${periods[i - 1]!.startPeriod})`);
    else if (isInt(schedule.duration) && i > 0 && period.startPeriod >= schedule.duration) add(`${pf}.startPeriod`, `must be before the schedule's end (duration ${schedule.duration} s)`);
    if (typeof period.limit !== 'number' || !(period.limit >= 0) || !hasAtMostOneDecimal(period.limit)) add(`${pf}.limit`, 'must be ≥ 0 with at most one decimal');
    if (period.numberPhases !== undefined && (!isInt(period.numberPhases) || period.numberPhases < 1 || period.numberPhases > 3)) {
      add(`${pf}.numberPhases`, 'must be 1, 2 or 3');
    }
  });
  return problems;
}
