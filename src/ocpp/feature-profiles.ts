/**
 * The OCPP 1.6 feature profiles (§3) and which command the central system sends belongs to which.
 * A station lists the profiles it implements in `SupportedFeatureProfiles` (Core is mandatory);
 * a command of a profile it does not list is refused up front rather than sent (the API's
 * `requireFeatureProfile`). Pure: read by the API and by workflow code.
 */
import type { ChargerCommandActivities } from './charger-commands';

export const featureProfiles = ['Core', 'FirmwareManagement', 'LocalAuthListManagement', 'Reservation', 'SmartCharging', 'RemoteTrigger'] as const;
export type FeatureProfile = (typeof featureProfiles)[number];

export function isFeatureProfile(name: string): name is FeatureProfile {
  return (featureProfiles as readonly string[]).includes(name);
}

/** Every OCPP 1.6 action the central system sends, by the profile that defines it (§3, §5). */
export const profileOfAction = {
  ChangeAvailability: 'Core',
  ChangeConfiguration: 'Core',
  ClearCache: 'Core',
  DataTransfer: 'Core',
  GetConfiguration: 'Core',
  RemoteStartTransaction: 'Core',
  RemoteStopTransaction: 'Core',
  Reset: 'Core',
  UnlockConnector: 'Core',
  GetDiagnostics: 'FirmwareManagement',
  UpdateFirmware: 'FirmwareManagement',
  GetLocalListVersion: 'LocalAuthListManagement',
  SendLocalList: 'LocalAuthListManagement',
  CancelReservation: 'Reservation',
  ReserveNow: 'Reservation',
  ClearChargingProfile: 'SmartCharging',
  GetCompositeSchedule: 'SmartCharging',
  SetChargingProfile: 'SmartCharging',
  TriggerMessage: 'RemoteTrigger',
} as const satisfies Record<string, FeatureProfile>;

export type CentralSystemAction = keyof typeof profileOfAction;

/** The command contract's methods by profile: the type checker adds a row for every new command. */
export const profileOfCommand = {
  remoteStartTransaction: 'Core',
  remoteStopTransaction: 'Core',
  getConfiguration: 'Core',
  changeConfiguration: 'Core',
  reset: 'Core',
  unlockConnector: 'Core',
  changeAvailability: 'Core',
  clearCache: 'Core',
  triggerMessage: 'RemoteTrigger',
  dataTransfer: 'Core',
  updateFirmware: 'FirmwareManagement',
  getDiagnostics: 'FirmwareManagement',
  sendLocalList: 'LocalAuthListManagement',
  getLocalListVersion: 'LocalAuthListManagement',
  reserveNow: 'Reservation',
  cancelReservation: 'Reservation',
  setChargingProfile: 'SmartCharging',
  clearChargingProfile: 'SmartCharging',
  getCompositeSchedule: 'SmartCharging',
  // 2.0.1's device model: every 2.0.1 station has it (a 1.6 station answers NotSupported).
  getBaseReport: 'Core',
} as const satisfies Record<keyof ChargerCommandActivities, FeatureProfile>;

/** `SupportedFeatureProfiles` as the station reported it: the profile names it lists (unknown names dropped). */
export function parseFeatureProfiles(value: string | undefined): FeatureProfile[] {
  return (value ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(isFeatureProfile);
}
