/**
 * Station configuration reconciliation: after a station boots (Accepted) or reconnects without
 * booting, read its whole configuration, change each writable key that differs from what the
 * network and the operator declared, and record per station what could not be set (drift),
 * its feature profiles and its number of connectors.
 *
 * One run per station at a time: the workflow id is derived from the station id and a new boot
 * terminates a run still going (src/stations/temporal-station-events.ts), which is safe because a
 * run is idempotent: a key already right is never sent again. It never resets the station (a
 * RebootRequired answer is recorded, the reboot is the operator's call) and never drops a
 * measurand, so a running session keeps its meter values and SoC.
 */
import { proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import { stationAnswered } from '../src/ocpp/charger-commands';
import { isMeasurandList, satisfiesDesired, valueToSend } from '../src/ocpp/configuration-keys';
import { planConfiguration, stationFacts, type DriftEntry } from '../src/ocpp/configuration-plan';
import { sendChargerCommand, type CommandPolicy } from './charger-command-sender';
import type { ReconciliationResult, ReconciliationTrigger, StationConfigurationActivities } from './station-configuration-activities';

export const stationConfigurationWorkflowType = 'stationConfiguration';

/** One id per station: two boots never run two reconciliations at once. */
export const stationConfigurationWorkflowId = (stationId: string): string => `station-config_${stationId}`;

export interface StationConfigurationInput {
  stationId: string;
  trigger: ReconciliationTrigger;
  policy: CommandPolicy;
}

export interface StationConfigurationOutcome {
  result: ReconciliationResult;
  changed: string[];
  inSync: string[];
  drift: DriftEntry[];
  /** Why the station could not be read (result unreachable). */
  detail?: string;
}

/** PostgreSQL reads and writes on the session worker: local, retried there while the database is down. */
const db = proxyLocalActivities<StationConfigurationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function stationConfiguration(input: StationConfigurationInput): Promise<StationConfigurationOutcome> {
  const { stationId, trigger, policy } = input;
  const record = (outcome: StationConfigurationOutcome, read: Parameters<StationConfigurationActivities['recordConfigurationReconciliation']>[0]['keys']) =>
    db.recordConfigurationReconciliation({
      stationId,
      workflowId: workflowInfo().workflowId,
      trigger,
      result: outcome.result,
      facts: read ? stationFacts({ configurationKey: read }) : null,
      keys: read,
      drift: outcome.drift,
      changed: outcome.changed,
      at: new Date().toISOString(),
    });

  const desired = await db.loadDesiredConfiguration(stationId);
  const read = await sendChargerCommand('getConfiguration', { stationId }, policy);
  if (!read.ok) {
    const outcome: StationConfigurationOutcome = { result: 'unreachable', changed: [], inSync: [], drift: [], detail: read.detail };
    await record(outcome, null);
    return outcome;
  }

  const keys = read.result.configurationKey.map((k) => ({ ...k }));
  const plan = planConfiguration(desired, read.result);
  const drift = [...plan.drift];
  const changed: string[] = [];
  // Once the station is gone, the keys not yet sent are recorded as such, not tried one by one.
  let lost: string | undefined;
  for (const change of plan.changes) {
    const unset = (outcome: DriftEntry['outcome'], detail: string) =>
      drift.push({ key: change.key, desired: change.desired, actual: change.actual, outcome, detail, source: change.source });
    if (lost) {
      unset('unreachable', lost);
      continue;
    }
    let value = change.value;
    if (isMeasurandList(change.key)) {
      // A session may have added SoC since the read: merge into the list as it is now, just before writing.
      const fresh = await sendChargerCommand('getConfiguration', { stationId, key: [change.key] }, policy);
      const now = fresh.ok ? fresh.result.configurationKey.find((k) => k.key === change.key)?.value : undefined;
      if (now !== undefined && satisfiesDesired(change.key, now, change.desired)) continue;
      if (now !== undefined) value = valueToSend(change.key, now, change.desired);
    }
    const sent = await sendChargerCommand('changeConfiguration', { stationId, key: change.key, value }, policy);
    if (!sent.ok) {
      if (stationAnswered(sent.code)) unset('call_error', `${sent.errorCode}: ${sent.detail}`);
      else unset('unreachable', (lost = sent.detail));
      continue;
    }
    const { status } = sent.result;
    if (status === 'Accepted') {
      changed.push(change.key);
      const key = keys.find((k) => k.key === change.key);
      if (key) key.value = value;
    } else {
      unset(status, status === 'RebootRequired' ? 'accepted; takes effect when the station reboots' : `the station answered ${status}`);
    }
  }
  const outcome: StationConfigurationOutcome = { result: drift.length === 0 ? 'in_sync' : 'drift', changed, inSync: plan.inSync, drift };
  await record(outcome, keys);
  return outcome;
}
