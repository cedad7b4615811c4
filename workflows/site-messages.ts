/**
 * The site load manager's public surface: its input, the signals the API and the session
 * workflows send it, and its allocation view (a query), defined once for the workflow and its
 * callers. Pure: imported by workflow code.
 */
import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { SiteLimit } from '../src/load-management/site-limit-schedule';
import type { LimitUnit } from '../src/load-management/allocation-rounds';

export const siteLoadManagerWorkflowType = 'siteLoadManager';
export const siteWorkflowId = (siteId: string): string => `site_${siteId}`;

/** What the operator declared (sites, site_stations): sent whole on every change. */
export interface SiteConfig {
  siteId: string;
  name: string;
  limit: SiteLimit;
  stationIds: string[];
}

export interface SiteTimings {
  /** How often the latest Power.Active.Import readings and the stations' connection state are read from PostgreSQL while sessions charge. */
  pollIntervalMs: number;
  /** How long an offline charger's last allocation stays reserved for it. */
  offlineGraceMs: number;
  /** When a charger that rejected or did not answer its allocation is tried again. */
  retryFailedMs: number;
  commandTimeoutMs: number;
  commandMaxAttempts: number;
}

export interface SiteInput {
  config: SiteConfig;
  timings: SiteTimings;
  /** History events per run before continue-as-new (default 5,000; tests lower it). */
  historyLimit?: number;
  /** Set by continue-as-new: the state carried over. */
  carried?: unknown;
}

/** From the session workflow, once charging begins (only for a station in a site). */
export interface SiteSessionChargingEvent {
  sessionId: string;
  stationId: string;
  connectorId: number;
  transactionId: number;
  /** The driver's limits.maxPowerKw (decimal kW), included in the allocation: the site's profile overrides the driver's. */
  maxPowerKw: string | null;
}

/** From the session workflow, once charging ends. */
export interface SiteSessionEndedEvent {
  sessionId: string;
  stationId: string;
  connectorId: number;
  transactionId: number;
}

export const siteConfiguredSignal = defineSignal<[SiteConfig]>('siteConfigured');
export const siteSessionChargingSignal = defineSignal<[SiteSessionChargingEvent]>('siteSessionCharging');
export const siteSessionEndedSignal = defineSignal<[SiteSessionEndedEvent]>('siteSessionEnded');

export interface SiteSessionAllocation {
  sessionId: string;
  stationId: string;
  connectorId: number;
  transactionId: number;
  /** charging: its allocation is in force; paused: allocated 0 (below the floor); pending: not yet in force; offline: reserved (then freed) while its charger is away; failed: its charger rejected or did not answer, assumed at its maximum. */
  state: 'charging' | 'paused' | 'pending' | 'offline' | 'failed';
  /** The policy's allocation, W. */
  allocatedW: number;
  /** What the site counts as in force on the charger, W (its maximum when unknown). */
  countedW: number;
  /** The limit the charger last accepted, in its unit. */
  limitInForce: { value: number; unit: LimitUnit } | null;
  measuredW: number | null;
  /** The most it may get: the driver's limit within the charger's maximum, W. */
  maxW: number;
  flags: string[];
}

export interface SiteAllocationView {
  siteId: string;
  name: string;
  timeZone: string;
  /** The limit in force now (time of day included), W. */
  limitW: number;
  /** Sum of what is counted on the chargers, W: at most limitW unless chargers that fail to take a limit draw more (flagged). */
  countedW: number;
  withinLimit: boolean;
  stationIds: string[];
  sessions: SiteSessionAllocation[];
  updatedAt: string;
}

export const siteAllocationQuery = defineQuery<SiteAllocationView>('allocation');
