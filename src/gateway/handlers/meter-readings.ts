/**
 * Meter samples in the version-neutral words both protocol versions resolve to (MeterSample:
 * the value as an exact decimal string, every default filled in), and what a session reads from
 * them: the energy register in Wh (exact decimal string; kWh ×1000 with big.js), SoC in percent
 * and power in W. SignedData values are stored, never read as numbers. Resolving a frame is the
 * version's own (v16/meter-readings.ts, v201/meter-samples.ts); the defaults they share are here.
 */
import Big from 'big.js';
import type { MeterReading } from '../../../workflows/session-messages';
import type { MeterSampleGroup } from '../storage/ports';

/** OCPP 1.6 and 2.0.1 alike: a sampled value without a measurand is the energy register ... */
export const DEFAULT_MEASURAND = 'Energy.Active.Import.Register';
/** ... without a context a periodic sample. */
export const DEFAULT_CONTEXT = 'Sample.Periodic';

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

/** The unit a value of this measurand is in when the station names none (Wh otherwise, as both specs default). */
export function defaultUnitOf(measurand: string): string {
  return defaultUnits[measurand] ?? 'Wh';
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
export function readingOf(group: MeterSampleGroup): MeterReading {
  const reading: MeterReading = { timestamp: group.timestamp };
  for (const v of group.samples) {
    // Per-phase values are not the total; only phase-less values count.
    if (v.format !== 'Raw' || v.phase) continue;
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
  if (reading.context === undefined && group.samples[0]) reading.context = group.samples[0].context;
  return reading;
}
