/**
 * Time-of-use periods in the station's local time. Pure and deterministic (Intl time zone data
 * only, no clock), so workflow code may import it.
 *
 * Period edges are whole local minutes and time-zone offsets are whole minutes, so the price
 * period is constant within each UTC minute. Boundaries are found by walking minute marks,
 * jumping straight to the next period edge (or midnight) while the UTC offset stays the same,
 * so a long gap between readings costs a few steps per day, not one per minute.
 */
import type { TariffSnapshot, TimeOfUsePeriod, Weekday } from './tariff';
import { weekdays } from './tariff';

const minuteMs = 60_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows (e.g. Europe/Berlin), so prices can follow it. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The local weekday, minute of the day and UTC offset (minutes) of an instant in a time zone. */
export function localTime(ms: number, timeZone = 'UTC'): { day: Weekday; minuteOfDay: number; offsetMinutes: number } {
  if (timeZone === 'UTC') {
    const d = new Date(ms);
    return { day: weekdays[(d.getUTCDay() + 6) % 7], minuteOfDay: d.getUTCHours() * 60 + d.getUTCMinutes(), offsetMinutes: 0 };
  }
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(ms))) p[part.type] = part.value;
  const hour = Number(p.hour) % 24;
  const minute = Number(p.minute);
  const localAsUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), hour, minute);
  const offsetMinutes = Math.round((localAsUtc - Math.floor(ms / minuteMs) * minuteMs) / minuteMs);
  return { day: p.weekday.slice(0, 3).toLowerCase() as Weekday, minuteOfDay: hour * 60 + minute, offsetMinutes };
}

/** "HH:MM" → minutes after midnight ("24:00" → 1440). */
export function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/** The key of the period pricing energy at an instant: its index in `timeOfUse`, or 'base'. */
export function periodKeyAt(tariff: TariffSnapshot, ms: number): string {
  if (!tariff.timeOfUse?.length) return 'base';
  return periodKeyAtLocal(tariff, localTime(ms, tariff.timeZone));
}

function periodKeyAtLocal(tariff: TariffSnapshot, { day, minuteOfDay }: { day: Weekday; minuteOfDay: number }): string {
  const periods = tariff.timeOfUse ?? [];
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
  const edges = [...new Set(tariff.timeOfUse.flatMap((p) => [clockMinutes(p.from), clockMinutes(p.to)]).concat(1440))].sort((a, b) => a - b);
  let start = fromMs;
  let mark = Math.floor(fromMs / minuteMs) * minuteMs + minuteMs;
  let local = localTime(mark, tariff.timeZone);
  while (mark < toMs) {
    const next = periodKeyAtLocal(tariff, local);
    if (next !== key) {
      pieces.push({ from: start, to: mark, key });
      start = mark;
      key = next;
    }
    // Nothing changes before the next edge unless the UTC offset does (a DST change): then step a minute.
    const edge = edges.find((e) => e > local.minuteOfDay) ?? 1440;
    const jump = mark + (edge - local.minuteOfDay) * minuteMs;
    const there = localTime(jump, tariff.timeZone);
    if (there.offsetMinutes === local.offsetMinutes) {
      mark = jump;
      local = there;
    } else {
      mark += minuteMs;
      local = localTime(mark, tariff.timeZone);
    }
  }
  pieces.push({ from: start, to: toMs, key });
  return pieces;
}
