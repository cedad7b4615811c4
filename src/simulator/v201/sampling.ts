/**
 * Sampled values of OCPP 2.0.1 (2.0.1 Part 2 §2 SampledValueType): `value` is a JSON number, the
 * unit goes in unitOfMeasure (energy in Wh, multiplier 0). The energy register is kept exactly in
 * watt-seconds (big.js) and reported in Wh rounded down to 3 decimals, so it never over-reports.
 */
import Big from 'big.js';
import { SAMPLED_MEASURANDS } from '../measurands';

export interface MeterState {
  energyWs: Big;
  powerW: number;
  socPercent: number;
  /** The composite limit on this EVSE, W (undefined: none). */
  offeredW?: number;
}

export interface SampledValue {
  value: number;
  context: string;
  measurand: string;
  location?: string;
  unitOfMeasure?: { unit: string; multiplier?: number };
}

export function registerWh(energyWs: Big): number {
  return energyWs.div(3600).round(3, Big.roundDown).toNumber();
}

/** One sampled value per measurand the station can measure (others are skipped). */
export function sample(state: MeterState, measurands: string[], context: string, wiring: { phases: number; voltageV: number }): SampledValue[] {
  const perPhase = (watts: number) => new Big(watts).div(wiring.phases * wiring.voltageV).round(2, Big.roundDown).toNumber();
  const values: Record<string, number> = {
    'Energy.Active.Import.Register': registerWh(state.energyWs),
    'Power.Active.Import': new Big(state.powerW).round(1, Big.roundDown).toNumber(),
    'Current.Import': perPhase(state.powerW),
    'Current.Offered': perPhase(state.offeredW ?? 32 * wiring.phases * wiring.voltageV),
    Voltage: wiring.voltageV,
    SoC: new Big(state.socPercent).round(1, Big.roundDown).toNumber(),
  };
  return measurands
    .filter((m) => m in SAMPLED_MEASURANDS)
    .map((measurand) => ({
      value: values[measurand],
      context,
      measurand,
      location: SAMPLED_MEASURANDS[measurand].location,
      unitOfMeasure: { unit: SAMPLED_MEASURANDS[measurand].unit, multiplier: 0 },
    }));
}
