/**
 * What a session has used so far, kept by the workflow and folded reading by reading.
 * Energy comes from register readings (never from summed deltas), so a replayed or
 * reordered reading cannot change the bill.
 */
import { Big } from './money';
import type { TariffSnapshot } from './tariff';

export interface SessionUsage {
  meterStartWh: string;
  /** The highest trusted register reading so far (Wh, decimal string). */
  meterLatestWh: string;
  startTime: string;
  lastReadingAt: string | null;
}

export function startUsage(_tariff: TariffSnapshot, meterStartWh: number | string, startTime: string): SessionUsage {
  return { meterStartWh: new Big(meterStartWh).toString(), meterLatestWh: new Big(meterStartWh).toString(), startTime, lastReadingAt: null };
}

/** A register reading below the latest is kept out (it is flagged by the caller); equal or higher moves the latest reading. */
export function recordReading(_tariff: TariffSnapshot, usage: SessionUsage, reading: { at: string; energyWh: string }): SessionUsage {
  if (new Big(reading.energyWh).lt(usage.meterLatestWh)) return usage;
  const lastReadingAt = usage.lastReadingAt && usage.lastReadingAt > reading.at ? usage.lastReadingAt : reading.at;
  return { ...usage, meterLatestWh: new Big(reading.energyWh).toString(), lastReadingAt };
}
