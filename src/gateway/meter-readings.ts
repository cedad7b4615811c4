/**
 * From raw OCPP 1.6 MeterValues to what a session needs: the energy register in Wh (exact
 * decimal string; kWh values ×1000 with big.js), SoC in percent and power in W. Defaults per the
 * spec: measurand Energy.Active.Import.Register, context Sample.Periodic, format Raw, and the
 * measurand's default unit (Wh for energy, W for power). SignedData values are stored, never read
 * as numbers.
 */
import Big from 'big.js';
import type { MeterReading } from '../../workflows/session-messages';

export interface SampledValue {
  value: string;
  context?: string;
  format?: string;
  measurand?: string;
  phase?: string;
  location?: string;
  unit?: string;
}

export interface MeterValue {
  timestamp: string;
  sampledValue: SampledValue[];
}

export const DEFAULT_MEASURAND = 'Energy.Active.Import.Register';
export const DEFAULT_CONTEXT = 'Sample.Periodic';
export const DEFAULT_FORMAT = 'Raw';

const defaultUnits: Record<string, string> = {
  'Energy.Active.Import.Register': 'Wh',
  'Energy.Active.Export.Register': 'Wh',
  'Energy.Reactive.Import.Register': 'varh',
  'Power.Active.Import': 'W',
  'Power.Active.Export': 'W',
  SoC: 'Percent',
  Voltage: 'V',
  'Current.Import': 'A',
  'Current.Export': 'A',
  'Current.Offered': 'A',
  Temperature: 'Celsius',
  Frequency: 'Hz',
};

/** A sampled value with every optional field resolved to its spec default. */
export function withDefaults(v: SampledValue): Required<Omit<SampledValue, 'phase' | 'location'>> & Pick<SampledValue, 'phase' | 'location'> {
  const measurand = v.measurand ?? DEFAULT_MEASURAND;
  return {
    value: v.value,
    context: v.context ?? DEFAULT_CONTEXT,
    format: v.format ?? DEFAULT_FORMAT,
    measurand,
    phase: v.phase,
    location: v.location,
    unit: v.unit ?? defaultUnits[measurand] ?? 'Wh',
  };
}

function parseDecimal(value: string): Big | undefined {
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(value.trim())) return undefined;
  try {
    return new Big(value.trim());
  } catch {
    return undefined;
  }
}

/** Scale factor to the base unit (Wh / W), or undefined when the unit is not one of that kind. */
function scale(unit: string, base: 'Wh' | 'W'): number | undefined {
  if (unit === base) return 1;
  if (unit === `k${base}`) return 1000;
  return undefined;
}

/** The readings of one meterValue element; an element with no usable value still carries its timestamp and context. */
export function readingOf(mv: MeterValue): MeterReading {
  const reading: MeterReading = { timestamp: mv.timestamp };
  for (const raw of mv.sampledValue) {
    const v = withDefaults(raw);
    if (v.format !== 'Raw') continue;
    // Per-phase values are not the total; only phase-less values count.
    if (v.phase) continue;
    const n = parseDecimal(v.value);
    if (!n) continue;
    if (v.measurand === 'Energy.Active.Import.Register' && reading.energyWh === undefined) {
      const f = scale(v.unit, 'Wh');
      if (f !== undefined) {
        reading.energyWh = n.times(f).toFixed();
        reading.context ??= v.context;
      }
    } else if (v.measurand === 'SoC' && reading.socPercent === undefined) {
      reading.socPercent = n.toNumber();
      reading.context ??= v.context;
    } else if (v.measurand === 'Power.Active.Import' && reading.powerW === undefined) {
      const f = scale(v.unit, 'W');
      if (f !== undefined) {
        reading.powerW = n.times(f).toNumber();
        reading.context ??= v.context;
      }
    }
  }
  if (reading.context === undefined) {
    const first = mv.sampledValue[0];
    if (first) reading.context = first.context ?? DEFAULT_CONTEXT;
  }
  return reading;
}

export function readingsOf(meterValue: MeterValue[]): MeterReading[] {
  return meterValue.map(readingOf);
}
