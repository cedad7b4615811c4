/**
 * What a session has used so far, kept by the workflow and folded event by event. Plain JSON
 * (the workflow carries it across continue-as-new). Pure: no clock, no I/O.
 *
 * Energy comes from register readings (never from summed deltas), so a replayed or
 * reordered reading cannot change the total energy.
 *
 * Time of use: each accepted reading's increase over the latest register is spread over the
 * time since the previous accepted reading (or the transaction start). Where that span crosses
 * a period boundary the register at the boundary is interpolated linearly on the timestamps,
 * exactly, then rounded half-up to 0.001 Wh; the last piece takes the remainder, so the
 * per-period energies always sum exactly to the delivered energy. A reading stamped at or
 * before the previous one puts its whole increase in the period of the previous one.
 */
import { Big } from './money';
import type { TariffSnapshot } from './tariff';
import { periodKeyAt, splitByPeriod } from './time-of-use';

export interface SessionUsage {
  meterStartWh: string;
  /** The highest trusted register reading so far (Wh, decimal string). */
  meterLatestWh: string;
  startTime: string;
  lastReadingAt: string | null;
  /** Wh delivered in each time-of-use period (key: index in tariff.timeOfUse, or 'base'); time-of-use tariffs only. */
  energyWhByPeriod?: Record<string, string>;
  /** When charging finished and idling began (first SuspendedEV/Finishing not followed by Charging). */
  chargingEndedAt?: string | null;
  /** When the EV unplugged (Available) after charging finished. */
  idleEndedAt?: string | null;
}

export function startUsage(tariff: TariffSnapshot, meterStartWh: number | string, startTime: string): SessionUsage {
  const usage: SessionUsage = {
    meterStartWh: new Big(meterStartWh).toString(),
    meterLatestWh: new Big(meterStartWh).toString(),
    startTime,
    lastReadingAt: null,
  };
  if (tariff.timeOfUse?.length) usage.energyWhByPeriod = {};
  return usage;
}

/** A register reading below the latest is kept out (it is flagged by the caller); equal or higher moves the latest reading. */
export function recordReading(tariff: TariffSnapshot, usage: SessionUsage, reading: { at: string; energyWh: string }): SessionUsage {
  if (new Big(reading.energyWh).lt(usage.meterLatestWh)) return usage;
  const previousAt = usage.lastReadingAt ?? usage.startTime;
  const lastReadingAt = usage.lastReadingAt && usage.lastReadingAt > reading.at ? usage.lastReadingAt : reading.at;
  const next: SessionUsage = { ...usage, meterLatestWh: new Big(reading.energyWh).toString(), lastReadingAt };
  if (usage.energyWhByPeriod) {
    const delta = new Big(reading.energyWh).minus(usage.meterLatestWh);
    next.energyWhByPeriod = delta.eq(0) ? usage.energyWhByPeriod : addByPeriod(tariff, usage.energyWhByPeriod, previousAt, reading.at, delta);
  }
  return next;
}

function addByPeriod(tariff: TariffSnapshot, byPeriod: Record<string, string>, fromIso: string, toIso: string, deltaWh: Big): Record<string, string> {
  const from = Date.parse(fromIso);
  const to = Date.parse(toIso);
  const result = { ...byPeriod };
  const add = (key: string, wh: Big): void => {
    result[key] = new Big(result[key] ?? '0').plus(wh).toString();
  };
  if (!(to > from)) {
    add(periodKeyAt(tariff, from), deltaWh);
    return result;
  }
  const span = to - from;
  // The register at instant t, relative to the previous reading: delta × (t − from) / span, to 0.001 Wh.
  const registerAt = (t: number): Big => (t >= to ? deltaWh : deltaWh.times(t - from).div(span).round(3, Big.roundHalfUp));
  for (const piece of splitByPeriod(tariff, from, to)) add(piece.key, registerAt(piece.to).minus(registerAt(piece.from)));
  return result;
}

export type ConnectorStatusReading = { at: string; status: string };

/**
 * Folds an OCPP connector status into the usage: SuspendedEV/Finishing after the start marks
 * the end of charging (idle begins); Charging again cancels it (the car was only pausing);
 * Available (unplugged) ends the idle time, or charging if it had not finished yet.
 * Other statuses change nothing. A repeated status changes nothing.
 */
export function recordConnectorStatus(_tariff: TariffSnapshot, usage: SessionUsage, reading: ConnectorStatusReading): SessionUsage {
  if (usage.idleEndedAt) return usage;
  const at = reading.at < usage.startTime ? usage.startTime : reading.at;
  switch (reading.status) {
    case 'SuspendedEV':
    case 'Finishing':
      return usage.chargingEndedAt ? usage : { ...usage, chargingEndedAt: at };
    case 'Charging':
      return usage.chargingEndedAt ? { ...usage, chargingEndedAt: null } : usage;
    case 'Available': {
      const chargingEndedAt = usage.chargingEndedAt ?? at;
      return { ...usage, chargingEndedAt, idleEndedAt: at < chargingEndedAt ? chargingEndedAt : at };
    }
    default:
      return usage;
  }
}
