/**
 * What a station's configuration reconciliation does, decided from the desired settings and the
 * station's GetConfiguration answer (all keys): which keys to change (and to what), which are
 * already right, and which cannot be set (drift). Pure: the reconciliation workflow's decisions.
 */
import type { ConfigurationKey } from './charger-commands';
import { checkConfigurationValue, configurationKeyDefinition, isReadonlyByDefinition, satisfiesDesired, valueToSend } from './configuration-keys';
import { parseFeatureProfiles, type FeatureProfile } from './feature-profiles';

/** Where a desired value comes from; the more specific wins (station > group > all > network default). */
export type DesiredSource = 'network_default' | 'all' | 'group' | 'station';

export interface DesiredSetting {
  key: string;
  value: string;
  source: DesiredSource;
}

/**
 * Why a desired value is not in force on the station: the charger's answer to ChangeConfiguration
 * (Rejected, NotSupported, RebootRequired: accepted, applies at its next reboot), or found before
 * sending (readonly, unknown to the charger, invalid for its limits), or the command failed
 * (call_error: a CALLERROR or a malformed answer; unreachable: offline or silent).
 */
export type DriftOutcome = 'Rejected' | 'NotSupported' | 'RebootRequired' | 'readonly' | 'unknown' | 'invalid' | 'call_error' | 'unreachable';

export interface DriftEntry {
  key: string;
  desired: string;
  /** The station's value when read; null when it does not know the key. */
  actual: string | null;
  outcome: DriftOutcome;
  detail: string;
  source: DesiredSource;
}

export interface PlannedChange {
  key: string;
  /** What to send. */
  value: string;
  /** What is desired (a measurand list: the measurands that must be in it). */
  desired: string;
  actual: string | null;
  source: DesiredSource;
}

export interface ConfigurationPlan {
  changes: PlannedChange[];
  drift: DriftEntry[];
  inSync: string[];
}

export function planConfiguration(desired: readonly DesiredSetting[], answer: { configurationKey: ConfigurationKey[] }): ConfigurationPlan {
  const byKey = new Map(answer.configurationKey.map((k) => [k.key, k]));
  const plan: ConfigurationPlan = { changes: [], drift: [], inSync: [] };
  for (const want of desired) {
    const have = byKey.get(want.key);
    const drift = (outcome: DriftOutcome, detail: string) =>
      plan.drift.push({ key: want.key, desired: want.value, actual: have?.value ?? null, outcome, detail, source: want.source });
    if (!have) {
      drift('unknown', `the station does not report ${want.key}`);
      continue;
    }
    if (satisfiesDesired(want.key, have.value, want.value)) {
      plan.inSync.push(want.key);
      continue;
    }
    if (have.readonly || isReadonlyByDefinition(want.key)) {
      drift('readonly', `${want.key} is read-only on the station`);
      continue;
    }
    const value = valueToSend(want.key, have.value, want.value);
    const maxLengthKey = configurationKeyDefinition(want.key)?.maxLengthKey;
    const maxLength = maxLengthKey ? Number.parseInt(byKey.get(maxLengthKey)?.value ?? '', 10) : Number.NaN;
    const check = checkConfigurationValue(want.key, value, Number.isInteger(maxLength) && maxLength > 0 ? maxLength : undefined);
    if (!check.ok) {
      drift('invalid', check.problem);
      continue;
    }
    plan.changes.push({ key: want.key, value: check.value, desired: want.value, actual: have.value ?? null, source: want.source });
  }
  return plan;
}

/** What the reconciliation stores about the station from the same read. */
export interface StationFacts {
  /** null: the station does not report SupportedFeatureProfiles. */
  featureProfiles: FeatureProfile[] | null;
  numberOfConnectors: number | null;
}

export function stationFacts(answer: { configurationKey: ConfigurationKey[] }): StationFacts {
  const value = (key: string) => answer.configurationKey.find((k) => k.key === key)?.value;
  const profiles = value('SupportedFeatureProfiles');
  const connectors = Number.parseInt(value('NumberOfConnectors') ?? '', 10);
  return {
    featureProfiles: profiles === undefined ? null : parseFeatureProfiles(profiles),
    numberOfConnectors: Number.isInteger(connectors) && connectors >= 0 ? connectors : null,
  };
}

/** Network defaults first, then all < group < station: the most specific entry for a key wins. */
export function mergeDesired(settings: readonly DesiredSetting[]): DesiredSetting[] {
  const rank: Record<DesiredSource, number> = { network_default: 0, all: 1, group: 2, station: 3 };
  const winners = new Map<string, DesiredSetting>();
  for (const s of settings) {
    const current = winners.get(s.key);
    if (!current || rank[s.source] >= rank[current.source]) winners.set(s.key, s);
  }
  return [...winners.values()].sort((a, b) => a.key.localeCompare(b.key));
}
