/**
 * Smart Charging (1.6 §5.16 SetChargingProfile, §5.5 ClearChargingProfile, §5.7
 * GetCompositeSchedule → 2.0.1 K01, K10, K08). The connector is the EVSE (connector 0, the
 * station, is EVSE 0). A TxProfile names the station's own transaction id: ours is looked up in
 * ocpp201_transactions; a TxProfile that names none gets the transaction running on the EVSE
 * (2.0.1 requires one, K01.FR.03). The profile itself: charging-profile.ts.
 */
import type { ChargingProfile } from '../../../ocpp/ocpp16-messages';
import type { ClearChargingProfileRequest, ClearChargingProfileType } from '../../../ocpp/ocpp201-messages';
import type { CommandTranslationContext } from '../../handlers/protocol-version';
import { chargingProfile201, chargingProfilePurpose201 } from './charging-profile';
import { notSupported, translated, type Translator201 } from './translator';

/** The station's id of the transaction a TxProfile is for; undefined for the other purposes (and a TxProfile with no transaction running). */
async function chargerTransactionIdFor(profile: ChargingProfile, evseId: number, ctx: CommandTranslationContext): Promise<string | undefined> {
  if (profile.chargingProfilePurpose !== 'TxProfile') return undefined;
  const ids = ctx.storage.chargerTransactionIds;
  if (profile.transactionId == null) return (await ids.runningOnEvse(ctx.stationId, evseId)) ?? undefined;
  const id = await ids.ofTransaction(ctx.stationId, profile.transactionId);
  if (id === null) throw notSupported(ctx.stationId, 'SetChargingProfile', `transaction ${profile.transactionId} is not one of this station's transactions`);
  return id;
}

export const setChargingProfile: Translator201<'SetChargingProfile'> = async ({ connectorId, csChargingProfiles }, ctx) => {
  const chargerTransactionId = await chargerTransactionIdFor(csChargingProfiles, connectorId, ctx);
  const chargingProfile = chargingProfile201(csChargingProfiles, chargerTransactionId);
  return translated('SetChargingProfile', { evseId: connectorId, chargingProfile }, (reply) => ({ status: reply.status }));
};

export const clearChargingProfile: Translator201<'ClearChargingProfile'> = ({ id, connectorId, chargingProfilePurpose, stackLevel }) => {
  const criteria: ClearChargingProfileType = {
    ...(connectorId == null ? {} : { evseId: connectorId }),
    ...(chargingProfilePurpose == null ? {} : { chargingProfilePurpose: chargingProfilePurpose201[chargingProfilePurpose] }),
    ...(stackLevel == null ? {} : { stackLevel }),
  };
  const payload: ClearChargingProfileRequest = {
    ...(id == null ? {} : { chargingProfileId: id }),
    ...(Object.keys(criteria).length > 0 ? { chargingProfileCriteria: criteria } : {}),
  };
  return translated('ClearChargingProfile', payload, (reply) => ({ status: reply.status }));
};

export const getCompositeSchedule: Translator201<'GetCompositeSchedule'> = ({ connectorId, duration, chargingRateUnit }) =>
  translated('GetCompositeSchedule', { evseId: connectorId, duration, ...(chargingRateUnit == null ? {} : { chargingRateUnit }) }, ({ status, schedule }) => {
    if (!schedule) return { status };
    return {
      status,
      connectorId: schedule.evseId,
      scheduleStart: schedule.scheduleStart,
      chargingSchedule: {
        duration: schedule.duration,
        chargingRateUnit: schedule.chargingRateUnit,
        chargingSchedulePeriod: schedule.chargingSchedulePeriod.map(({ startPeriod, limit, numberPhases }) => ({
          startPeriod,
          limit,
          ...(numberPhases === undefined ? {} : { numberPhases }),
        })),
      },
    };
  });
