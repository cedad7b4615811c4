/**
 * The OCPP 2.0.1 device model of the simulated station (Part 1 §4, Part 2 appendix "Referenced
 * Components and Variables"): components with variables, each with its Actual value, mutability
 * and characteristics (dataType, valuesList, limits). GetVariables / SetVariables (B06 / B05) and
 * GetBaseReport (B07) read it; the station reads its own behaviour from it.
 *
 * Only the Actual attribute is implemented; other attribute types answer NotSupportedAttributeType.
 * Keys are 'Component.Variable' (or 'Component.Variable[Instance]' for an instanced variable); a
 * key without an instance also finds the first instance of that variable.
 */
export type DataType = 'string' | 'decimal' | 'integer' | 'dateTime' | 'boolean' | 'OptionList' | 'SequenceList' | 'MemberList';
export type Mutability = 'ReadOnly' | 'WriteOnly' | 'ReadWrite';

export interface ComponentRef {
  name: string;
  instance?: string;
  evse?: { id: number; connectorId?: number };
}

export interface VariableRef {
  name: string;
  instance?: string;
}

export interface VariableDefinition {
  component: ComponentRef;
  variable: VariableRef;
  dataType: DataType;
  mutability: Mutability;
  value: string;
  valuesList?: string[];
  minLimit?: number;
  maxLimit?: number;
  unit?: string;
  /** SetVariables answers RebootRequired; the value takes effect at the next boot. */
  rebootRequired?: boolean;
}

export type GetVariableStatus = 'Accepted' | 'Rejected' | 'UnknownComponent' | 'UnknownVariable' | 'NotSupportedAttributeType';
export type SetVariableStatus = GetVariableStatus | 'RebootRequired';

/** The measurands this station can sample (SoC only when the EV reports it). */
export function samplableMeasurands(supportsSoc: boolean): string[] {
  return ['Energy.Active.Import.Register', 'Power.Active.Import', 'Current.Import', 'Current.Offered', 'Voltage', ...(supportsSoc ? ['SoC'] : [])];
}

export interface DeviceModelOptions {
  evses: number;
  supportsSoc: boolean;
  vendorName: string;
  model: string;
  serialNumber: string;
  firmwareVersion: string;
}

/** The station's variables and their defaults. */
function definitions(o: DeviceModelOptions): VariableDefinition[] {
  const measurands = samplableMeasurands(o.supportsSoc);
  const rw = (component: string, variable: string, dataType: DataType, value: string, extra: Partial<VariableDefinition> = {}, instance?: string): VariableDefinition => ({
    component: { name: component },
    variable: { name: variable, ...(instance ? { instance } : {}) },
    dataType,
    mutability: 'ReadWrite',
    value,
    ...extra,
  });
  const ro = (component: string, variable: string, dataType: DataType, value: string, extra: Partial<VariableDefinition> = {}, instance?: string): VariableDefinition => ({
    ...rw(component, variable, dataType, value, extra, instance),
    mutability: 'ReadOnly',
  });
  const measurandList = (variable: string, value: string) => rw('SampledDataCtrlr', variable, 'MemberList', value, { valuesList: measurands });
  const alignedList = (variable: string, value: string) => rw('AlignedDataCtrlr', variable, 'MemberList', value, { valuesList: measurands });
  const evseVariables = Array.from({ length: o.evses }, (_, i) => i + 1).flatMap((id): VariableDefinition[] => [
    { ...ro('EVSE', 'AvailabilityState', 'OptionList', 'Available', { valuesList: ['Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted'] }), component: { name: 'EVSE', evse: { id } } },
    { ...ro('EVSE', 'Available', 'boolean', 'true'), component: { name: 'EVSE', evse: { id } } },
    { ...ro('EVSE', 'Power', 'decimal', '22080', { unit: 'W', maxLimit: 22080 }), component: { name: 'EVSE', evse: { id } } },
    { ...ro('Connector', 'AvailabilityState', 'OptionList', 'Available', { valuesList: ['Available', 'Occupied', 'Reserved', 'Unavailable', 'Faulted'] }), component: { name: 'Connector', evse: { id, connectorId: 1 } } },
    { ...ro('Connector', 'ConnectorType', 'string', 'cType2'), component: { name: 'Connector', evse: { id, connectorId: 1 } } },
  ]);
  return [
    ro('ChargingStation', 'AvailabilityState', 'OptionList', 'Available', { valuesList: ['Available', 'Unavailable'] }),
    ro('ChargingStation', 'Available', 'boolean', 'true'),
    ro('ChargingStation', 'Model', 'string', o.model),
    ro('ChargingStation', 'VendorName', 'string', o.vendorName),
    ro('ChargingStation', 'SerialNumber', 'string', o.serialNumber),
    ro('Controller', 'FirmwareVersion', 'string', o.firmwareVersion),
    ...evseVariables,
    rw('OCPPCommCtrlr', 'HeartbeatInterval', 'integer', '0', { unit: 's', minLimit: 0 }),
    rw('OCPPCommCtrlr', 'MessageAttempts', 'integer', '3', { minLimit: 0 }, 'TransactionEvent'),
    rw('OCPPCommCtrlr', 'MessageAttemptInterval', 'integer', '1', { unit: 's', minLimit: 0 }, 'TransactionEvent'),
    rw('OCPPCommCtrlr', 'OfflineThreshold', 'integer', '60', { unit: 's', minLimit: 0 }),
    rw('OCPPCommCtrlr', 'ResetRetries', 'integer', '1', { minLimit: 0 }),
    ro('SecurityCtrlr', 'SecurityProfile', 'integer', '1'),
    rw('SampledDataCtrlr', 'Enabled', 'boolean', 'true'),
    ro('SampledDataCtrlr', 'Available', 'boolean', 'true'),
    measurandList('TxStartedMeasurands', 'Energy.Active.Import.Register'),
    measurandList('TxUpdatedMeasurands', 'Energy.Active.Import.Register'),
    rw('SampledDataCtrlr', 'TxUpdatedInterval', 'integer', '0', { unit: 's', minLimit: 0 }),
    measurandList('TxEndedMeasurands', 'Energy.Active.Import.Register'),
    rw('SampledDataCtrlr', 'TxEndedInterval', 'integer', '0', { unit: 's', minLimit: 0 }),
    rw('AlignedDataCtrlr', 'Enabled', 'boolean', 'true'),
    alignedList('Measurands', 'Energy.Active.Import.Register'),
    rw('AlignedDataCtrlr', 'Interval', 'integer', '0', { unit: 's', minLimit: 0 }),
    alignedList('TxEndedMeasurands', 'Energy.Active.Import.Register'),
    rw('AlignedDataCtrlr', 'TxEndedInterval', 'integer', '0', { unit: 's', minLimit: 0 }),
    rw('AuthCtrlr', 'Enabled', 'boolean', 'true'),
    rw('AuthCtrlr', 'AuthorizeRemoteStart', 'boolean', 'false'),
    rw('AuthCtrlr', 'LocalAuthorizeOffline', 'boolean', 'true'),
    rw('AuthCtrlr', 'LocalPreAuthorize', 'boolean', 'false'),
    rw('AuthCtrlr', 'OfflineTxForUnknownIdEnabled', 'boolean', 'false'),
    rw('AuthCacheCtrlr', 'Enabled', 'boolean', 'true'),
    ro('AuthCacheCtrlr', 'Available', 'boolean', 'true'),
    rw('AuthCacheCtrlr', 'LifeTime', 'integer', '86400', { unit: 's', minLimit: 0 }),
    ro('AuthCacheCtrlr', 'Storage', 'integer', '1000', { maxLimit: 1000 }),
    rw('LocalAuthListCtrlr', 'Enabled', 'boolean', 'true'),
    ro('LocalAuthListCtrlr', 'Available', 'boolean', 'true'),
    ro('LocalAuthListCtrlr', 'Entries', 'integer', '0', { maxLimit: 1000 }),
    ro('LocalAuthListCtrlr', 'ItemsPerMessage', 'integer', '100'),
    ro('LocalAuthListCtrlr', 'BytesPerMessage', 'integer', '65536'),
    ro('LocalAuthListCtrlr', 'Storage', 'integer', '1000', { maxLimit: 1000 }),
    rw('TxCtrlr', 'EVConnectionTimeOut', 'integer', '60', { unit: 's', minLimit: 0 }),
    rw('TxCtrlr', 'StopTxOnInvalidId', 'boolean', 'true'),
    rw('TxCtrlr', 'StopTxOnEVSideDisconnect', 'boolean', 'true'),
    rw('TxCtrlr', 'TxStartPoint', 'MemberList', 'PowerPathClosed', { valuesList: ['ParkingBayOccupancy', 'EVConnected', 'Authorized', 'DataSigned', 'PowerPathClosed', 'EnergyTransfer'] }),
    rw('TxCtrlr', 'TxStopPoint', 'MemberList', 'PowerPathClosed', { valuesList: ['ParkingBayOccupancy', 'EVConnected', 'Authorized', 'DataSigned', 'PowerPathClosed', 'EnergyTransfer'] }),
    rw('SmartChargingCtrlr', 'Enabled', 'boolean', 'true'),
    ro('SmartChargingCtrlr', 'Available', 'boolean', 'true'),
    ro('SmartChargingCtrlr', 'Entries', 'integer', '0', { maxLimit: 20 }, 'ChargingProfiles'),
    ro('SmartChargingCtrlr', 'ProfileStackLevel', 'integer', '10'),
    ro('SmartChargingCtrlr', 'PeriodsPerSchedule', 'integer', '24'),
    ro('SmartChargingCtrlr', 'RateUnit', 'MemberList', 'A,W', { valuesList: ['A', 'W'] }),
    rw('SmartChargingCtrlr', 'LimitChangeSignificance', 'decimal', '1', { unit: 'Percent', minLimit: 0, maxLimit: 100 }),
    rw('ReservationCtrlr', 'Enabled', 'boolean', 'true'),
    ro('ReservationCtrlr', 'Available', 'boolean', 'true'),
    ro('ReservationCtrlr', 'NonEvseSpecific', 'boolean', 'false'),
    ro('DeviceDataCtrlr', 'ItemsPerMessage', 'integer', '50', { minLimit: 1 }, 'GetReport'),
    ro('DeviceDataCtrlr', 'ItemsPerMessage', 'integer', '50', { minLimit: 1 }, 'GetVariables'),
    ro('DeviceDataCtrlr', 'ItemsPerMessage', 'integer', '50', { minLimit: 1 }, 'SetVariables'),
    ro('DeviceDataCtrlr', 'BytesPerMessage', 'integer', '65536', {}, 'GetReport'),
    rw('ClockCtrlr', 'TimeSource', 'SequenceList', 'Heartbeat', { valuesList: ['Heartbeat', 'NTP', 'GPS', 'RealTimeClock', 'MobileNetwork', 'RadioTimeTransmitter'] }),
  ];
}

function sameComponent(a: ComponentRef, b: ComponentRef): boolean {
  if (a.name !== b.name || (a.instance ?? '') !== (b.instance ?? '')) return false;
  if (!a.evse && !b.evse) return true;
  if (!a.evse || !b.evse) return false;
  return a.evse.id === b.evse.id && (b.evse.connectorId === undefined || a.evse.connectorId === undefined || a.evse.connectorId === b.evse.connectorId);
}

/** Whether `value` is valid for the variable: its dataType, valuesList and limits. */
export function validValue(d: VariableDefinition, value: string): boolean {
  if (value.length > 2500) return false;
  switch (d.dataType) {
    case 'boolean':
      return value === 'true' || value === 'false';
    case 'integer':
    case 'decimal': {
      const pattern = d.dataType === 'integer' ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
      if (!pattern.test(value)) return false;
      const n = Number(value);
      return (d.minLimit === undefined || n >= d.minLimit) && (d.maxLimit === undefined || n <= d.maxLimit);
    }
    case 'dateTime':
      return !Number.isNaN(Date.parse(value));
    case 'OptionList':
      return !d.valuesList || d.valuesList.includes(value);
    case 'MemberList':
    case 'SequenceList': {
      if (value === '') return true;
      const items = value.split(',').map((s) => s.trim());
      return items.every((item) => item !== '' && (!d.valuesList || d.valuesList.includes(item))) && new Set(items).size === items.length;
    }
    default:
      return d.maxLimit === undefined || value.length <= d.maxLimit;
  }
}

export function keyOf(d: { component: ComponentRef; variable: VariableRef }): string {
  return `${d.component.name}.${d.variable.name}${d.variable.instance ? `[${d.variable.instance}]` : ''}`;
}

export class DeviceModel {
  private readonly variables: VariableDefinition[];
  /** Values set with RebootRequired, applied at the next boot. */
  private readonly pending = new Map<VariableDefinition, string>();

  constructor(options: DeviceModelOptions, preset: Record<string, string> = {}) {
    this.variables = definitions(options);
    for (const [key, value] of Object.entries(preset)) {
      const d = this.byKey(key);
      if (!d) throw new Error(`preset variable ${key} is not in the device model`);
      if (!validValue(d, value)) throw new Error(`preset variable ${key}: '${value}' is not a valid ${d.dataType}${d.valuesList ? ` of ${d.valuesList.join(',')}` : ''}`);
      d.value = value;
    }
  }

  /** The definition behind a 'Component.Variable' or 'Component.Variable[Instance]' key (station-level or first EVSE's component). */
  byKey(key: string): VariableDefinition | undefined {
    const m = /^([^.]+)\.([^[]+)(?:\[(.*)\])?$/.exec(key);
    if (!m) return undefined;
    const [, component, variable, instance] = m;
    return this.variables.find((d) => d.component.name === component && d.variable.name === variable && (instance === undefined || d.variable.instance === instance));
  }

  get(key: string): string | undefined {
    return this.byKey(key)?.value;
  }

  /** Sets a value from inside the station (no mutability check): the boot interval, read-only counters. */
  setInternal(key: string, value: string, evseId?: number): void {
    const d = evseId === undefined ? this.byKey(key) : this.variables.find((v) => keyOf(v) === key && v.component.evse?.id === evseId);
    if (!d) throw new Error(`no variable ${key}`);
    d.value = value;
  }

  integer(key: string): number {
    return Number(this.get(key) ?? 0);
  }

  flag(key: string): boolean {
    return this.get(key) === 'true';
  }

  list(key: string): string[] {
    const value = this.get(key) ?? '';
    return value === '' ? [] : value.split(',').map((s) => s.trim());
  }

  /** Finds the variable a request names: UnknownComponent when no variable has that component, UnknownVariable when the component lacks it. */
  find(component: ComponentRef, variable: VariableRef): VariableDefinition | 'UnknownComponent' | 'UnknownVariable' {
    const ofComponent = this.variables.filter((d) => sameComponent(d.component, component));
    if (ofComponent.length === 0) return 'UnknownComponent';
    const named = ofComponent.filter((d) => d.variable.name === variable.name);
    // A request without instance finds an instanced variable only when it is the only one of that name.
    const match = named.find((d) => (d.variable.instance ?? '') === (variable.instance ?? '')) ?? (variable.instance === undefined && named.length === 1 ? named[0] : undefined);
    return match ?? 'UnknownVariable';
  }

  /** B06 GetVariables, one entry. */
  getVariable(request: { component: ComponentRef; variable: VariableRef; attributeType?: string }): { attributeStatus: GetVariableStatus; attributeValue?: string } {
    const found = this.find(request.component, request.variable);
    if (typeof found === 'string') return { attributeStatus: found };
    if ((request.attributeType ?? 'Actual') !== 'Actual') return { attributeStatus: 'NotSupportedAttributeType' };
    // B06.FR.?: a WriteOnly value is never reported.
    if (found.mutability === 'WriteOnly') return { attributeStatus: 'Rejected' };
    return { attributeStatus: 'Accepted', attributeValue: found.value };
  }

  /** B05 SetVariables, one entry: read-only, invalid values and values outside valuesList are Rejected. */
  setVariable(request: { component: ComponentRef; variable: VariableRef; attributeValue: string; attributeType?: string }): { attributeStatus: SetVariableStatus; changed?: string; reason?: string } {
    const found = this.find(request.component, request.variable);
    if (typeof found === 'string') return { attributeStatus: found };
    if ((request.attributeType ?? 'Actual') !== 'Actual') return { attributeStatus: 'NotSupportedAttributeType' };
    if (found.mutability === 'ReadOnly') return { attributeStatus: 'Rejected', reason: 'ReadOnly' };
    if (!validValue(found, request.attributeValue)) return { attributeStatus: 'Rejected', reason: found.valuesList ? 'ValueNotInList' : 'InvalidValue' };
    if (found.rebootRequired) {
      this.pending.set(found, request.attributeValue);
      return { attributeStatus: 'RebootRequired' };
    }
    found.value = request.attributeValue;
    return { attributeStatus: 'Accepted', changed: keyOf(found) };
  }

  /** Values set with RebootRequired take effect (at boot). */
  applyPendingAtBoot(): void {
    for (const [d, value] of this.pending) d.value = value;
    this.pending.clear();
  }

  /**
   * B07 GetBaseReport's report data: FullInventory every variable; ConfigurationInventory the
   * writable ones; SummaryInventory the availability and state of the components.
   */
  report(reportBase: 'FullInventory' | 'ConfigurationInventory' | 'SummaryInventory'): Record<string, unknown>[] {
    const chosen = this.variables.filter((d) => {
      if (reportBase === 'ConfigurationInventory') return d.mutability !== 'ReadOnly';
      if (reportBase === 'SummaryInventory') return d.variable.name === 'AvailabilityState' || d.variable.name === 'Available';
      return true;
    });
    return chosen.map((d) => ({
      component: d.component,
      variable: d.variable,
      variableAttribute: [{ type: 'Actual', ...(d.mutability === 'WriteOnly' ? {} : { value: d.value }), mutability: d.mutability, persistent: true, constant: d.mutability === 'ReadOnly' }],
      variableCharacteristics: {
        dataType: d.dataType,
        supportsMonitoring: false,
        ...(d.unit ? { unit: d.unit } : {}),
        ...(d.minLimit !== undefined ? { minLimit: d.minLimit } : {}),
        ...(d.maxLimit !== undefined ? { maxLimit: d.maxLimit } : {}),
        ...(d.valuesList ? { valuesList: d.valuesList.join(',') } : {}),
      },
    }));
  }
}
