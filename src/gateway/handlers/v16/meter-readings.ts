/**
 * From OCPP 1.6 MeterValues to what is stored: a frame is resolved once (`resolveMeterValues`:
 * the spec's defaults — measurand Energy.Active.Import.Register, context Sample.Periodic, format
 * Raw, the measurand's default unit). What a session reads from the samples is version-neutral:
 * src/gateway/handlers/meter-readings.ts.
 */
import type { MeterValuesRequest } from '../../../ocpp/ocpp16-messages';
import type { MeterSample, MeterSampleGroup } from '../../storage/ports';
import { DEFAULT_CONTEXT, DEFAULT_MEASURAND, defaultUnitOf } from '../meter-readings';

export type MeterValue = MeterValuesRequest['meterValue'][number];
type SampledValue = MeterValue['sampledValue'][number];

function resolve(v: SampledValue): MeterSample {
  const measurand = v.measurand ?? DEFAULT_MEASURAND;
  return {
    value: v.value,
    context: v.context ?? DEFAULT_CONTEXT,
    format: v.format ?? 'Raw',
    measurand,
    phase: v.phase,
    location: v.location,
    unit: v.unit ?? defaultUnitOf(measurand),
  };
}

/** Every sampled value with its spec defaults resolved. */
export function resolveMeterValues(meterValue: MeterValue[]): MeterSampleGroup[] {
  return meterValue.map((mv) => ({ timestamp: mv.timestamp, samples: mv.sampledValue.map(resolve) }));
}
