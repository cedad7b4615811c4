/**
 * One workflow per site, for ever (an entity workflow: started by the API with signal-with-start,
 * continue-as-new when its history grows): it shares the site's grid limit among the sessions
 * charging on its stations and pushes each allocation as a TxProfile (the site-allocation id and
 * stack level, above the driver's own profile, so the driver's limit is included in it).
 *
 * Inputs: sessions start and end (signals from the session workflows), the operator's
 * configuration (signal), and, while sessions charge, a poll every few seconds of PostgreSQL for
 * the latest Power.Active.Import of each transaction and each station's connection and boot
 * (one local activity: the gateway already stores all of it, so the workflow needs no signal
 * per reading). Time-of-day limits and offline graces are durable timers.
 *
 * The invariant (the pure rounds of src/load-management/allocation-rounds.ts): the sum of the
 * limits in force on the site's chargers never exceeds the site's limit. Lowerings are sent and
 * answered before any raise; a charger that rejects or does not answer is counted at its maximum
 * and the others are reduced; the session is flagged in the allocation view.
 */
import { allHandlersFinished, condition, continueAsNew, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { stationAnswered } from '../src/ocpp/charger-commands';
import { chargingProfileOwners, siteAllocationProfileId } from '../src/ocpp/charging-profile-ids';
import {
  applyAnswer,
  cameBack,
  chargerRebooted,
  countedSumW,
  countedW,
  inChargerUnit,
  markSent,
  offlineGraceOver,
  planRound,
  recordPower,
  resend,
  sessionMaxW,
  wentOffline,
  type ManagedSession,
  type ProfileSend,
} from '../src/load-management/allocation-rounds';
import { nextSiteLimitChangeAt, siteLimitAt } from '../src/load-management/site-limit-schedule';
import { sendChargerCommand } from './charger-command-sender';
import type { SiteActivities, SiteStationTelemetry } from './site-activities';
import {
  siteAllocationQuery,
  siteConfiguredSignal,
  siteSessionChargingSignal,
  siteSessionEndedSignal,
  type SiteAllocationView,
  type SiteConfig,
  type SiteInput,
  type SiteSessionChargingEvent,
} from './site-messages';

const telemetry = proxyLocalActivities<Pick<SiteActivities, 'readSiteTelemetry'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

const defaultHistoryLimit = 5_000;
/** Rounds per reconciliation before waiting for the next event (each failure ends one; it always settles sooner). */
const maxRounds = 20;

interface CarriedSite {
  config: SiteConfig;
  sessions: ManagedSession[];
  arrivals: SiteSessionChargingEvent[];
  stations: Record<string, SiteStationTelemetry>;
  failedAt: Record<string, number>;
  nextOrder: number;
}

const sessionKey = (stationId: string, connectorId: number): string => `${stationId}#${connectorId}`;

export async function siteLoadManager(input: SiteInput): Promise<void> {
  const carried = input.carried as CarriedSite | undefined;
  let config: SiteConfig = carried?.config ?? input.config;
  const sessions: ManagedSession[] = carried?.sessions ?? [];
  /** Sessions that began charging, waiting for their station's wiring and state (read before the next round). */
  const arrivals: SiteSessionChargingEvent[] = carried?.arrivals ?? [];
  const stations: Record<string, SiteStationTelemetry> = carried?.stations ?? {};
  const failedAt: Record<string, number> = carried?.failedAt ?? {};
  let nextOrder = carried?.nextOrder ?? 1;
  let changed = true;
  const policy = { commandTimeoutMs: input.timings.commandTimeoutMs, commandMaxAttempts: input.timings.commandMaxAttempts };

  const limitNow = (): number => siteLimitAt(config.limit, Date.now());

  setHandler(siteConfiguredSignal, (next) => {
    config = next;
    changed = true;
  });
  setHandler(siteSessionChargingSignal, (event) => {
    const key = sessionKey(event.stationId, event.connectorId);
    // A replay, or a second notification of the same transaction: nothing new.
    if (sessions.some((s) => s.key === key && s.transactionId === event.transactionId)) return;
    if (arrivals.some((a) => a.transactionId === event.transactionId && a.stationId === event.stationId)) return;
    arrivals.push(event);
    changed = true;
  });
  setHandler(siteSessionEndedSignal, (event) => {
    const at = sessions.findIndex((s) => s.stationId === event.stationId && s.transactionId === event.transactionId);
    if (at >= 0) delete failedAt[sessions.splice(at, 1)[0].key];
    const waiting = arrivals.findIndex((a) => a.stationId === event.stationId && a.transactionId === event.transactionId);
    if (waiting >= 0) arrivals.splice(waiting, 1);
    changed = true;
  });
  setHandler(siteAllocationQuery, (): SiteAllocationView => {
    const limitW = limitNow();
    const countedW_ = countedSumW(sessions);
    return {
      siteId: config.siteId,
      name: config.name,
      timeZone: config.limit.timeZone,
      limitW,
      countedW: countedW_,
      withinLimit: countedW_ <= limitW,
      stationIds: config.stationIds,
      sessions: sessions.map((s) => ({
        sessionId: s.sessionId,
        stationId: s.stationId,
        connectorId: s.connectorId,
        transactionId: s.transactionId,
        state: s.offline
          ? 'offline'
          : s.sendState === 'rejected' || s.sendState === 'unanswered'
            ? 'failed'
            : s.sendState === 'unsent' || s.pendingW !== null
              ? 'pending'
              : s.inForceW === 0
                ? 'paused'
                : 'charging',
        allocatedW: s.allocatedW,
        countedW: countedW(s),
        limitInForce: s.sendState === 'accepted' ? { value: inChargerUnit(s.inForceW, s).limit, unit: s.unit } : null,
        measuredW: s.measuredW,
        maxW: sessionMaxW(s),
        flags: s.flags,
      })),
      updatedAt: new Date().toISOString(),
    };
  });

  const historyIsLong = (): boolean => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= (input.historyLimit ?? defaultHistoryLimit);

  let lastPollAt = -Infinity;
  for (;;) {
    changed = false;
    // Sessions on a station no longer in the site are no longer managed (their last limit stays on the charger until the transaction ends).
    for (let i = sessions.length - 1; i >= 0; i--) if (!config.stationIds.includes(sessions[i].stationId)) delete failedAt[sessions.splice(i, 1)[0].key];
    if (sessions.length > 0 || arrivals.length > 0) {
      await poll();
      lastPollAt = Date.now();
    }
    for (const s of sessions) {
      offlineGraceOver(s, Date.now(), input.timings.offlineGraceMs);
      const failed = failedAt[s.key];
      if ((s.sendState === 'rejected' || s.sendState === 'unanswered') && failed !== undefined && Date.now() - failed >= input.timings.retryFailedMs) {
        delete failedAt[s.key];
        resend(s);
      }
    }
    await reconcile();

    if (historyIsLong()) {
      await condition(allHandlersFinished);
      const next: CarriedSite = { config, sessions, arrivals, stations, failedAt, nextOrder };
      return continueAsNew<typeof siteLoadManager>({ ...input, config, carried: next });
    }
    const wakeAt = [
      sessions.length > 0 ? lastPollAt + input.timings.pollIntervalMs : Infinity,
      nextSiteLimitChangeAt(config.limit, Date.now()) ?? Infinity,
      ...sessions.map((s) => (s.offline && !s.offline.freed ? s.offline.since + input.timings.offlineGraceMs : Infinity)),
      ...Object.entries(failedAt).map(([, at]) => at + input.timings.retryFailedMs),
    ].reduce((a, b) => Math.min(a, b), Infinity);
    if (!changed) {
      if (wakeAt === Infinity) await condition(() => changed || historyIsLong());
      else await condition(() => changed || historyIsLong(), Math.max(1, wakeAt - Date.now()));
    }
  }

  /** Reads the stations' state and the latest readings, and folds them in (arrivals become managed sessions). */
  async function poll(): Promise<void> {
    const stationIds = [...new Set([...sessions.map((s) => s.stationId), ...arrivals.map((a) => a.stationId)])];
    const read = await telemetry.readSiteTelemetry({ stationIds, transactionIds: sessions.map((s) => s.transactionId) });
    const now = Date.now();
    for (const station of read.stations) {
      const before = stations[station.stationId];
      stations[station.stationId] = station;
      for (const s of sessions.filter((x) => x.stationId === station.stationId)) {
        s.electrics = station.electrics;
        s.unit = station.unit;
        s.chargerMaxW = station.chargerMaxW;
        if (!station.online) wentOffline(s, now);
        else if (s.offline) cameBack(s);
        if (before && station.bootedAt !== before.bootedAt) {
          chargerRebooted(s);
          if (!s.flags.includes('charger_rebooted')) s.flags.push('charger_rebooted');
        }
      }
    }
    for (const reading of read.power) {
      const s = sessions.find((x) => x.transactionId === reading.transactionId);
      if (s) recordPower(s, reading.powerW, reading.at);
    }
    for (const a of arrivals.splice(0)) {
      const station = stations[a.stationId];
      if (!station || !config.stationIds.includes(a.stationId)) continue;
      const key = sessionKey(a.stationId, a.connectorId);
      // A new transaction on the connector replaces one whose end never reached the site.
      const old = sessions.findIndex((s) => s.key === key);
      if (old >= 0) sessions.splice(old, 1);
      sessions.push({
        key,
        sessionId: a.sessionId,
        stationId: a.stationId,
        connectorId: a.connectorId,
        transactionId: a.transactionId,
        order: nextOrder++,
        driverMaxW: a.maxPowerKw === null ? null : Math.floor(Number(a.maxPowerKw) * 1000),
        chargerMaxW: station.chargerMaxW,
        electrics: station.electrics,
        unit: station.unit,
        measuredW: null,
        measuredAt: null,
        staleBefore: null,
        // Until it accepts an allocation the charger may draw its maximum.
        inForceW: station.chargerMaxW,
        pendingW: null,
        allocatedW: 0,
        sendState: 'unsent',
        offline: station.online ? null : { since: now, freed: false },
        flags: [],
      });
    }
  }

  /** Rounds until nothing is left to send: lowerings, answered, then raises that fit. */
  async function reconcile(): Promise<void> {
    for (let round = 0; round < maxRounds; round++) {
      const plan = planRound(limitNow(), sessions);
      if (plan.phase === 'idle') return;
      await Promise.all(plan.sends.map((send) => push(send)));
    }
  }

  async function push(send: ProfileSend): Promise<void> {
    const s = sessions.find((x) => x.key === send.key)!;
    markSent(s, send);
    const answer = await sendChargerCommand(
      'setChargingProfile',
      {
        stationId: s.stationId,
        connectorId: s.connectorId,
        csChargingProfiles: {
          chargingProfileId: siteAllocationProfileId(s.connectorId),
          transactionId: s.transactionId,
          stackLevel: chargingProfileOwners.siteAllocation.stackLevel,
          chargingProfilePurpose: 'TxProfile',
          // Relative to the transaction's start with one period: in force at once and for the whole transaction, whatever the charger's clock.
          chargingProfileKind: 'Relative',
          chargingSchedule: { chargingRateUnit: send.unit, chargingSchedulePeriod: [{ startPeriod: 0, limit: send.limit }] },
        },
      },
      policy,
    );
    const outcome = answer.ok ? (answer.result.status === 'Accepted' ? 'accepted' : 'rejected') : stationAnswered(answer.code) ? 'rejected' : 'unanswered';
    applyAnswer(s, send, outcome);
    if (outcome !== 'accepted') failedAt[s.key] = Date.now();
    else delete failedAt[s.key];
  }
}
