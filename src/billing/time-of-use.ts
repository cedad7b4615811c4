/**
 * Time-of-use periods in the station's local time. Pure and deterministic (Intl time zone data
 * only, no clock), so workflow code may import it.
 *
 * Period edges are whole local minutes and time-zone offsets are whole minutes, so the price
 * period is constant within each UTC minute: boundaries are found by looking at each minute
 * mark between two instants (cheap: readings arrive every minute or so).
 */
import type { TariffSnapshot, TimeOfUsePeriod, Weekday } from './tariff';
import { weekdays } from './tariff';

const minuteMs = 60_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', hour: '2-digit', minute: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The local weekday and minute of the day of an instant in a time zone. */
export function localTime(ms: number, timeZone = 'UTC'): { day: Weekday; minuteOfDay: number } {
  if (timeZone === 'UTC') {
    const d = new Date(ms);
    return { day: weekdays[(d.getUTCDay() + 6) % 7], minuteOfDay: d.getUTCHours() * 60 + d.getUTCMinutes() };
  }
  let day: Weekday = 'mon';
  let hour = 0;
  let minute = 0;
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) {
    if (part.type === 'weekday') day = part.value.slice(0, 3).toLowerCase() as Weekday;
    else if (part.type === 'hour') hour = Number(part.value) % 24;
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { day, minuteOfDay: hour * 60 + minute };
}

/** "HH:MM" → minutes after midnight ("24:00" → 1440). */
export function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** The key of the period pricing energy at an instant: its index in `timeOfUse`, or 'base'. */
export function periodKeyAt(tariff: TariffSnapshot, ms: number): string {
  const periods = tariff.timeOfUse ?? [];
  if (periods.length === 0) return 'base';
  const { day, minuteOfDay } = localTime(ms, tariff.timeZone);
  const index = periods.findIndex(
    (p) => (!p.days || p.days.length === 0 || p.days.includes(day)) && minuteOfDay >= clockMinutes(p.from) && minuteOfDay < clockMinutes(p.to),
  );
  return index < 0 ? 'base' : String(index);
}

export function periodOf(tariff: TariffSnapshot, key: string): TimeOfUsePeriod | null {
  return key === 'base' ? null : (tariff.timeOfUse?.[Number(key)] ?? null);
}

/**
 * Splits [fromMs, toMs) where the period changes: the pieces with the period that prices each.
 * A zero-length (or reversed) span is one piece priced at `fromMs`.
 */
export function splitByPeriod(tariff: TariffSnapshot, fromMs: number, toMs: number): Array<{ from: number; to: number; key: string }> {
  let key = periodKeyAt(tariff, fromMs);
  if (!tariff.timeOfUse?.length || toMs <= fromMs) return [{ from: fromMs, to: Math.max(fromMs, toMs), key }];
  const pieces: Array<{ from: number; to: number; key: string }> = [];
  let start = fromMs;
  for (let mark = Math.floor(fromMs / minuteMs) * minuteMs + minuteMs; mark < toMs; mark += minuteMs) {
    const next = periodKeyAt(tariff, mark);
    if (next !== key) {
      pieces.push({ from: start, to: mark, key });
      start = mark;
      key = next;
    }
  }
  pieces.push({ from: start, to: toMs, key });
  return pieces;
}
