/**
 * The driver's `limits.maxPowerKw`, applied as a TxProfile with the driver-limit id and stack level
 * (src/ocpp/charging-profile-ids.ts), as the session workflow does it:
 *
 * - a station that lists SmartCharging gets it in RemoteStartTransaction's `chargingProfile`
 *   (§5.11: it applies the profile to the transaction it starts);
 * - a station whose profiles were never read, or one that refused the start with the profile, gets
 *   SetChargingProfile for the transaction right after its StartTransaction;
 * - a station known not to support SmartCharging never gets here: the API refuses the start
 *   (409 feature_profile_not_supported), the driver asked for a ceiling we could not keep.
 *
 * A station that answers Rejected, NotSupported or a CALLERROR still charges, without the limit:
 * the live state says so (`powerLimit.status`, flag `power_limit_not_applied`). The limit is in W,
 * or in A converted with the station's wiring when it takes only amps; the unit sent is in the
 * live state. Workflow code: deterministic.
 */
import { proxyLocalActivities } from '@temporalio/workflow';
import { stationAnswered } from '../src/ocpp/charger-commands';
import { checkSetChargingProfile } from '../src/ocpp/charging-profile-rules';
import type { ChargingProfile } from '../src/ocpp/ocpp16-messages';
import { driverLimitRequest } from '../src/ocpp/owned-charging-profiles';
import { sendChargerCommand, type CommandPolicy } from './charger-command-sender';
import type { SessionPowerLimit, SessionState } from './session-messages';
import type { SmartChargingActivities, SmartChargingContext } from './smart-charging-activities';

const smartCharging = proxyLocalActivities<Pick<SmartChargingActivities, 'loadSmartChargingContext'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

export const powerLimitNotAppliedFlag = 'power_limit_not_applied';

export interface DriverLimitPlan {
  context: SmartChargingContext;
  /** The TxProfile for RemoteStartTransaction; absent: SetChargingProfile after StartTransaction. */
  inRemoteStart?: ChargingProfile;
}

const asSent = (profile: ChargingProfile, via: SessionPowerLimit['via']): Pick<SessionPowerLimit, 'via' | 'chargingRateUnit' | 'limit' | 'numberPhases' | 'chargingProfileId'> => ({
  via,
  chargingRateUnit: profile.chargingSchedule.chargingRateUnit,
  limit: profile.chargingSchedule.chargingSchedulePeriod[0]!.limit,
  numberPhases: profile.chargingSchedule.chargingSchedulePeriod[0]!.numberPhases ?? null,
  chargingProfileId: profile.chargingProfileId,
});

/** Reads what the station takes and decides how the limit goes; the live state shows it pending. */
export async function planDriverLimit(state: SessionState, maxPowerKw: string): Promise<DriverLimitPlan> {
  const context = await smartCharging.loadSmartChargingContext(state.stationId);
  state.powerLimit = { requestedKw: maxPowerKw, status: 'pending', via: null, chargingRateUnit: null, limit: null, numberPhases: null, chargingProfileId: null, detail: null };
  if (context.smartCharging !== true) return { context };
  const request = driverLimitRequest({ connectorId: state.connectorId, maxPowerKw, allowedUnits: context.limits.allowedUnits, electrics: context.electrics });
  if (checkSetChargingProfile(request, { limits: context.limits, transactionRunning: true }).length > 0) return { context };
  Object.assign(state.powerLimit, asSent(request.csChargingProfiles, 'RemoteStartTransaction'));
  return { context, inRemoteStart: request.csChargingProfiles };
}

/** RemoteStartTransaction refused with the profile: it goes by SetChargingProfile after the start. */
export function driverLimitNotInRemoteStart(state: SessionState): void {
  if (state.powerLimit) Object.assign(state.powerLimit, { via: null, chargingRateUnit: null, limit: null, numberPhases: null, chargingProfileId: null });
}

/** After StartTransaction: the limit in force (sent with the start), or sent now by SetChargingProfile. */
export async function applyDriverLimit(state: SessionState, plan: DriverLimitPlan, policy: CommandPolicy, flag: (name: string) => void): Promise<void> {
  const limit = state.powerLimit;
  if (!limit || limit.status !== 'pending') return;
  const notApplied = (status: SessionPowerLimit['status'], detail: string) => {
    Object.assign(limit, { status, detail: `${detail}: charging without the limit` });
    flag(powerLimitNotAppliedFlag);
  };
  if (limit.via === 'RemoteStartTransaction') {
    Object.assign(limit, { status: 'applied', detail: 'in RemoteStartTransaction.chargingProfile, accepted with the start' });
    return;
  }
  const request = driverLimitRequest({
    connectorId: state.connectorId,
    maxPowerKw: limit.requestedKw,
    allowedUnits: plan.context.limits.allowedUnits,
    electrics: plan.context.electrics,
    transactionId: state.transactionId!,
  });
  Object.assign(limit, asSent(request.csChargingProfiles, 'SetChargingProfile'));
  const problems = checkSetChargingProfile(request, { limits: plan.context.limits, transactionRunning: true });
  if (problems.length > 0) return notApplied('invalid', problems.map((p) => `${p.field.replace(/^body\./, '')} ${p.problem}`).join('; '));
  const answer = await sendChargerCommand('setChargingProfile', { stationId: state.stationId, ...request }, policy);
  if (!answer.ok) {
    if (stationAnswered(answer.code) && answer.errorCode === 'NotImplemented') return notApplied('not_supported', 'SetChargingProfile: NotImplemented');
    return notApplied('failed', `SetChargingProfile: ${answer.errorCode ?? answer.code}: ${answer.detail}`);
  }
  if (answer.result.status === 'Accepted') Object.assign(limit, { status: 'applied', detail: 'SetChargingProfile: Accepted' });
  else notApplied(answer.result.status === 'Rejected' ? 'rejected' : 'not_supported', `SetChargingProfile: ${answer.result.status}`);
}
