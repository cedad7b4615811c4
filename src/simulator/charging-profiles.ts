/**
 * The charging profiles installed on the charger (OCPP 1.6 §3.13, §5.5, §5.16) and the checks a
 * new one must pass. Pure bookkeeping: the charge point decides when to call it.
 *
 * - §5.16: a profile with the same chargingProfileId, or the same stackLevel and purpose (on the
 *   same connector), replaces the installed one; otherwise it is added.
 * - §3.13.1: a ChargePointMaxProfile only on connector 0; a TxProfile only on a connector with a
 *   running transaction (OCTT TC_058_1_CS: Rejected without one), and for that transaction when
 *   it names one; it ends with its transaction.
 * - §9.4 keys bound what is accepted: ChargeProfileMaxStackLevel, ChargingScheduleAllowedChargingRateUnit,
 *   ChargingScheduleMaxPeriods, MaxChargingProfilesInstalled.
 * - §5.5 ClearChargingProfile: by id, or by the criteria given (connectorId, purpose, stackLevel);
 *   none given clears every profile.
 */
import type { ChargingProfile, ClearChargingProfileRequest } from '../ocpp/ocpp16-messages';
import type { InstalledProfile } from './composite-schedule';

/** The charger's limits on profiles (its §9.4 configuration values) and what it knows of its connectors. */
export interface ProfileLimits {
  maxStackLevel: number;
  /** chargingRateUnit values allowed (ChargingScheduleAllowedChargingRateUnit: Current → A, Power → W). */
  allowedUnits: readonly string[];
  maxPeriods: number;
  maxInstalled: number;
  connectorIds: readonly number[];
  /** The running transaction on a connector: `id` undefined while StartTransaction is unanswered. */
  transaction(connectorId: number): { id?: number } | undefined;
}

/** An installed profile as the charge point reports it: the SetChargingProfile.req shape, the profile's fields also at the top. */
export type InstalledChargingProfile = ChargingProfile & { connectorId: number; csChargingProfiles: ChargingProfile };

/** Maps ChargingScheduleAllowedChargingRateUnit entries to chargingRateUnit values. */
export function allowedRateUnits(configured: readonly string[]): string[] {
  return configured.map((u) => (u === 'Current' ? 'A' : u === 'Power' ? 'W' : u));
}

export class ChargingProfileStore {
  private installed: InstalledProfile[] = [];
  private seq = 0;

  /** Installed profiles (optionally of one connector), in installation order. */
  list(connectorId?: number): InstalledProfile[] {
    return this.installed.filter((e) => connectorId === undefined || e.connectorId === connectorId);
  }

  get size(): number {
    return this.installed.length;
  }

  /**
   * Why `profile` on `connectorId` must be Rejected, or undefined when it may be installed.
   * `fromRemoteStart`: the profile of a RemoteStartTransaction, checked before its transaction exists.
   */
  rejection(connectorId: number, profile: ChargingProfile, limits: ProfileLimits, fromRemoteStart = false): string | undefined {
    const schedule = profile.chargingSchedule;
    const periods = schedule.chargingSchedulePeriod;
    if (connectorId !== 0 && !limits.connectorIds.includes(connectorId)) return `unknown connector ${connectorId}`;
    if (!Number.isInteger(profile.stackLevel) || profile.stackLevel < 0) return 'stackLevel must be a non-negative integer';
    if (profile.stackLevel > limits.maxStackLevel) return `stackLevel ${profile.stackLevel} above ChargeProfileMaxStackLevel ${limits.maxStackLevel}`;
    if (!limits.allowedUnits.includes(schedule.chargingRateUnit)) return `chargingRateUnit ${schedule.chargingRateUnit} not in ChargingScheduleAllowedChargingRateUnit`;
    if (periods.length === 0) return 'no chargingSchedulePeriod';
    if (periods.length > limits.maxPeriods) return `${periods.length} periods, more than ChargingScheduleMaxPeriods ${limits.maxPeriods}`;
    if (periods.some((p, i) => !Number.isInteger(p.startPeriod) || p.startPeriod < 0 || (i > 0 && p.startPeriod <= periods[i - 1].startPeriod))) {
      return 'startPeriod values must be whole seconds, ascending';
    }
    if (periods.some((p) => !(p.limit >= 0))) return 'a period limit is negative';
    if (periods.some((p) => p.numberPhases !== undefined && ![1, 2, 3].includes(p.numberPhases))) return 'numberPhases must be 1, 2 or 3';
    if (schedule.duration !== undefined && schedule.duration < 0) return 'negative duration';
    if (profile.chargingProfileKind === 'Recurring' && (!profile.recurrencyKind || schedule.startSchedule === undefined)) {
      return 'a Recurring profile needs recurrencyKind and startSchedule';
    }
    const dates = [profile.validFrom, profile.validTo, schedule.startSchedule].filter((d): d is string => d !== undefined);
    if (dates.some((d) => Number.isNaN(Date.parse(d)))) return 'unreadable date';
    // §7.8 transactionId: "Only valid if ChargingProfilePurpose is set to TxProfile".
    if (profile.transactionId !== undefined && profile.chargingProfilePurpose !== 'TxProfile') return `a ${profile.chargingProfilePurpose} names no transaction`;
    switch (profile.chargingProfilePurpose) {
      case 'ChargePointMaxProfile':
        if (connectorId !== 0) return 'a ChargePointMaxProfile is set on connector 0 only';
        break;
      case 'TxProfile': {
        if (connectorId === 0) return 'a TxProfile is set on the connector of its transaction';
        if (fromRemoteStart) {
          if (profile.transactionId !== undefined) return 'the profile of a RemoteStartTransaction has no transactionId yet';
          break;
        }
        const tx = limits.transaction(connectorId);
        if (!tx) return `no transaction on connector ${connectorId}`;
        if (profile.transactionId !== undefined && tx.id !== undefined && profile.transactionId !== tx.id) return `transaction ${profile.transactionId} is not running on connector ${connectorId}`;
        break;
      }
      case 'TxDefaultProfile':
        break;
    }
    const replaced = this.replacedBy(connectorId, profile);
    if (this.installed.length - replaced.length + 1 > limits.maxInstalled) return `MaxChargingProfilesInstalled ${limits.maxInstalled} reached`;
    return undefined;
  }

  /** Installs `profile` (call rejection() first), replacing per §5.16. */
  install(connectorId: number, profile: ChargingProfile): void {
    const replaced = new Set(this.replacedBy(connectorId, profile));
    this.installed = this.installed.filter((e) => !replaced.has(e));
    this.installed.push({ connectorId, profile: structuredClone(profile), seq: ++this.seq });
  }

  /** §5.5: removes the profiles matching the request; returns how many. */
  clear(request: ClearChargingProfileRequest): number {
    const before = this.installed.length;
    this.installed = this.installed.filter((e) => !matches(e, request));
    return before - this.installed.length;
  }

  /** §3.13.1: a TxProfile ends with its transaction. */
  transactionEnded(connectorId: number): number {
    return this.clear({ connectorId, chargingProfilePurpose: 'TxProfile' });
  }

  /** The transaction's id became known: its TxProfiles name it (§5.11 NOTE). */
  transactionIdKnown(connectorId: number, transactionId: number): void {
    for (const e of this.installed) {
      if (e.connectorId === connectorId && e.profile.chargingProfilePurpose === 'TxProfile' && e.profile.transactionId === undefined) e.profile.transactionId = transactionId;
    }
  }

  clearAll(): void {
    this.installed = [];
  }

  private replacedBy(connectorId: number, profile: ChargingProfile): InstalledProfile[] {
    return this.installed.filter(
      (e) =>
        e.profile.chargingProfileId === profile.chargingProfileId ||
        (e.connectorId === connectorId && e.profile.stackLevel === profile.stackLevel && e.profile.chargingProfilePurpose === profile.chargingProfilePurpose),
    );
  }
}

/**
 * §5.5: with an id, that profile (the id identifies it on its own); otherwise every given criterion
 * must match, an absent one matching all.
 */
function matches(e: InstalledProfile, r: ClearChargingProfileRequest): boolean {
  if (r.id !== undefined) return e.profile.chargingProfileId === r.id;
  if (r.connectorId !== undefined && e.connectorId !== r.connectorId) return false;
  if (r.chargingProfilePurpose !== undefined && e.profile.chargingProfilePurpose !== r.chargingProfilePurpose) return false;
  if (r.stackLevel !== undefined && e.profile.stackLevel !== r.stackLevel) return false;
  return true;
}

/** The profile as reported by `chargingProfiles()`. */
export function reportedProfile(e: InstalledProfile): InstalledChargingProfile {
  return { ...structuredClone(e.profile), connectorId: e.connectorId, csChargingProfiles: structuredClone(e.profile) };
}
