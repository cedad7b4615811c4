/**
 * Smart Charging profile, charge point side (OCPP 1.6 §3.13): SetChargingProfile (§5.16),
 * ClearChargingProfile (§5.5), GetCompositeSchedule (§5.7) and the profile of a
 * RemoteStartTransaction (§5.11). It keeps the installed profiles, answers the commands, and tells
 * the charge point when the limits change (a profile set or cleared, a schedule period beginning),
 * so connectors' power follows. Without 'SmartCharging' in SupportedFeatureProfiles its commands
 * are not implemented (CALLERROR NotImplemented).
 */
import { createRPCError } from 'ocpp-rpc';
import type { ChargingProfile, ClearChargingProfileRequest } from '../ocpp/ocpp16-messages';
import type { Logger } from '../logger';
import type { ConfigurationStore } from './configuration';
import { ChargingProfileStore, InstalledChargingProfile, ProfileLimits, allowedRateUnits, reportedProfile } from './charging-profiles';
import { ChargingRateUnit, InstantLimit, LimitContext, Wiring, chargePointMaxAt, compositeSchedule, limitAt, limitChanges } from './composite-schedule';

export interface SmartChargingOptions {
  /** false: every profile is lost when the charger reboots (default true: kept, as the spec expects). */
  keepProfilesOnReboot?: boolean;
  /**
   * true: the connectors charging together share the ChargePointMaxProfile's limit (their total
   * stays within it). Default false: each connector is capped by it on its own.
   */
  shareChargePointMax?: boolean;
}

type Behaviour = 'accept' | 'reject' | 'ignore' | 'callerror' | 'reboot_required' | 'not_supported';

export interface SmartChargingHost {
  logger: Logger;
  configuration: ConfigurationStore;
  wiring: Wiring;
  connectorIds(): number[];
  /** The connector's running transaction (`id` undefined until StartTransaction is answered). */
  transaction(connectorId: number): { id?: number; startedAt: string } | undefined;
  /** The connector's hardware maximum, W, charging on `phases` phases. */
  hardwareMaxW(phases: number): number;
  /** The limits changed: recompute what every connector draws. */
  limitsChanged(): void;
  emit(event: string, value: unknown): void;
}

const DAY_MS = 86_400_000;
/** A period boundary is applied this long after it, so the limit evaluated is the new one. */
const BOUNDARY_MARGIN_MS = 5;

export class SmartCharging {
  readonly profiles = new ChargingProfileStore();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly host: SmartChargingHost,
    private readonly options: SmartChargingOptions = {},
  ) {}

  /** 'SmartCharging' is declared in SupportedFeatureProfiles. */
  get supported(): boolean {
    return this.host.configuration.list('SupportedFeatureProfiles').includes('SmartCharging');
  }

  installed(connectorId?: number): InstalledChargingProfile[] {
    return this.profiles.list(connectorId).map(reportedProfile);
  }

  /** The profiles' limit on a connector (0: the grid connection) at `at`, with the phases usable then. */
  limitAt(connectorId: number, at = Date.now()): InstantLimit {
    return limitAt(this.context(), connectorId, at);
  }

  /** The ChargePointMaxProfile's limit alone at `at` (for sharing it among connectors). */
  chargePointMaxAt(at = Date.now()): InstantLimit {
    return chargePointMaxAt(this.context(), at);
  }

  /** SetChargingProfile (§5.16). */
  setChargingProfile(params: Record<string, any>, behaviour: Behaviour): Record<string, unknown> {
    this.requireSupported('SetChargingProfile');
    if (behaviour === 'not_supported') return { status: 'NotSupported' };
    if (behaviour !== 'accept') return { status: 'Rejected' };
    const connectorId = Number(params.connectorId);
    const profile = params.csChargingProfiles as ChargingProfile;
    const reason = this.profiles.rejection(connectorId, profile, this.limits());
    this.host.emit('chargingProfileSet', { connectorId, profile, status: reason ? 'Rejected' : 'Accepted', reason });
    if (reason) {
      this.host.logger.debug({ connectorId, chargingProfileId: profile.chargingProfileId, reason }, 'SetChargingProfile rejected');
      return { status: 'Rejected' };
    }
    this.profiles.install(connectorId, profile);
    // A TxProfile is for the running transaction (§3.13.1): it names it once the id is known.
    const tx = profile.chargingProfilePurpose === 'TxProfile' ? this.host.transaction(connectorId) : undefined;
    if (tx?.id !== undefined) this.profiles.transactionIdKnown(connectorId, tx.id);
    this.refresh();
    return { status: 'Accepted' };
  }

  /** ClearChargingProfile (§5.5): Accepted when a profile was removed, Unknown when none matched. */
  clearChargingProfile(params: Record<string, any>, behaviour: Behaviour): Record<string, unknown> {
    this.requireSupported('ClearChargingProfile');
    if (behaviour === 'not_supported') throw createRPCError('NotSupported', 'ClearChargingProfile is not supported');
    if (behaviour !== 'accept') return { status: 'Unknown' };
    const removed = this.profiles.clear(params as ClearChargingProfileRequest);
    this.host.emit('chargingProfileCleared', { ...params, removed });
    if (removed === 0) return { status: 'Unknown' };
    this.refresh();
    return { status: 'Accepted' };
  }

  /**
   * GetCompositeSchedule (§5.7): the limit from now for `duration` seconds, in the requested unit
   * (§6.33 "can be used to force a power or current profile": converted with the wiring, even on a
   * charger that accepts profiles in one unit only) or the charger's own (the first of
   * ChargingScheduleAllowedChargingRateUnit). Rejected for an unknown connector.
   */
  getCompositeSchedule(params: Record<string, any>, behaviour: Behaviour): Record<string, unknown> {
    this.requireSupported('GetCompositeSchedule');
    if (behaviour === 'not_supported') throw createRPCError('NotSupported', 'GetCompositeSchedule is not supported');
    const connectorId = Number(params.connectorId);
    const units = this.allowedUnits();
    const unit = (params.chargingRateUnit ?? units[0] ?? 'A') as ChargingRateUnit;
    if (behaviour !== 'accept' || (connectorId !== 0 && !this.host.connectorIds().includes(connectorId))) return { status: 'Rejected' };
    const startMs = Math.floor(Date.now() / 1000) * 1000;
    const chargingSchedule = compositeSchedule(this.context(), connectorId, startMs, Math.max(0, Math.floor(Number(params.duration))), unit);
    return { status: 'Accepted', connectorId, scheduleStart: chargingSchedule.startSchedule, chargingSchedule };
  }

  /**
   * §5.11: a RemoteStartTransaction's chargingProfile SHALL be a TxProfile (OCTT TC_060_CS:
   * Rejected otherwise) and must fit the charger's limits. Undefined when it is acceptable.
   */
  remoteStartRejection(connectorId: number, profile: ChargingProfile): string | undefined {
    if (profile.chargingProfilePurpose !== 'TxProfile') return `a RemoteStartTransaction profile must be a TxProfile, not ${profile.chargingProfilePurpose}`;
    return this.profiles.rejection(connectorId, profile, this.limits(), true);
  }

  /** The transaction a RemoteStartTransaction asked for has started: its profile applies to it. */
  transactionStarted(connectorId: number, remoteStartProfile?: ChargingProfile): void {
    if (remoteStartProfile && this.supported) this.profiles.install(connectorId, remoteStartProfile);
    this.refresh();
  }

  transactionIdKnown(connectorId: number, transactionId: number): void {
    this.profiles.transactionIdKnown(connectorId, transactionId);
  }

  /** §3.13.1: the transaction's TxProfiles end with it. */
  transactionEnded(connectorId: number): void {
    this.profiles.transactionEnded(connectorId);
    this.refresh();
  }

  /** The charger restarts: profiles survive unless this charger is configured to lose them. */
  rebooting(): void {
    if (this.options.keepProfilesOnReboot === false && this.profiles.size > 0) {
      this.profiles.clearAll();
      this.host.emit('chargingProfilesLost', {});
    }
    this.refresh();
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Applies the current limits and waits for the next schedule boundary of a running transaction. */
  refresh(): void {
    this.host.limitsChanged();
    this.cancel();
    if (this.profiles.size === 0) return;
    const now = Date.now();
    const ctx = this.context();
    let next = now + DAY_MS; // re-evaluated at least daily: recurrences further away
    for (const id of this.host.connectorIds()) {
      if (!this.host.transaction(id)) continue;
      const first = limitChanges(ctx, id, now, next)[0];
      if (first !== undefined) next = Math.min(next, first);
    }
    this.timer = setTimeout(() => this.refresh(), next - now + BOUNDARY_MARGIN_MS);
    this.timer.unref();
  }

  private requireSupported(action: string): void {
    if (!this.supported) throw createRPCError('NotImplemented', `${action}: the Smart Charging profile is not supported`);
  }

  private allowedUnits(): string[] {
    return allowedRateUnits(this.host.configuration.list('ChargingScheduleAllowedChargingRateUnit'));
  }

  private limits(): ProfileLimits {
    const cfg = this.host.configuration;
    return {
      maxStackLevel: cfg.integer('ChargeProfileMaxStackLevel'),
      allowedUnits: this.allowedUnits(),
      maxPeriods: cfg.integer('ChargingScheduleMaxPeriods'),
      maxInstalled: cfg.integer('MaxChargingProfilesInstalled'),
      connectorIds: this.host.connectorIds(),
      transaction: (id) => this.host.transaction(id),
    };
  }

  private context(): LimitContext {
    return {
      profiles: this.profiles.list(),
      wiring: this.host.wiring,
      connectorIds: this.host.connectorIds(),
      hardwareMaxW: (phases) => this.host.hardwareMaxW(phases),
      transactionStartMs: (id) => {
        const tx = this.host.transaction(id);
        return tx ? Date.parse(tx.startedAt) : undefined;
      },
    };
  }
}
