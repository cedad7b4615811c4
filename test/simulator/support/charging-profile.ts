/** A charging profile for tests: a TxDefaultProfile, Relative, 16 A from 0 s unless the test says otherwise. */
import type { ChargingProfile } from '../../../src/ocpp/ocpp16-messages';

export function profile(p: Partial<ChargingProfile> & { periods?: [number, number, number?][]; unit?: 'A' | 'W'; duration?: number; startSchedule?: string } = {}): ChargingProfile {
  const { periods = [[0, 16]], unit = 'A', duration, startSchedule, ...rest } = p;
  return {
    chargingProfileId: 1,
    stackLevel: 0,
    chargingProfilePurpose: 'TxDefaultProfile',
    chargingProfileKind: 'Relative',
    ...rest,
    chargingSchedule: {
      chargingRateUnit: unit,
      ...(duration !== undefined ? { duration } : {}),
      ...(startSchedule !== undefined ? { startSchedule } : {}),
      chargingSchedulePeriod: periods.map(([startPeriod, limit, numberPhases]) => ({ startPeriod, limit, ...(numberPhases ? { numberPhases } : {}) })),
    },
  };
}
