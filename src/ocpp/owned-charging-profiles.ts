/**
 * The charging profiles the CSMS itself owns on a charger, built with the ids and stack levels of
 * their owner (charging-profile-ids.ts) so no sender overwrites another's: the operator's station
 * maximum (ChargePointMaxProfile) and default per-transaction profile (TxDefaultProfile), both on
 * connector 0, and the driver's power limit (a TxProfile on the session's connector). Pure: read
 * by the API and by workflow code.
 */
import { chargingProfileOwners, driverLimitProfileId } from './charging-profile-ids';
import type { StationElectrics } from './charging-rate';
import type { ChargingRateUnit } from './charging-profile-rules';
import { powerLimitSchedule } from './charging-profile-units';
import type { ChargingProfile, SetChargingProfileRequest } from './ocpp16-messages';

/** The station profiles an operator declares (desired state), by their OCPP purpose. */
export const stationProfilePurposes = ['ChargePointMaxProfile', 'TxDefaultProfile'] as const;
export type StationProfilePurpose = (typeof stationProfilePurposes)[number];

/** What the operator declares of a station profile: everything but the id, stack level and purpose, which are the CSMS's. */
export type DeclaredStationProfile = Pick<ChargingProfile, 'chargingProfileKind' | 'recurrencyKind' | 'validFrom' | 'validTo' | 'chargingSchedule'>;

const ownerOf = { ChargePointMaxProfile: chargingProfileOwners.stationMaximum, TxDefaultProfile: chargingProfileOwners.stationTxDefault } as const;

export const stationProfileId = (purpose: StationProfilePurpose): number => ownerOf[purpose].id;

/** SetChargingProfile for a station profile: connector 0, the owner's id and stack level. */
export function stationProfileRequest(purpose: StationProfilePurpose, declared: DeclaredStationProfile): SetChargingProfileRequest {
  const { id, stackLevel } = ownerOf[purpose];
  const { chargingProfileKind, recurrencyKind, validFrom, validTo, chargingSchedule } = declared;
  return {
    connectorId: 0,
    csChargingProfiles: {
      chargingProfileId: id,
      stackLevel,
      chargingProfilePurpose: purpose,
      chargingProfileKind,
      ...(recurrencyKind === undefined ? {} : { recurrencyKind }),
      ...(validFrom === undefined ? {} : { validFrom }),
      ...(validTo === undefined ? {} : { validTo }),
      chargingSchedule,
    },
  };
}

/** Ids and (purpose, stack level) pairs the CSMS owns: an operator's one-off profile must not overwrite them. */
export function ownedProfileClash(profile: Pick<ChargingProfile, 'chargingProfileId' | 'chargingProfilePurpose' | 'stackLevel'>): string | undefined {
  const { stationMaximum, stationTxDefault, driverLimit, siteAllocation } = chargingProfileOwners;
  const id = profile.chargingProfileId;
  if (id === stationMaximum.id || id === stationTxDefault.id) return `id ${id} is the station profile's (set it with PUT …/station-profiles)`;
  if (id > driverLimit.idBase && id < driverLimit.idBase + 100) return `id ${id} is reserved for drivers' power limits`;
  if (id > siteAllocation.idBase && id < siteAllocation.idBase + 100) return `id ${id} is reserved for site load management`;
  const level = profile.stackLevel;
  if (profile.chargingProfilePurpose === 'ChargePointMaxProfile' && level === stationMaximum.stackLevel) return `stack level ${level} of ChargePointMaxProfile is the station maximum's`;
  if (profile.chargingProfilePurpose === 'TxDefaultProfile' && level === stationTxDefault.stackLevel) return `stack level ${level} of TxDefaultProfile is the station default's`;
  if (profile.chargingProfilePurpose === 'TxProfile' && (level === driverLimit.stackLevel || level === siteAllocation.stackLevel)) {
    return `stack level ${level} of TxProfile is reserved (${level === driverLimit.stackLevel ? "drivers' limits" : 'site load management'})`;
  }
  return undefined;
}

/** Watts in a decimal kW string (at most three decimals: whole watts), e.g. "7.4" → 7400. */
export function kwToWatts(kw: string): number {
  const [whole, fraction = ''] = kw.trim().split('.');
  return Number.parseInt(whole || '0', 10) * 1000 + Number.parseInt(fraction.padEnd(3, '0').slice(0, 3) || '0', 10);
}

/**
 * The driver's `maxPowerKw` as a TxProfile: Relative (it starts with the transaction), one period,
 * in W, or in A with the station's wiring when the charger takes only amps. Without a
 * transaction id it is the chargingProfile of RemoteStartTransaction (§5.11: the charger applies
 * it to the transaction it starts); with one, a SetChargingProfile for the running transaction.
 */
export function driverLimitRequest(args: {
  connectorId: number;
  maxPowerKw: string;
  allowedUnits: ChargingRateUnit[] | undefined;
  electrics: StationElectrics;
  transactionId?: number;
}): SetChargingProfileRequest {
  const { connectorId, maxPowerKw, allowedUnits, electrics, transactionId } = args;
  return {
    connectorId,
    csChargingProfiles: {
      chargingProfileId: driverLimitProfileId(connectorId),
      ...(transactionId === undefined ? {} : { transactionId }),
      stackLevel: chargingProfileOwners.driverLimit.stackLevel,
      chargingProfilePurpose: 'TxProfile',
      chargingProfileKind: 'Relative',
      chargingSchedule: powerLimitSchedule(kwToWatts(maxPowerKw), allowedUnits, electrics),
    },
  };
}
