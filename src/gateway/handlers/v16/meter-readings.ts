/**
 * From OCPP 1.6 MeterValues to what is stored and what a session needs. A frame is resolved
 * once (`resolveMeterValues`: the spec's defaults — measurand Energy.Active.Import.Register,
 * context Sample.Periodic, format Raw, the measurand's default unit); the samples are stored as
 * resolved and the readings are read from them: the energy register in Wh (exact decimal
 * string; kWh ×1000 with big.js), SoC in percent and power in W. SignedData values are stored,
 * never read as numbers.
 */
import Big from 'big.js';
import type { MeterValuesRequest } from '../../../ocpp/ocpp16-messages';
import type { MeterReading } from '../../../../workflows/session-messages';
import type { MeterSample, MeterSampleGroup } from '../../storage/ports';

export type MeterValue = MeterValuesRequest['meterValue'][number];
type SampledValue = MeterValue['sampledValue'][number];

const DEFAULT_MEASURAND = 'Energy.Active.Import.Register';
const DEFAULT_CONTEXT = 'Sample.Periodic';

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

function resolve(v: SampledValue): MeterSample {
  const measurand = v.measurand ?? DEFAULT_MEASURAND;
  return {
    value: v.value,
    context: v.context ?? DEFAULT_CONTEXT,
    format: v.format ?? 'Raw',
    measurand,
    phase: v.phase,
    location: v.location,
    unit: v.unit ?? defaultUnits[measurand] ?? 'Wh',
  };
}

/** Every sampled value with its spec defaults resolved. */
export function resolveMeterValues(meterValue: MeterValue[]): MeterSampleGroup[] {
  return meterValue.map((mv) => ({ timestamp: mv.timestamp, samples: mv.sampledValue.map(resolve) }));
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
