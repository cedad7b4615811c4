/**
 * The OCPP 1.6 standard configuration keys (§9 "Standard Configuration Key Names & Values"):
 * each key's type, accessibility and feature profile, and for comma-separated lists (CSL) which
 * elements they may hold and which read-only key bounds their length. One table for every check
 * before a value is sent: the operator's ChangeConfiguration (API), desired configuration entries,
 * and the reconciliation workflow. Keys outside the table are the vendor's own: any text within
 * ChangeConfiguration's limits (key CiString50, value CiString500). Pure: imported by workflows.
 */
import type { FeatureProfile } from './feature-profiles';
import { featureProfiles } from './feature-profiles';
import type { MeterValuesRequest } from './ocpp16-messages';
import { parseMeasurands } from './soc-configuration';

export type ConfigurationValueType = 'boolean' | 'integer' | 'CSL';

/** R: read-only; RW: read-write; 'R/RW': the charger decides (§9.1 AuthorizeRemoteTxRequests). */
export type KeyAccess = 'R' | 'RW' | 'R/RW';

export interface ConfigurationKeyDefinition {
  type: ConfigurationValueType;
  access: KeyAccess;
  profile: FeatureProfile;
  /** CSL: what each element may be. */
  element?: 'measurand' | 'phaseRotation' | 'featureProfile' | 'chargingRateUnit';
  /** CSL: the read-only key holding the most elements the charger takes. */
  maxLengthKey?: string;
  /** integer: inclusive upper bound where the spec gives one. */
  max?: number;
}

/** ChangeConfiguration.req: key is CiString50Type, value CiString500Type (§6.9). */
export const configurationKeyMaxLength = 50;
export const configurationValueMaxLength = 500;

const rw = (type: ConfigurationValueType, extra: Partial<ConfigurationKeyDefinition> = {}, profile: FeatureProfile = 'Core'): ConfigurationKeyDefinition => ({
  type,
  access: 'RW',
  profile,
  ...extra,
});
const ro = (type: ConfigurationValueType, profile: FeatureProfile = 'Core', extra: Partial<ConfigurationKeyDefinition> = {}): ConfigurationKeyDefinition => ({
  type,
  access: 'R',
  profile,
  ...extra,
});
const measurandList = (maxLengthKey: string) => rw('CSL', { element: 'measurand', maxLengthKey });

export const standardConfigurationKeys: Readonly<Record<string, ConfigurationKeyDefinition>> = {
  // §9.1 Core
  AllowOfflineTxForUnknownId: rw('boolean'),
  AuthorizationCacheEnabled: rw('boolean'),
  AuthorizeRemoteTxRequests: { type: 'boolean', access: 'R/RW', profile: 'Core' },
  BlinkRepeat: rw('integer'),
  ClockAlignedDataInterval: rw('integer'),
  ConnectionTimeOut: rw('integer'),
  ConnectorPhaseRotation: rw('CSL', { element: 'phaseRotation', maxLengthKey: 'ConnectorPhaseRotationMaxLength' }),
  ConnectorPhaseRotationMaxLength: ro('integer'),
  GetConfigurationMaxKeys: ro('integer'),
  HeartbeatInterval: rw('integer'),
  LightIntensity: rw('integer', { max: 100 }),
  LocalAuthorizeOffline: rw('boolean'),
  LocalPreAuthorize: rw('boolean'),
  MaxEnergyOnInvalidId: rw('integer'),
  MeterValuesAlignedData: measurandList('MeterValuesAlignedDataMaxLength'),
  MeterValuesAlignedDataMaxLength: ro('integer'),
  MeterValuesSampledData: measurandList('MeterValuesSampledDataMaxLength'),
  MeterValuesSampledDataMaxLength: ro('integer'),
  MeterValueSampleInterval: rw('integer'),
  MinimumStatusDuration: rw('integer'),
  NumberOfConnectors: ro('integer'),
  ResetRetries: rw('integer'),
  StopTransactionOnEVSideDisconnect: rw('boolean'),
  StopTransactionOnInvalidId: rw('boolean'),
  StopTxnAlignedData: measurandList('StopTxnAlignedDataMaxLength'),
  StopTxnAlignedDataMaxLength: ro('integer'),
  StopTxnSampledData: measurandList('StopTxnSampledDataMaxLength'),
  StopTxnSampledDataMaxLength: ro('integer'),
  SupportedFeatureProfiles: ro('CSL', 'Core', { element: 'featureProfile', maxLengthKey: 'SupportedFeatureProfilesMaxLength' }),
  SupportedFeatureProfilesMaxLength: ro('integer'),
  TransactionMessageAttempts: rw('integer'),
  TransactionMessageRetryInterval: rw('integer'),
  UnlockConnectorOnEVSideDisconnect: rw('boolean'),
  WebSocketPingInterval: rw('integer'),
  // §9.2 Local Auth List Management
  LocalAuthListEnabled: rw('boolean', {}, 'LocalAuthListManagement'),
  LocalAuthListMaxLength: ro('integer', 'LocalAuthListManagement'),
  SendLocalListMaxLength: ro('integer', 'LocalAuthListManagement'),
  // §9.3 Reservation
  ReserveConnectorZeroSupported: ro('boolean', 'Reservation'),
  // §9.4 Smart Charging
  ChargeProfileMaxStackLevel: ro('integer', 'SmartCharging'),
  ChargingScheduleAllowedChargingRateUnit: ro('CSL', 'SmartCharging', { element: 'chargingRateUnit' }),
  ChargingScheduleMaxPeriods: ro('integer', 'SmartCharging'),
  ConnectorSwitch3to1PhaseSupported: ro('boolean', 'SmartCharging'),
  MaxChargingProfilesInstalled: ro('integer', 'SmartCharging'),
};

type Measurand = NonNullable<MeterValuesRequest['meterValue'][number]['sampledValue'][number]['measurand']>;

/** §7.31 Measurand: what the sampled/aligned data lists may hold. */
export const measurands: readonly Measurand[] = [
  'Energy.Active.Export.Register', 'Energy.Active.Import.Register', 'Energy.Reactive.Export.Register', 'Energy.Reactive.Import.Register',
  'Energy.Active.Export.Interval', 'Energy.Active.Import.Interval', 'Energy.Reactive.Export.Interval', 'Energy.Reactive.Import.Interval',
  'Power.Active.Export', 'Power.Active.Import', 'Power.Offered', 'Power.Reactive.Export', 'Power.Reactive.Import', 'Power.Factor',
  'Current.Import', 'Current.Export', 'Current.Offered', 'Voltage', 'Frequency', 'Temperature', 'SoC', 'RPM',
];

/** §9.1 ConnectorPhaseRotation: `<connector>.<rotation>`. */
const phaseRotationPattern = /^\d+\.(RST|RTS|SRT|STR|TRS|TSR|NotApplicable|Unknown)$/;

const elementRules: Record<NonNullable<ConfigurationKeyDefinition['element']>, { test(item: string): boolean; what: string }> = {
  measurand: { test: (m) => (measurands as readonly string[]).includes(m), what: 'an OCPP 1.6 measurand (e.g. Energy.Active.Import.Register)' },
  phaseRotation: { test: (p) => phaseRotationPattern.test(p), what: 'connector.rotation (e.g. 1.RST)' },
  featureProfile: { test: (p) => (featureProfiles as readonly string[]).includes(p), what: 'an OCPP 1.6 feature profile' },
  chargingRateUnit: { test: (u) => u === 'Current' || u === 'Power', what: 'Current or Power' },
};

export function configurationKeyDefinition(key: string): ConfigurationKeyDefinition | undefined {
  return Object.hasOwn(standardConfigurationKeys, key) ? standardConfigurationKeys[key] : undefined;
}

/** Read-only by the spec: never written, whatever a charger says. */
export function isReadonlyByDefinition(key: string): boolean {
  return configurationKeyDefinition(key)?.access === 'R';
}

/** The list elements of a CSL value, trimmed, empty ones dropped. */
export const cslItems = parseMeasurands;

export type ValueCheck = { ok: true; value: string } | { ok: false; problem: string };

/**
 * Whether `value` is valid for `key`, and its normal form (booleans lower case, integers without
 * leading zeros, lists without blanks). `listMaxLength`: the charger's `…MaxLength` for a CSL key,
 * when known.
 */
export function checkConfigurationValue(key: string, value: string, listMaxLength?: number): ValueCheck {
  if (value.length > configurationValueMaxLength) return { ok: false, problem: `must be at most ${configurationValueMaxLength} characters (CiString500)` };
  const definition = configurationKeyDefinition(key);
  if (!definition) return { ok: true, value }; // a vendor key: the charger decides
  switch (definition.type) {
    case 'boolean': {
      const v = value.trim().toLowerCase();
      return v === 'true' || v === 'false' ? { ok: true, value: v } : { ok: false, problem: `${key} is a boolean: must be true or false` };
    }
    case 'integer': {
      const v = value.trim();
      if (!/^\d{1,15}$/.test(v)) return { ok: false, problem: `${key} is an integer: must be a whole number of 0 or more` };
      const n = Number(v);
      if (definition.max !== undefined && n > definition.max) return { ok: false, problem: `${key} must be at most ${definition.max}` };
      return { ok: true, value: String(n) };
    }
    case 'CSL': {
      const items = cslItems(value);
      const rule = definition.element ? elementRules[definition.element] : undefined;
      const bad = rule ? items.find((item) => !rule.test(item)) : undefined;
      if (bad !== undefined) return { ok: false, problem: `${key}: "${bad}" is not ${rule!.what}` };
      if (new Set(items).size !== items.length) return { ok: false, problem: `${key} lists an element twice` };
      if (listMaxLength !== undefined && items.length > listMaxLength) {
        return { ok: false, problem: `${key} may list at most ${listMaxLength} elements (${definition.maxLengthKey})` };
      }
      return { ok: true, value: items.join(',') };
    }
  }
}

/**
 * The measurand lists the network asks for are a minimum, not the whole list: a desired
 * `MeterValuesSampledData` adds its measurands to what is configured and never drops one, so
 * a session that enabled SoC keeps it (the rule of src/ocpp/soc-configuration.ts).
 */
export function isMeasurandList(key: string): boolean {
  return configurationKeyDefinition(key)?.element === 'measurand';
}

/** Whether the charger's value already is what is desired (by the key's type: `TRUE` is `true`, `060` is `60`). */
export function satisfiesDesired(key: string, actual: string | undefined, desired: string): boolean {
  if (actual === undefined) return false;
  const want = checkConfigurationValue(key, desired);
  const have = checkConfigurationValue(key, actual);
  if (!want.ok || !have.ok) return actual === desired;
  if (isMeasurandList(key)) {
    const present = new Set(cslItems(have.value));
    return cslItems(want.value).every((m) => present.has(m));
  }
  return have.value === want.value;
}

/** The value to send for a desired one: a measurand list keeps what is configured and adds what is missing. */
export function valueToSend(key: string, actual: string | undefined, desired: string): string {
  const want = checkConfigurationValue(key, desired);
  const normal = want.ok ? want.value : desired;
  if (!isMeasurandList(key)) return normal;
  const configured = cslItems(actual);
  return [...configured, ...cslItems(normal).filter((m) => !configured.includes(m))].join(',');
}
