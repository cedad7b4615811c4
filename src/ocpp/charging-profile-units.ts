/**
 * A charging schedule in the unit the charger takes. Operators and drivers think in kW, and many
 * chargers take only amps (`ChargingScheduleAllowedChargingRateUnit = Current`): the schedule is
 * converted with the station's wiring (src/ocpp/charging-rate.ts, rounded down so it never allows
 * more), and the unit actually sent is always stated with it, never mixed silently. Pure: read by
 * the API and by workflow code.
 */
import { ampsToWatts, wattsToAmps, type StationElectrics } from './charging-rate';
import type { ChargingRateUnit } from './charging-profile-rules';
import type { ChargingSchedule } from './ocpp16-messages';

/** The unit to send: the one asked for when the charger takes it (or never said), else the one it takes. */
export function unitTheStationTakes(wanted: ChargingRateUnit, allowed: ChargingRateUnit[] | undefined): ChargingRateUnit {
  if (!allowed || allowed.length === 0 || allowed.includes(wanted)) return wanted;
  return allowed[0]!;
}

/** One limit converted; a period's own numberPhases (when fewer than the station has) counts. */
function convert(limit: number, from: ChargingRateUnit, to: ChargingRateUnit, e: StationElectrics, numberPhases?: number): number {
  if (from === to) return limit;
  const wiring: StationElectrics = numberPhases !== undefined && numberPhases < e.phases ? { ...e, phases: numberPhases as StationElectrics['phases'] } : e;
  return to === 'A' ? wattsToAmps(limit, wiring) : ampsToWatts(limit, wiring);
}

/** The schedule with every limit (and minChargingRate) in `unit`. */
export function scheduleInUnit(schedule: ChargingSchedule, unit: ChargingRateUnit, e: StationElectrics): ChargingSchedule {
  const from = schedule.chargingRateUnit;
  if (from === unit) return schedule;
  return {
    ...schedule,
    chargingRateUnit: unit,
    chargingSchedulePeriod: schedule.chargingSchedulePeriod.map((p) => ({ ...p, limit: convert(p.limit, from, unit, e, p.numberPhases) })),
    ...(schedule.minChargingRate === undefined ? {} : { minChargingRate: convert(schedule.minChargingRate, from, unit, e) }),
  };
}

/** The least current per phase an EV charges with (IEC 61851-1); below it a charger pauses. */
export const minimumChargingCurrentA = 6;

/**
 * A constant power limit (W) as a one-period schedule in the unit the charger takes. A limit too
 * low for three phases (below 6 A on each) but enough for one is sent with numberPhases 1
 * (§7.10: the phases that may be used), so 3.7 kW charges at 16 A on one phase instead of pausing.
 */
export function powerLimitSchedule(watts: number, allowed: ChargingRateUnit[] | undefined, e: StationElectrics): ChargingSchedule {
  const unit = unitTheStationTakes('W', allowed);
  const onePhase = e.phases > 1 && watts < minimumChargingCurrentA * e.phases * e.voltageV;
  const period = { startPeriod: 0, limit: Math.floor(watts), ...(onePhase ? { numberPhases: 1 } : {}) };
  return scheduleInUnit({ chargingRateUnit: 'W', chargingSchedulePeriod: [period] }, unit, e);
}
