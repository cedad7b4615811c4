/**
 * A station's charging profiles as the operator declared them (its maximum, ChargePointMaxProfile,
 * and its default per-transaction profile, TxDefaultProfile), applied durably: after every
 * declaration or removal, and after every boot and reconnect, because profiles do not survive a
 * reboot on every charger. Sending a profile again is harmless (same id: the charger replaces it),
 * so a run sends every declared profile and clears every removed one, and records per profile what
 * the station answered.
 *
 * One run per station at a time (workflow id from the station id); a newer trigger terminates a
 * run still going and starts afresh from what PostgreSQL holds then. A station that is unreachable
 * is recorded so; its next reconnect brings a new run.
 */
import { proxyLocalActivities, workflowInfo } from '@temporalio/workflow';
import { stationAnswered } from '../src/ocpp/charger-commands';
import { checkSetChargingProfile } from '../src/ocpp/charging-profile-rules';
import { scheduleInUnit, unitTheStationTakes } from '../src/ocpp/charging-profile-units';
import { stationProfileId, stationProfileRequest } from '../src/ocpp/owned-charging-profiles';
import { sendChargerCommand, type CommandPolicy } from './charger-command-sender';
import type { SmartChargingActivities, StationProfileEntry, StationProfileOutcome } from './smart-charging-activities';

export const stationChargingProfilesWorkflowType = 'stationChargingProfiles';

export const stationChargingProfilesWorkflowId = (stationId: string): string => `station-profiles_${stationId}`;

export type StationProfilesTrigger = 'declared' | 'boot' | 'reconnect';

export interface StationChargingProfilesInput {
  stationId: string;
  trigger: StationProfilesTrigger;
  policy: CommandPolicy;
}

export interface StationChargingProfilesOutcome {
  outcomes: Array<Pick<StationProfileOutcome, 'purpose' | 'status' | 'detail' | 'cleared'>>;
}

const db = proxyLocalActivities<SmartChargingActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function stationChargingProfiles(input: StationChargingProfilesInput): Promise<StationChargingProfilesOutcome> {
  const { stationId, policy } = input;
  const entries = await db.loadStationProfiles(stationId);
  const outcomes: StationChargingProfilesOutcome['outcomes'] = [];
  if (entries.length === 0) return { outcomes };
  const context = await db.loadSmartChargingContext(stationId);
  // Once the station is gone, the profiles not yet sent are recorded as such, not tried one by one.
  let lost: string | undefined;

  const record = async (entry: StationProfileEntry, o: Omit<StationProfileOutcome, 'stationId' | 'purpose' | 'version' | 'workflowId'>) => {
    await db.recordStationProfileOutcome({ stationId, purpose: entry.purpose, version: entry.version, workflowId: workflowInfo().workflowId, ...o });
    outcomes.push({ purpose: entry.purpose, status: o.status, detail: o.detail, ...(o.cleared ? { cleared: true } : {}) });
  };

  for (const entry of entries) {
    if (context.smartCharging === false) {
      await record(entry, entry.declared === null ? { cleared: true, status: 'applied', detail: 'nothing to clear', sent: null } : { status: 'not_supported', detail: 'the station does not list SmartCharging in SupportedFeatureProfiles', sent: null });
      continue;
    }
    if (lost) {
      await record(entry, { status: 'unreachable', detail: lost, sent: null });
      continue;
    }
    if (entry.declared === null) {
      const cleared = await sendChargerCommand('clearChargingProfile', { stationId, id: stationProfileId(entry.purpose) }, policy);
      if (cleared.ok) await record(entry, { cleared: true, status: 'applied', detail: `ClearChargingProfile: ${cleared.result.status}`, sent: null });
      else if (stationAnswered(cleared.code)) await record(entry, { status: 'call_error', detail: `${cleared.errorCode}: ${cleared.detail}`, sent: null });
      else await record(entry, { status: 'unreachable', detail: (lost = cleared.detail), sent: null });
      continue;
    }
    // In the unit the station takes: a station that allows only Current gets amps, converted with its wiring.
    const declared = entry.declared;
    const unit = unitTheStationTakes(declared.chargingSchedule.chargingRateUnit, context.limits.allowedUnits);
    const request = stationProfileRequest(entry.purpose, { ...declared, chargingSchedule: scheduleInUnit(declared.chargingSchedule, unit, context.electrics) });
    const problems = checkSetChargingProfile(request, { limits: context.limits });
    if (problems.length > 0) {
      await record(entry, { status: 'invalid', detail: problems.map((p) => `${p.field.replace(/^body\./, '')}: ${p.problem}`).join('; '), sent: null });
      continue;
    }
    const sent = await sendChargerCommand('setChargingProfile', { stationId, ...request }, policy);
    if (!sent.ok) {
      if (stationAnswered(sent.code)) await record(entry, { status: 'call_error', detail: `${sent.errorCode}: ${sent.detail}`, sent: request.csChargingProfiles });
      else await record(entry, { status: 'unreachable', detail: (lost = sent.detail), sent: request.csChargingProfiles });
      continue;
    }
    const byAnswer = { Accepted: 'applied', Rejected: 'rejected', NotSupported: 'not_supported' } as const;
    const unitNote = unit === declared.chargingSchedule.chargingRateUnit ? '' : ` (sent in ${unit}: the station takes only ${unit})`;
    await record(entry, { status: byAnswer[sent.result.status], detail: `SetChargingProfile: ${sent.result.status}${unitNote}`, sent: request.csChargingProfiles });
  }
  return { outcomes };
}
