/**
 * Getting a site's allocations onto its chargers without ever exceeding the site's limit (pure;
 * the site workflow runs these rounds, the property tests run them against random chargers).
 *
 * The site counts, per session, the limit in force on its charger: the charger's maximum until
 * an allocation is accepted (and again after a reboot, which may lose profiles), the charger's
 * maximum too when it rejected or did not answer (it is assumed to draw its maximum), and while a
 * new limit is on its way, the higher of the old and the new. A round sends either the
 * lowerings (all of them, first) or, once none is left, the raises that fit under the limit
 * with what is counted. So the sum of what is counted, which is never below what is in force,
 * only grows by a raise that fits.
 */
import { ampsToWatts, wattsToAmps, type StationElectrics } from '../ocpp/charging-rate';
import { allocate, rampMarginW, type AllocationSession } from './allocation-policy';

export type LimitUnit = 'W' | 'A';

/** accepted: the charger took the last limit sent; rejected / unanswered: it did not (flagged). */
export type SendState = 'unsent' | 'accepted' | 'rejected' | 'unanswered';

export interface ManagedSession {
  /** stationId#connectorId: one transaction per connector. */
  key: string;
  sessionId: string;
  stationId: string;
  connectorId: number;
  transactionId: number;
  order: number;
  /** The driver's limits.maxPowerKw, W; null: none. */
  driverMaxW: number | null;
  chargerMaxW: number;
  electrics: StationElectrics;
  /** The unit the charger takes: A when its ChargingScheduleAllowedChargingRateUnit is only Current. */
  unit: LimitUnit;
  /** Power.Active.Import read since its limit last changed, W (a reading from before describes another limit). */
  measuredW: number | null;
  /** The reading's time, and the time up to which readings are stale (the last one before the limit changed). */
  measuredAt: string | null;
  staleBefore: string | null;
  /** What the site counts as in force on the charger, W (see above). */
  inForceW: number;
  /** A limit sent and not answered yet, W. */
  pendingW: number | null;
  /** The policy's last allocation, W (0 = paused). */
  allocatedW: number;
  sendState: SendState;
  offline: { since: number; freed: boolean } | null;
  flags: string[];
}

export interface ProfileSend {
  key: string;
  /** The limit as it will be in force, W (after conversion to the charger's unit, rounded down). */
  limitW: number;
  /** The value sent in the charger's unit: whole W, or A per phase to a tenth. */
  limit: number;
  unit: LimitUnit;
}

export interface RoundPlan {
  phase: 'lower' | 'raise' | 'idle';
  sends: ProfileSend[];
}

/** Changes smaller than this are not sent (a profile per car per reading would be noise). */
export const minChangeW = 300;

/** 6 A per phase on the charger's wiring: the least it can charge at. */
export const floorW = (e: StationElectrics): number => ampsToWatts(6, e);

/** The most the session may be given: the driver's limit within the charger's maximum. */
export const sessionMaxW = (s: ManagedSession): number => Math.min(s.chargerMaxW, s.driverMaxW ?? Infinity);

/** What the site counts as drawn by the session's charger now, W. */
export function countedW(s: ManagedSession): number {
  if (s.offline?.freed) return 0;
  if (s.sendState === 'rejected' || s.sendState === 'unanswered') return s.chargerMaxW;
  return Math.max(s.inForceW, s.pendingW ?? 0);
}

export const countedSumW = (sessions: readonly ManagedSession[]): number => sessions.reduce((sum, s) => sum + countedW(s), 0);

/** A limit in W as the charger will hold it: converted to its unit, rounded down. */
export function inChargerUnit(limitW: number, s: Pick<ManagedSession, 'unit' | 'electrics'>): { limit: number; limitW: number } {
  if (s.unit === 'A') {
    const amps = wattsToAmps(limitW, s.electrics);
    return { limit: amps, limitW: ampsToWatts(amps, s.electrics) };
  }
  return { limit: Math.floor(limitW), limitW: Math.floor(limitW) };
}

function asAllocation(s: ManagedSession): AllocationSession {
  const minW = floorW(s.electrics);
  // Only a car that draws clearly less than its limit frees headroom; one at its limit may want more.
  const drawsLess = s.inForceW > 0 && s.measuredW !== null && s.measuredW + rampMarginW({ minW, measuredW: s.measuredW }) <= s.inForceW;
  const base = { key: s.key, order: s.order, maxW: sessionMaxW(s), minW, measuredW: drawsLess ? s.measuredW : null };
  if (s.offline) return { ...base, reservedW: countedW(s) };
  if (s.sendState === 'rejected' || s.sendState === 'unanswered') return { ...base, reservedW: s.chargerMaxW };
  return base;
}

/** The next round: every lowering first; raises only when no lowering is left, and only what fits. */
export function planRound(limitW: number, sessions: readonly ManagedSession[]): RoundPlan {
  const targets = allocate(limitW, sessions.map(asAllocation));
  const movable = sessions.filter((s) => !s.offline && (s.sendState === 'unsent' || s.sendState === 'accepted') && s.pendingW === null);
  const lower: ProfileSend[] = [];
  const smallLower: ProfileSend[] = [];
  const raise: Array<{ s: ManagedSession; limitW: number }> = [];
  for (const s of sessions) s.allocatedW = targets.get(s.key) ?? 0;
  for (const s of movable) {
    const { limitW: w, limit } = inChargerUnit(s.allocatedW, s);
    const worthSending = s.sendState === 'unsent' || Math.abs(w - s.inForceW) >= minChangeW || (w === 0) !== (s.inForceW === 0);
    if (w < s.inForceW || (s.sendState === 'unsent' && w === s.inForceW)) (worthSending ? lower : smallLower).push({ key: s.key, limitW: w, limit, unit: s.unit });
    else if (w > s.inForceW && worthSending) raise.push({ s, limitW: w });
  }
  // Small lowerings wait, unless without them what is counted would stay above the limit.
  const counted = countedSumW(sessions);
  const reduction = (list: ProfileSend[]) => list.reduce((sum, send) => sum + sessions.find((s) => s.key === send.key)!.inForceW - send.limitW, 0);
  if (counted - reduction(lower) > limitW) lower.push(...smallLower);
  if (lower.length > 0) return { phase: 'lower', sends: lower };
  let headroom = limitW - counted;
  const sends: ProfileSend[] = [];
  for (const { s, limitW: w } of raise.sort((a, b) => a.s.order - b.s.order)) {
    const fits = inChargerUnit(Math.min(w, s.inForceW + Math.max(0, headroom)), s);
    // A partial raise only when it is worth it and, for a paused session, reaches the floor.
    if (fits.limitW <= s.inForceW || (fits.limitW < w && fits.limitW - s.inForceW < minChangeW) || (fits.limitW > 0 && fits.limitW < floorW(s.electrics))) continue;
    headroom -= fits.limitW - s.inForceW;
    sends.push({ key: s.key, limitW: fits.limitW, limit: fits.limit, unit: s.unit });
  }
  return sends.length > 0 ? { phase: 'raise', sends } : { phase: 'idle', sends: [] };
}

const failureFlags = { rejected: 'profile_rejected', unanswered: 'profile_unanswered' } as const;

export function markSent(s: ManagedSession, send: ProfileSend): void {
  s.pendingW = send.limitW;
}

/** The charger's answer to a send: only an accepted limit is in force. */
export function applyAnswer(s: ManagedSession, send: ProfileSend, outcome: 'accepted' | 'rejected' | 'unanswered'): void {
  s.pendingW = null;
  if (outcome === 'accepted') {
    // A car that drew clearly less than its old limit, and no more than its new one, still wants what it drew; otherwise the reading was about the old limit.
    const m = s.measuredW;
    const stillTells = m !== null && m + rampMarginW({ minW: floorW(s.electrics), measuredW: m }) <= s.inForceW && m <= send.limitW;
    if (s.inForceW !== send.limitW && !stillTells) {
      s.staleBefore = s.measuredAt;
      s.measuredW = null;
    }
    s.inForceW = send.limitW;
    s.sendState = 'accepted';
    s.flags = s.flags.filter((f) => f !== failureFlags.rejected && f !== failureFlags.unanswered);
    return;
  }
  s.sendState = outcome;
  if (!s.flags.includes(failureFlags[outcome])) s.flags.push(failureFlags[outcome]);
}

/** Try a charger that failed again (later, or back from offline): counted at its maximum until it accepts. */
export function resend(s: ManagedSession): void {
  if (s.sendState === 'rejected' || s.sendState === 'unanswered') s.inForceW = s.chargerMaxW;
  s.sendState = 'unsent';
}

/** A reading of the session's power; one from before its limit last changed is ignored. */
export function recordPower(s: ManagedSession, powerW: number, at: string): void {
  if (s.staleBefore !== null && at <= s.staleBefore) return;
  if (s.measuredAt !== null && at < s.measuredAt) return;
  s.measuredW = powerW;
  s.measuredAt = at;
}

/** A reboot may have lost every profile: the charger's maximum is in force until it accepts again. */
export function chargerRebooted(s: ManagedSession): void {
  s.inForceW = s.chargerMaxW;
  s.sendState = 'unsent';
}

export function wentOffline(s: ManagedSession, at: number): void {
  s.offline ??= { since: at, freed: false };
}

/** After the grace its reservation is freed for the others. */
export function offlineGraceOver(s: ManagedSession, now: number, graceMs: number): boolean {
  if (!s.offline || s.offline.freed || now - s.offline.since < graceMs) return false;
  s.offline.freed = true;
  if (!s.flags.includes('offline_reservation_freed')) s.flags.push('offline_reservation_freed');
  return true;
}

/** Back online: its charger kept its last limit (a reconnect loses no profile), sent again to be sure. */
export function cameBack(s: ManagedSession): void {
  if (!s.offline) return;
  s.offline = null;
  resend(s);
}
