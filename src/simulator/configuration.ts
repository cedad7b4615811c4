/**
 * The charge point's configuration store, per OCPP 1.6 §9 "Standard Configuration Key Names &
 * Values": every key has a type (boolean, integer, CSL, string), an accessibility (read-only or
 * read-write) and a current value. §9.1 (Core) keys are always present; §9.2 (Local Auth List
 * Management), §9.3 (Reservation) and §9.4 (Smart Charging) keys only when that profile is declared
 * in SupportedFeatureProfiles.
 *
 * It is a Map<string, string> of key → value (so tests may read and preset values directly) with
 * the per-key metadata alongside.
 */

export type ConfigurationKeyType = 'boolean' | 'integer' | 'CSL' | 'string';

export interface ConfigurationKeySpec {
  type: ConfigurationKeyType;
  readonly: boolean;
  value: string;
  /** Integer keys: inclusive bounds (default min 0). */
  min?: number;
  max?: number;
  /** CSL keys: the key holding the maximum number of elements. */
  maxLengthKey?: string;
  /** CSL keys: which elements are acceptable. */
  element?: 'measurand' | 'phaseRotation' | 'profile' | 'chargingRateUnit';
}

export type ChangeConfigurationStatus = 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported';

/** OCPP 1.6 Measurand values (the MeterValues schema's enum). */
export const OCPP_MEASURANDS = new Set([
  'Energy.Active.Export.Register',
  'Energy.Active.Import.Register',
  'Energy.Reactive.Export.Register',
  'Energy.Reactive.Import.Register',
  'Energy.Active.Export.Interval',
  'Energy.Active.Import.Interval',
  'Energy.Reactive.Export.Interval',
  'Energy.Reactive.Import.Interval',
  'Power.Active.Export',
  'Power.Active.Import',
  'Power.Offered',
  'Power.Reactive.Export',
  'Power.Reactive.Import',
  'Power.Factor',
  'Current.Import',
  'Current.Export',
  'Current.Offered',
  'Voltage',
  'Frequency',
  'Temperature',
  'SoC',
  'RPM',
]);

/** The feature profiles of OCPP 1.6 §3. */
export const FEATURE_PROFILES = ['Core', 'FirmwareManagement', 'LocalAuthListManagement', 'Reservation', 'SmartCharging', 'RemoteTrigger'] as const;
export type FeatureProfile = (typeof FEATURE_PROFILES)[number];

const bool = (value: boolean, readonly = false): ConfigurationKeySpec => ({ type: 'boolean', readonly, value: String(value) });
const int = (value: number, readonly = false, extra: Partial<ConfigurationKeySpec> = {}): ConfigurationKeySpec => ({ type: 'integer', readonly, value: String(value), ...extra });
const measurands = (value: string, maxLengthKey: string): ConfigurationKeySpec => ({ type: 'CSL', readonly: false, value, maxLengthKey, element: 'measurand' });

/** §9.1 Core Profile keys (optional ones included: this charger implements them). */
function coreKeys(connectors: number): Record<string, ConfigurationKeySpec> {
  return {
    AllowOfflineTxForUnknownId: bool(false),
    AuthorizationCacheEnabled: bool(true),
    AuthorizeRemoteTxRequests: bool(false),
    BlinkRepeat: int(3),
    ClockAlignedDataInterval: int(0),
    ConnectionTimeOut: int(60),
    ConnectorPhaseRotation: { type: 'CSL', readonly: false, value: Array.from({ length: connectors }, (_, i) => `${i + 1}.RST`).join(','), maxLengthKey: 'ConnectorPhaseRotationMaxLength', element: 'phaseRotation' },
    ConnectorPhaseRotationMaxLength: int(Math.max(connectors + 1, 4), true),
    GetConfigurationMaxKeys: int(50, true),
    HeartbeatInterval: int(300),
    LightIntensity: int(100, false, { max: 100 }),
    LocalAuthorizeOffline: bool(true),
    LocalPreAuthorize: bool(false),
    MaxEnergyOnInvalidId: int(0),
    MeterValuesAlignedData: measurands('Energy.Active.Import.Register', 'MeterValuesAlignedDataMaxLength'),
    MeterValuesAlignedDataMaxLength: int(4, true),
    MeterValuesSampledData: measurands('Energy.Active.Import.Register', 'MeterValuesSampledDataMaxLength'),
    MeterValuesSampledDataMaxLength: int(4, true),
    MeterValueSampleInterval: int(60),
    MinimumStatusDuration: int(0),
    NumberOfConnectors: int(connectors, true),
    ResetRetries: int(1),
    StopTransactionOnEVSideDisconnect: bool(true),
    StopTransactionOnInvalidId: bool(true),
    StopTxnAlignedData: measurands('', 'StopTxnAlignedDataMaxLength'),
    StopTxnAlignedDataMaxLength: int(4, true),
    StopTxnSampledData: measurands('Energy.Active.Import.Register', 'StopTxnSampledDataMaxLength'),
    StopTxnSampledDataMaxLength: int(4, true),
    SupportedFeatureProfiles: { type: 'CSL', readonly: true, value: 'Core', maxLengthKey: 'SupportedFeatureProfilesMaxLength', element: 'profile' },
    SupportedFeatureProfilesMaxLength: int(FEATURE_PROFILES.length, true),
    TransactionMessageAttempts: int(3, false, { min: 1 }),
    TransactionMessageRetryInterval: int(1),
    UnlockConnectorOnEVSideDisconnect: bool(true),
    WebSocketPingInterval: int(0),
  };
}

/** Keys a declared profile adds (§9.2 – §9.4). */
const profileKeys: Partial<Record<FeatureProfile, Record<string, ConfigurationKeySpec>>> = {
  LocalAuthListManagement: {
    LocalAuthListEnabled: bool(true),
    LocalAuthListMaxLength: int(100, true),
    SendLocalListMaxLength: int(20, true),
  },
  Reservation: {
    ReserveConnectorZeroSupported: bool(false, true),
  },
  SmartCharging: {
    ChargeProfileMaxStackLevel: int(8, true),
    ChargingScheduleAllowedChargingRateUnit: { type: 'CSL', readonly: true, value: 'Current,Power', element: 'chargingRateUnit' },
    ChargingScheduleMaxPeriods: int(24, true),
    ConnectorSwitch3to1PhaseSupported: bool(false, true),
    MaxChargingProfilesInstalled: int(8, true),
  },
};

export interface ConfigurationOptions {
  connectors: number;
  /** Declared in SupportedFeatureProfiles; adds that profile's keys. */
  featureProfiles: readonly string[];
  /** Initial values (override the defaults; an unknown key becomes a read-write string key). */
  values?: Record<string, string>;
  /** Keys reported and enforced read-only in addition to the spec's read-only keys. */
  readonlyKeys?: readonly string[];
  /** Keys whose accepted change answers RebootRequired and takes effect at the next boot. */
  rebootRequiredKeys?: readonly string[];
  /** The measurands the hardware can sample (a valid OCPP measurand outside this set is Rejected). */
  supportedMeasurands: ReadonlySet<string>;
}

const PHASE_ROTATION = /^\d+\.(RST|RTS|SRT|STR|TRS|TSR|NotApplicable|Unknown)$/;

/** Splits a comma-separated list (OCPP "CSL"), trimming entries and dropping empty ones. */
export function cslList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m.length > 0);
}

export class ConfigurationStore extends Map<string, string> {
  private readonly specs = new Map<string, ConfigurationKeySpec>();
  private readonly rebootRequired: Set<string>;
  /** Values accepted with RebootRequired, applied by applyPendingAtBoot(). */
  private readonly pending = new Map<string, string>();
  private readonly supportedMeasurands: ReadonlySet<string>;

  constructor(options: ConfigurationOptions) {
    super();
    this.supportedMeasurands = options.supportedMeasurands;
    this.rebootRequired = new Set(options.rebootRequiredKeys ?? []);
    const keys = { ...coreKeys(options.connectors) };
    for (const profile of options.featureProfiles) Object.assign(keys, profileKeys[profile as FeatureProfile] ?? {});
    keys.SupportedFeatureProfiles = { ...keys.SupportedFeatureProfiles, value: options.featureProfiles.join(',') };
    for (const [key, spec] of Object.entries(keys)) this.define(key, spec);
    for (const [key, value] of Object.entries(options.values ?? {})) this.set(key, value);
    for (const key of options.readonlyKeys ?? []) this.markReadonly(key);
  }

  /** Adds (or redefines) a key with its metadata. */
  define(key: string, spec: ConfigurationKeySpec): void {
    this.specs.set(key, { ...spec }); // own copy: markReadonly must not touch shared definitions
    super.set(key, spec.value);
  }

  override set(key: string, value: string): this {
    // A key preset without a definition is a vendor-specific read-write string.
    if (this.specs && !this.specs.has(key)) this.specs.set(key, { type: 'string', readonly: false, value });
    return super.set(key, value);
  }

  override delete(key: string): boolean {
    this.specs.delete(key);
    return super.delete(key);
  }

  spec(key: string): ConfigurationKeySpec | undefined {
    return this.specs.get(key);
  }

  isReadonly(key: string): boolean {
    return this.specs.get(key)?.readonly ?? false;
  }

  markReadonly(key: string, readonly = true): void {
    const spec = this.specs.get(key);
    if (!spec) throw new Error(`unknown configuration key ${key}`);
    spec.readonly = readonly;
  }

  /** From now on an accepted change of `key` answers RebootRequired (and waits for the next boot). */
  requireReboot(key: string, required = true): void {
    if (required) this.rebootRequired.add(key);
    else this.rebootRequired.delete(key);
  }

  /** Values changed with RebootRequired that wait for the next boot. */
  pendingChanges(): ReadonlyMap<string, string> {
    return this.pending;
  }

  /** Applies the values accepted with RebootRequired (the charger is booting); returns the keys applied. */
  applyPendingAtBoot(): string[] {
    const keys = [...this.pending.keys()];
    for (const [key, value] of this.pending) super.set(key, value);
    this.pending.clear();
    return keys;
  }

  /** Integer value of a key (NaN when absent or not a number). */
  integer(key: string): number {
    const v = this.get(key);
    return v !== undefined && /^\d+$/.test(v) ? Number(v) : Number.NaN;
  }

  /** Boolean value of a key (false when absent). */
  flag(key: string): boolean {
    return this.get(key)?.toLowerCase() === 'true';
  }

  list(key: string): string[] {
    return cslList(this.get(key));
  }

  /**
   * ChangeConfiguration per §5.3: NotSupported for an unknown key, Rejected for a read-only key or a
   * value that is not valid for the key, otherwise Accepted (applied now) or RebootRequired (stored,
   * applied at the next boot). `normalised` is the value as stored.
   */
  change(key: string, value: string): { status: ChangeConfigurationStatus; normalised?: string } {
    const spec = this.specs.get(key);
    if (!spec) return { status: 'NotSupported' };
    if (spec.readonly) return { status: 'Rejected' };
    const normalised = this.validate(spec, value);
    if (normalised === undefined) return { status: 'Rejected' };
    if (this.rebootRequired.has(key)) {
      this.pending.set(key, normalised);
      return { status: 'RebootRequired', normalised };
    }
    this.pending.delete(key);
    super.set(key, normalised);
    return { status: 'Accepted', normalised };
  }

  /** The value as it would be stored, or undefined when it is not acceptable for the key. */
  private validate(spec: ConfigurationKeySpec, value: string): string | undefined {
    switch (spec.type) {
      case 'boolean': {
        const v = value.trim().toLowerCase();
        return v === 'true' || v === 'false' ? v : undefined;
      }
      case 'integer': {
        const v = value.trim();
        if (!/^\d+$/.test(v)) return undefined;
        const n = Number(v);
        if (n < (spec.min ?? 0) || (spec.max !== undefined && n > spec.max) || !Number.isSafeInteger(n)) return undefined;
        return String(n);
      }
      case 'CSL': {
        const items = cslList(value);
        if (new Set(items).size !== items.length) return undefined;
        const max = spec.maxLengthKey ? this.integer(spec.maxLengthKey) : Number.NaN;
        if (!Number.isNaN(max) && items.length > max) return undefined;
        if (!items.every((item) => this.acceptableElement(spec, item))) return undefined;
        return items.join(',');
      }
      default:
        return value;
    }
  }

  private acceptableElement(spec: ConfigurationKeySpec, item: string): boolean {
    switch (spec.element) {
      case 'measurand':
        return OCPP_MEASURANDS.has(item) && this.supportedMeasurands.has(item);
      case 'phaseRotation':
        return PHASE_ROTATION.test(item);
      case 'profile':
        return (FEATURE_PROFILES as readonly string[]).includes(item);
      case 'chargingRateUnit':
        return item === 'Current' || item === 'Power';
      default:
        return true;
    }
  }
}
