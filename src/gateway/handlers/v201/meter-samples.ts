/**
 * From OCPP 2.0.1 meter values (MeterValues, and TransactionEvent's `meterValue`) to the
 * version-neutral samples that are stored and read (src/gateway/handlers/meter-readings.ts).
 * A 2.0.1 value is a JSON number in `unitOfMeasure.unit` × 10^`unitOfMeasure.multiplier`; the
 * multiplier is applied exactly (big.js), so the stored value is in the unit stored beside it
 * (154.2 with unit Wh and multiplier 3 is stored as 154200 Wh). Defaults as in 1.6: measurand
 * Energy.Active.Import.Register, context Sample.Periodic, the measurand's default unit. A signed
 * value is stored twice: the number (format Raw) and the signature (format SignedData, the
 * signedMeterValue object as JSON), as 1.6 keeps a SignedData sample beside a Raw one.
 */
import Big from 'big.js';
import type { MeterValue, SampledValueType } from '../../../ocpp/ocpp201-messages';
import type { MeterSample, MeterSampleGroup } from '../../storage/ports';
import { DEFAULT_CONTEXT, DEFAULT_MEASURAND, defaultUnitOf } from '../meter-readings';
import { StationDataError } from '../station-data-error';

export type { MeterValue as MeterValue201 } from '../../../ocpp/ocpp201-messages';

/** SI prefixes end at 10^±30; a multiplier beyond is not a unit of measure but a fault. */
const MAX_MULTIPLIER = 30;

/** `value` × 10^`multiplier`, exactly, as a plain decimal string. */
export function scaledValue(value: number, multiplier = 0): string {
  if (!Number.isInteger(multiplier) || Math.abs(multiplier) > MAX_MULTIPLIER) {
    throw new StationDataError(`unitOfMeasure.multiplier ${multiplier} is outside ±${MAX_MULTIPLIER}`);
  }
  // String(value) is the shortest text that reads back as the same double: 154.2 stays 154.2.
  const scaled = new Big(String(value)).times(new Big(`1e${multiplier}`));
  return scaled.eq(0) ? '0' : scaled.toFixed();
}

function resolve(v: SampledValueType): MeterSample[] {
  const measurand = v.measurand ?? DEFAULT_MEASURAND;
  const common = {
    context: v.context ?? DEFAULT_CONTEXT,
    measurand,
    phase: v.phase,
    location: v.location,
    unit: v.unitOfMeasure?.unit ?? defaultUnitOf(measurand),
  };
  const raw: MeterSample = { ...common, format: 'Raw', value: scaledValue(v.value, v.unitOfMeasure?.multiplier) };
  if (!v.signedMeterValue) return [raw];
  const { signedMeterData, signingMethod, encodingMethod, publicKey } = v.signedMeterValue;
  return [raw, { ...common, format: 'SignedData', value: JSON.stringify({ signedMeterData, signingMethod, encodingMethod, publicKey }) }];
}

/** Every 2.0.1 sampled value with its defaults resolved and its multiplier applied. */
export function resolveMeterSamples(meterValue: readonly MeterValue[]): MeterSampleGroup[] {
  return meterValue.map((mv) => ({ timestamp: mv.timestamp, samples: mv.sampledValue.flatMap(resolve) }));
}
