/**
 * A site's grid limit by time of day, in the site's time zone (pure; the site workflow sets a
 * durable timer for the next change). Windows are local "HH:MM" to "HH:MM" (`to` before `from`
 * runs past midnight; "24:00" is midnight at the end); where windows overlap the lowest limit
 * applies, so a mistake in a schedule can only lower the limit.
 */
import { clockMinutes, localTime } from '../billing/time-of-use';

export interface SiteLimitWindow {
  from: string;
  to: string;
  limitW: number;
}

export interface SiteLimit {
  /** The limit outside every window, W. */
  limitW: number;
  windows: SiteLimitWindow[];
  timeZone: string;
}

const dayMinutes = 1440;

function inWindow(minute: number, w: SiteLimitWindow): boolean {
  const from = clockMinutes(w.from);
  const to = clockMinutes(w.to);
  return from <= to ? minute >= from && minute < to : minute >= from || minute < to;
}

/** The limit in force at `ms`, W. */
export function siteLimitAt(limit: SiteLimit, ms: number): number {
  const { minuteOfDay } = localTime(ms, limit.timeZone);
  return limit.windows.filter((w) => inWindow(minuteOfDay, w)).reduce((low, w) => Math.min(low, w.limitW), limit.limitW);
}

/**
 * When the limit may next change (the next window edge), epoch ms; null without windows. Counted
 * in local minutes from now, so across a daylight-saving shift it may wake an hour off: the
 * workflow reads the limit again when it wakes, and sets the next timer from there.
 */
export function nextSiteLimitChangeAt(limit: SiteLimit, ms: number): number | null {
  if (limit.windows.length === 0) return null;
  const { minuteOfDay } = localTime(ms, limit.timeZone);
  const edges = limit.windows.flatMap((w) => [clockMinutes(w.from) % dayMinutes, clockMinutes(w.to) % dayMinutes]);
  const ahead = Math.min(...edges.map((e) => (e - minuteOfDay + dayMinutes) % dayMinutes || dayMinutes));
  const minuteStart = Math.floor(ms / 60_000) * 60_000;
  return minuteStart + ahead * 60_000;
}
