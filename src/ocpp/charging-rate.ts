/**
 * Watts and amps for smart charging (OCPP 1.6 §3.13, chargingRateUnit `W` or `A`). A limit in A is
 * per phase, so converting needs the station's phases and voltage (migration 0009):
 * P = phases × voltage × I. Whole watts and tenths of an amp (the spec's one decimal), always
 * rounded down, so a converted limit never allows more than the original. Pure: read by
 * workflow code.
 */
export interface StationElectrics {
  phases: 1 | 3;
  /** Phase-to-neutral voltage, V. */
  voltageV: number;
}

export const defaultStationElectrics: StationElectrics = { phases: 3, voltageV: 230 };

/** Whole watts drawn at `amps` per phase, rounded down. */
export function ampsToWatts(amps: number, e: StationElectrics): number {
  // Tenths of an amp as an integer first, so 16.1 A does not become 16.099999… A.
  const deciAmps = Math.floor(Math.round(amps * 1000) / 100);
  return Math.floor((deciAmps * e.phases * e.voltageV) / 10);
}

/** The current per phase, in tenths of an amp rounded down, that draws at most `watts`. */
export function wattsToAmps(watts: number, e: StationElectrics): number {
  return Math.floor((Math.floor(watts) * 10) / (e.phases * e.voltageV)) / 10;
}
