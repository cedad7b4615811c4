/**
 * Smart charging of OCPP 2.0.1 (K01 SetChargingProfile, K10 ClearChargingProfile, K08
 * GetCompositeSchedule, F01 a TxProfile with RequestStartTransaction). Profiles are validated as
 * K01 requires and within the SmartChargingCtrlr limits (ProfileStackLevel, PeriodsPerSchedule,
 * RateUnit, Entries); the composite limit is computed by the 1.6 simulator's composite-schedule.ts
 * (the stacking and combining rules are the same), fed with profiles translated to its shape.
 */
import { InstalledProfile, LimitContext, compositeSchedule, limitAt } from '../composite-schedule';
import type { StationHost } from './features';

export interface ChargingProfile201 {
  id: number;
  stackLevel: number;
  chargingProfilePurpose: 'ChargingStationMaxProfile' | 'TxDefaultProfile' | 'TxProfile' | 'ChargingStationExternalConstraints';
  chargingProfileKind: 'Absolute' | 'Recurring' | 'Relative';
  recurrencyKind?: 'Daily' | 'Weekly';
  validFrom?: string;
  validTo?: string;
  transactionId?: string;
  chargingSchedule: Array<{
    id: number;
    startSchedule?: string;
    duration?: number;
    chargingRateUnit: 'A' | 'W';
    chargingSchedulePeriod: Array<{ startPeriod: number; limit: number; numberPhases?: number; phaseToUse?: number }>;
    minChargingRate?: number;
  }>;
}

type Profile16 = InstalledProfile['profile'];

interface Installed {
  evseId: number;
  profile: ChargingProfile201;
  seq: number;
}

/** The 1.6-shaped profile the composite-schedule arithmetic reads. */
function as16(profile: ChargingProfile201): Profile16 {
  const s = profile.chargingSchedule[0];
  return {
    chargingProfileId: profile.id,
    stackLevel: profile.stackLevel,
    chargingProfilePurpose: profile.chargingProfilePurpose === 'ChargingStationMaxProfile' ? 'ChargePointMaxProfile' : (profile.chargingProfilePurpose as 'TxDefaultProfile' | 'TxProfile'),
    chargingProfileKind: profile.chargingProfileKind,
    ...(profile.recurrencyKind ? { recurrencyKind: profile.recurrencyKind } : {}),
    ...(profile.validFrom ? { validFrom: profile.validFrom } : {}),
    ...(profile.validTo ? { validTo: profile.validTo } : {}),
    chargingSchedule: {
      ...(s.duration !== undefined ? { duration: s.duration } : {}),
      ...(s.startSchedule ? { startSchedule: s.startSchedule } : {}),
      chargingRateUnit: s.chargingRateUnit,
      chargingSchedulePeriod: s.chargingSchedulePeriod.map((p) => ({ startPeriod: p.startPeriod, limit: p.limit, ...(p.numberPhases !== undefined ? { numberPhases: p.numberPhases } : {}) })),
    },
  };
}

export class SmartCharging201 {
  private profiles: Installed[] = [];
  private seq = 0;
  private readonly transactions = new Map<number, { id: string; startedMs: number }>();

  constructor(private readonly host: StationHost) {
    host.handle('SetChargingProfile', (p) => this.set(Number(p.evseId), p.chargingProfile));
    host.handle('ClearChargingProfile', (p) => this.clear(p));
    host.handle('GetCompositeSchedule', (p) => this.composite(p));
  }

  installed(evseId?: number): Installed[] {
    return this.profiles.filter((e) => evseId === undefined || e.evseId === evseId).map((e) => ({ ...e }));
  }

  /** Why K01 refuses the profile on this EVSE, or undefined when it is valid. */
  problem(evseId: number, profile: ChargingProfile201, forRemoteStart = false): string | undefined {
    const dm = this.host.deviceModel;
    if (!dm.flag('SmartChargingCtrlr.Enabled')) return 'smart charging disabled';
    if (evseId !== 0 && !this.host.evseIds().includes(evseId)) return 'unknown EVSE';
    if (profile.stackLevel < 0 || profile.stackLevel > dm.integer('SmartChargingCtrlr.ProfileStackLevel')) return 'stackLevel above ProfileStackLevel';
    const purpose = profile.chargingProfilePurpose;
    if (purpose === 'ChargingStationExternalConstraints') return 'ChargingStationExternalConstraints cannot be set by the CSMS'; // K01.FR.22
    if (purpose === 'ChargingStationMaxProfile' && evseId !== 0) return 'ChargingStationMaxProfile needs evseId 0';
    if (purpose === 'TxProfile' && !forRemoteStart) {
      if (evseId === 0) return 'TxProfile needs an EVSE'; // K01.FR.16
      const tx = this.transactions.get(evseId);
      if (!tx) return 'no transaction on the EVSE'; // K01.FR.09
      if (profile.transactionId !== undefined && profile.transactionId !== tx.id) return 'transactionId is not the EVSE transaction'; // K01.FR.33
    }
    if (purpose !== 'TxProfile' && profile.transactionId !== undefined) return 'transactionId only for TxProfile';
    if (profile.validFrom && profile.validTo && Date.parse(profile.validTo) <= Date.parse(profile.validFrom)) return 'validTo before validFrom';
    const units = dm.list('SmartChargingCtrlr.RateUnit');
    for (const s of profile.chargingSchedule) {
      if (!units.includes(s.chargingRateUnit)) return `chargingRateUnit ${s.chargingRateUnit} not in RateUnit`; // K01.FR.26
      const periods = s.chargingSchedulePeriod;
      if (periods.length > dm.integer('SmartChargingCtrlr.PeriodsPerSchedule')) return 'more periods than PeriodsPerSchedule';
      if (periods[0].startPeriod !== 0) return 'the first startPeriod must be 0'; // K01.FR.31
      if (periods.some((p, i) => i > 0 && p.startPeriod <= periods[i - 1].startPeriod)) return 'startPeriod must increase'; // K01.FR.35
      if (periods.some((p) => p.limit < 0)) return 'negative limit';
      if (periods.some((p) => p.numberPhases !== undefined && (p.numberPhases < 1 || p.numberPhases > 3))) return 'numberPhases must be 1–3';
      if (profile.chargingProfileKind === 'Relative' && s.startSchedule) return 'a Relative profile has no startSchedule'; // K01.FR.41
      if (profile.chargingProfileKind !== 'Relative' && !s.startSchedule) return 'startSchedule required'; // K01.FR.40
    }
    if (profile.chargingProfileKind === 'Recurring' && !profile.recurrencyKind) return 'recurrencyKind required';
    // K01.FR.39: one profile per purpose, stackLevel and EVSE (another id there is refused).
    if (this.profiles.some((e) => e.profile.id !== profile.id && e.evseId === evseId && e.profile.chargingProfilePurpose === purpose && e.profile.stackLevel === profile.stackLevel)) {
      return 'another profile has this purpose and stackLevel';
    }
    const max = dm.byKey('SmartChargingCtrlr.Entries')?.maxLimit ?? Infinity;
    if (!this.profiles.some((e) => e.profile.id === profile.id) && this.profiles.length >= max) return 'no room for another profile';
    return undefined;
  }

  private set(evseId: number, profile: ChargingProfile201): Record<string, unknown> {
    const problem = this.problem(evseId, profile);
    if (problem) {
      this.host.emit('chargingProfileRejected', { evseId, id: profile.id, problem });
      return { status: 'Rejected', statusInfo: { reasonCode: 'InvalidProfile', additionalInfo: problem.slice(0, 512) } };
    }
    this.install(evseId, profile);
    return { status: 'Accepted' };
  }

  /** K01.FR.05: a profile with the same id replaces the installed one. */
  install(evseId: number, profile: ChargingProfile201): void {
    this.profiles = this.profiles.filter((e) => e.profile.id !== profile.id);
    const tx = this.transactions.get(evseId);
    const stored = profile.chargingProfilePurpose === 'TxProfile' && tx && profile.transactionId === undefined ? { ...profile, transactionId: tx.id } : profile;
    this.profiles.push({ evseId, profile: stored, seq: ++this.seq });
    this.changed();
  }

  private clear(p: Record<string, any>): { status: string } {
    const criteria = p.chargingProfileCriteria ?? {};
    const before = this.profiles.length;
    this.profiles = this.profiles.filter((e) => {
      if (p.chargingProfileId !== undefined) return e.profile.id !== p.chargingProfileId;
      const matches =
        (criteria.evseId === undefined || criteria.evseId === e.evseId) &&
        (criteria.chargingProfilePurpose === undefined || criteria.chargingProfilePurpose === e.profile.chargingProfilePurpose) &&
        (criteria.stackLevel === undefined || criteria.stackLevel === e.profile.stackLevel);
      return !matches;
    });
    if (this.profiles.length === before) return { status: 'Unknown' };
    this.changed();
    return { status: 'Accepted' };
  }

  private composite(p: Record<string, any>): Record<string, unknown> {
    const evseId = Number(p.evseId);
    if (evseId !== 0 && !this.host.evseIds().includes(evseId)) return { status: 'Rejected', statusInfo: { reasonCode: 'UnknownEVSE' } };
    const unit = (p.chargingRateUnit ?? 'W') as 'A' | 'W';
    if (!this.host.deviceModel.list('SmartChargingCtrlr.RateUnit').includes(unit)) return { status: 'Rejected', statusInfo: { reasonCode: 'UnsupportedRateUnit' } };
    const start = Date.now();
    const schedule = compositeSchedule(this.context(), evseId, start, Number(p.duration), unit);
    return {
      status: 'Accepted',
      schedule: { evseId, duration: schedule.duration, scheduleStart: schedule.startSchedule, chargingRateUnit: unit, chargingSchedulePeriod: schedule.chargingSchedulePeriod },
    };
  }

  private context(): LimitContext {
    const wiring = { phases: 3 as const, voltageV: 230 };
    const profiles: InstalledProfile[] = this.profiles.map((e) => ({ connectorId: e.evseId, profile: as16(e.profile), seq: e.seq }));
    return {
      profiles,
      wiring,
      transactionStartMs: (id) => this.transactions.get(id)?.startedMs,
      hardwareMaxW: (phases) => 32 * phases * wiring.voltageV,
      connectorIds: this.host.evseIds(),
    };
  }

  /** The composite limit on the EVSE now, W. */
  limitW(evseId: number): number | undefined {
    if (this.profiles.length === 0) return undefined;
    return limitAt(this.context(), evseId, Date.now()).limitW;
  }

  transactionStarted(evseId: number, transactionId: string): void {
    this.transactions.set(evseId, { id: transactionId, startedMs: Date.now() });
  }

  /** K01.FR.?: a TxProfile ends with its transaction. */
  transactionEnded(evseId: number): void {
    this.transactions.delete(evseId);
    const before = this.profiles.length;
    this.profiles = this.profiles.filter((e) => !(e.evseId === evseId && e.profile.chargingProfilePurpose === 'TxProfile'));
    if (this.profiles.length !== before) this.changed();
  }

  private changed(): void {
    this.host.deviceModel.setInternal('SmartChargingCtrlr.Entries[ChargingProfiles]', String(this.profiles.length));
    this.host.powerLimitsChanged();
    this.host.emit('chargingProfilesChanged', this.installed());
  }
}
