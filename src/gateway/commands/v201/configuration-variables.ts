/**
 * The OCPP 1.6 configuration keys the CSMS reads and writes (src/ocpp/configuration-keys.ts), as
 * OCPP 2.0.1 device-model variables (Part 2 appendix, "Referenced Components and Variables").
 * GetVariables says nothing of mutability, so `readonly` is the standard variable's mutability.
 * A key written `Component.Variable` or `Component.Variable[Instance]` names a 2.0.1 variable
 * directly (what the operator's configuration API may also ask for).
 */
import type { ComponentType, VariableType } from '../../../ocpp/ocpp201-messages';

export interface DeviceVariable {
  component: ComponentType;
  variable: VariableType;
  readonly: boolean;
  /** How the value reads in 1.6 (absent: the same text, e.g. booleans and measurand lists). */
  value?: { from201(v: string): string; to201(v: string): string };
}

const variable = (component: string, name: string, readonly = false, instance?: string): DeviceVariable => ({
  component: { name: component },
  variable: instance === undefined ? { name } : { name, instance },
  readonly,
});

/** 2.0.1 RateUnit lists A and W; 1.6's ChargingScheduleAllowedChargingRateUnit says Current and Power. */
const rateUnits = (map: Record<string, string>) => (v: string) =>
  v
    .split(',')
    .map((u) => u.trim())
    .filter((u) => u.length > 0)
    .map((u) => map[u] ?? u)
    .join(',');

/** 1.6 key → the 2.0.1 variable that holds the same setting. */
export const mappedKeys: Readonly<Record<string, DeviceVariable>> = {
  // Sampled meter data (SoC is added to TxUpdatedMeasurands: src/ocpp/soc-configuration.ts)
  MeterValuesSampledData: variable('SampledDataCtrlr', 'TxUpdatedMeasurands'),
  MeterValueSampleInterval: variable('SampledDataCtrlr', 'TxUpdatedInterval'),
  StopTxnSampledData: variable('SampledDataCtrlr', 'TxEndedMeasurands'),
  MeterValuesAlignedData: variable('AlignedDataCtrlr', 'Measurands'),
  ClockAlignedDataInterval: variable('AlignedDataCtrlr', 'Interval'),
  StopTxnAlignedData: variable('AlignedDataCtrlr', 'TxEndedMeasurands'),
  // Communication
  HeartbeatInterval: variable('OCPPCommCtrlr', 'HeartbeatInterval'),
  WebSocketPingInterval: variable('OCPPCommCtrlr', 'WebSocketPingInterval'),
  ResetRetries: variable('OCPPCommCtrlr', 'ResetRetries'),
  TransactionMessageAttempts: variable('OCPPCommCtrlr', 'MessageAttempts', false, 'TransactionEvent'),
  TransactionMessageRetryInterval: variable('OCPPCommCtrlr', 'MessageAttemptInterval', false, 'TransactionEvent'),
  GetConfigurationMaxKeys: variable('DeviceDataCtrlr', 'ItemsPerMessage', true, 'GetVariables'),
  // Transactions
  ConnectionTimeOut: variable('TxCtrlr', 'EVConnectionTimeOut'),
  StopTransactionOnInvalidId: variable('TxCtrlr', 'StopTxOnInvalidId'),
  StopTransactionOnEVSideDisconnect: variable('TxCtrlr', 'StopTxOnEVSideDisconnect'),
  // Authorization
  AuthorizeRemoteTxRequests: variable('AuthCtrlr', 'AuthorizeRemoteStart'),
  LocalAuthorizeOffline: variable('AuthCtrlr', 'LocalAuthorizeOffline'),
  LocalPreAuthorize: variable('AuthCtrlr', 'LocalPreAuthorize'),
  AllowOfflineTxForUnknownId: variable('AuthCtrlr', 'OfflineTxForUnknownIdEnabled'),
  AuthorizationCacheEnabled: variable('AuthCacheCtrlr', 'Enabled'),
  // Local Auth List Management
  LocalAuthListEnabled: variable('LocalAuthListCtrlr', 'Enabled'),
  SendLocalListMaxLength: variable('LocalAuthListCtrlr', 'ItemsPerMessage', true),
  // Reservation
  ReserveConnectorZeroSupported: variable('ReservationCtrlr', 'NonEvseSpecific', true),
  // Smart Charging
  ChargeProfileMaxStackLevel: variable('SmartChargingCtrlr', 'ProfileStackLevel', true),
  ChargingScheduleMaxPeriods: variable('SmartChargingCtrlr', 'PeriodsPerSchedule', true),
  ChargingScheduleAllowedChargingRateUnit: {
    ...variable('SmartChargingCtrlr', 'RateUnit', true),
    value: { from201: rateUnits({ A: 'Current', W: 'Power' }), to201: rateUnits({ Current: 'A', Power: 'W' }) },
  },
};

/**
 * 1.6 keys with no 2.0.1 variable behind them, derived from others (src/gateway/commands/v201/configuration.ts):
 * NumberOfConnectors counts the `EVSE` components that answer (EVSE = connector), probing ids
 * 1..maxEvsesProbed; SupportedFeatureProfiles lists Core, FirmwareManagement and RemoteTrigger
 * (every 2.0.1 station has their messages) and each optional profile whose controller is there.
 */
export const derivedKeys = ['NumberOfConnectors', 'SupportedFeatureProfiles'] as const;
export const maxEvsesProbed = 8;

/** Optional 1.6 profiles and the controller that stands for each in 2.0.1. */
export const profileControllers = { LocalAuthListManagement: 'LocalAuthListCtrlr', Reservation: 'ReservationCtrlr', SmartCharging: 'SmartChargingCtrlr' } as const;
export const alwaysSupportedProfiles = ['Core', 'FirmwareManagement', 'RemoteTrigger'] as const;

/**
 * Known 1.6 keys that 2.0.1 cannot answer by GetVariables: list lengths and capacities are a
 * variable's `maxLimit` characteristic (e.g. LocalAuthListCtrlr.Entries, SmartChargingCtrlr.Entries),
 * which only a device-model report (GetBaseReport → NotifyReport) carries; the `…MaxLength` keys
 * have no 2.0.1 counterpart. They are answered as unknown keys, which every caller reads as
 * "no limit known" (the station's own answer is then the limit).
 */
export const unanswerableKeys = [
  'LocalAuthListMaxLength',
  'MaxChargingProfilesInstalled',
  'MeterValuesSampledDataMaxLength',
  'MeterValuesAlignedDataMaxLength',
  'StopTxnSampledDataMaxLength',
  'StopTxnAlignedDataMaxLength',
  'SupportedFeatureProfilesMaxLength',
  'ConnectorPhaseRotationMaxLength',
] as const;

const directName = /^([A-Za-z0-9*\-_=:+|@.]{1,50}?)\.([A-Za-z0-9*\-_=:+|@.]{1,50}?)(?:\[([A-Za-z0-9*\-_=:+|@.]{1,50})\])?$/;

/** The 2.0.1 variable a 1.6 key stands for, or undefined (derived, unanswerable or a vendor key). */
export function deviceVariableOf(key: string): DeviceVariable | undefined {
  if (Object.hasOwn(mappedKeys, key)) return mappedKeys[key];
  const direct = directName.exec(key);
  if (!direct) return undefined;
  const [, component, name, instance] = direct;
  return variable(component!, name!, false, instance);
}

/** Whether a GetVariables result is about this variable. */
export function sameVariable(a: { component: ComponentType; variable: VariableType }, b: { component: ComponentType; variable: VariableType }): boolean {
  return (
    a.component.name === b.component.name &&
    (a.component.instance ?? null) === (b.component.instance ?? null) &&
    (a.component.evse?.id ?? null) === (b.component.evse?.id ?? null) &&
    a.variable.name === b.variable.name &&
    (a.variable.instance ?? null) === (b.variable.instance ?? null)
  );
}
