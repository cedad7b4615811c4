/**
 * A charging profile in the contract's words (OCPP 1.6 ChargingProfile) as OCPP 2.0.1 says it
 * (K01 ChargingProfileType): used by SetChargingProfile and by RequestStartTransaction's
 * chargingProfile. Pure: the caller resolves a TxProfile's transaction id to the station's own
 * string id (ocpp201_transactions) before it calls.
 */
import type { ChargingProfile, ChargingSchedule as ChargingSchedule16 } from '../../../ocpp/ocpp16-messages';
import type {
  ChargingProfilePurposeEnumType,
  ChargingProfileType,
  ChargingSchedule,
  ChargingSchedulePeriodType,
} from '../../../ocpp/ocpp201-messages';

type Purpose16 = ChargingProfile['chargingProfilePurpose'];

/** 2.0.1 renamed the station-wide maximum; the other purposes keep their names. */
export const chargingProfilePurpose201: Record<Purpose16, ChargingProfilePurposeEnumType> = {
  ChargePointMaxProfile: 'ChargingStationMaxProfile',
  TxDefaultProfile: 'TxDefaultProfile',
  TxProfile: 'TxProfile',
};

/** Back to the contract's words; 2.0.1's ChargingStationExternalConstraints has no 1.6 name (undefined). */
export const chargingProfilePurpose16 = (purpose: ChargingProfilePurposeEnumType): Purpose16 | undefined =>
  (Object.keys(chargingProfilePurpose201) as Purpose16[]).find((p) => chargingProfilePurpose201[p] === purpose);

export function chargingSchedulePeriods201(periods: ChargingSchedule16['chargingSchedulePeriod']): ChargingSchedule['chargingSchedulePeriod'] {
  return periods.map(
    ({ startPeriod, limit, numberPhases }): ChargingSchedulePeriodType => ({ startPeriod, limit, ...(numberPhases === undefined ? {} : { numberPhases }) }),
  ) as ChargingSchedule['chargingSchedulePeriod'];
}

/**
 * 1.6's one schedule is 2.0.1's array of one. Its id is required in 2.0.1 and ours has none: the
 * profile's id, which is unique per station already (src/ocpp/charging-profile-ids.ts).
 */
export function chargingSchedule201(schedule: ChargingSchedule16, id: number): ChargingSchedule {
  const { startSchedule, duration, chargingRateUnit, chargingSchedulePeriod, minChargingRate } = schedule;
  return {
    id,
    chargingRateUnit,
    chargingSchedulePeriod: chargingSchedulePeriods201(chargingSchedulePeriod),
    ...(startSchedule === undefined ? {} : { startSchedule }),
    ...(duration === undefined ? {} : { duration }),
    ...(minChargingRate === undefined ? {} : { minChargingRate }),
  };
}

/**
 * The profile as a 2.0.1 station takes it. `chargerTransactionId` is the station's id of the
 * transaction a TxProfile names (our integer `transactionId` is not sent: 2.0.1 ids are the
 * station's strings).
 */
export function chargingProfile201(profile: ChargingProfile, chargerTransactionId?: string): ChargingProfileType {
  const { chargingProfileId, stackLevel, chargingProfilePurpose, chargingProfileKind, recurrencyKind, validFrom, validTo, chargingSchedule } = profile;
  return {
    id: chargingProfileId,
    stackLevel,
    chargingProfilePurpose: chargingProfilePurpose201[chargingProfilePurpose],
    chargingProfileKind,
    ...(recurrencyKind === undefined ? {} : { recurrencyKind }),
    ...(validFrom === undefined ? {} : { validFrom }),
    ...(validTo === undefined ? {} : { validTo }),
    chargingSchedule: [chargingSchedule201(chargingSchedule, chargingProfileId)],
    ...(chargerTransactionId === undefined ? {} : { transactionId: chargerTransactionId }),
  };
}
