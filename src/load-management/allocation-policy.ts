/**
 * How a site's grid limit is shared among its charging sessions (pure; read by the site workflow
 * and by the property tests).
 *
 * 1. What the site cannot move is reserved first: a charger that rejected its allocation or did
 *    not answer is assumed to draw its maximum; an offline charger keeps its last limit until
 *    its grace passes.
 * 2. The rest is shared in equal shares, each capped by what the session can use: its own
 *    maximum (the driver's limit, the charger's maximum) and, when its car measurably draws less
 *    than it is given, that draw plus a ramp margin (so it can ramp back up, a margin per round).
 *    What a capped session leaves goes to the others ("water filling").
 * 3. A share below the session's floor (6 A per phase: the least an OCPP charger can charge at,
 *    IEC 61851) is no valid limit: the latest-started session below its floor is paused (0) and
 *    the shares are computed again, until every session charging is at or above its floor.
 *
 * Whole watts, rounded down: the allocations never sum above the limit.
 */

export interface AllocationSession {
  key: string;
  /** Start order: when not everyone can reach the floor, the latest started are paused first. */
  order: number;
  /** The most this session may be given: min(driver's limit, charger's maximum), W. */
  maxW: number;
  /** The floor, W (6 A per phase on the charger's wiring). */
  minW: number;
  /** Power.Active.Import last measured while it was allowed to charge, W; null: not known. */
  measuredW: number | null;
  /** Set when the site cannot move this session's limit: counted as drawn, never re-shared. */
  reservedW?: number;
}

/** The margin above a car's measured draw it keeps, so it can ramp back up. */
export function rampMarginW(s: Pick<AllocationSession, 'minW' | 'measuredW'>): number {
  return Math.max(Math.ceil(s.minW / 3), Math.ceil((s.measuredW ?? 0) / 4));
}

/** What the session can use this round: its maximum, or less when its car draws less. */
export function usableW(s: AllocationSession): number {
  if (s.measuredW === null) return s.maxW;
  return Math.min(s.maxW, Math.max(s.minW, Math.floor(s.measuredW + rampMarginW(s))));
}

/** Equal shares of `availableW`, capped per session; what a capped one leaves goes to the rest. */
export function waterFill(availableW: number, caps: ReadonlyArray<{ key: string; capW: number }>): Map<string, number> {
  const out = new Map<string, number>();
  let remaining = Math.max(0, Math.floor(availableW));
  const ascending = [...caps].sort((a, b) => a.capW - b.capW || (a.key < b.key ? -1 : 1));
  for (let i = 0; i < ascending.length; i++) {
    const share = Math.floor(remaining / (ascending.length - i));
    const given = Math.max(0, Math.min(Math.floor(ascending[i].capW), share));
    out.set(ascending[i].key, given);
    remaining -= given;
  }
  return out;
}

/** Each session's allocation, W: reserved ones their reservation, paused ones 0. */
export function allocate(limitW: number, sessions: readonly AllocationSession[]): Map<string, number> {
  const out = new Map<string, number>();
  let available = Math.floor(limitW);
  for (const s of sessions) {
    if (s.reservedW === undefined) continue;
    out.set(s.key, s.reservedW);
    available -= s.reservedW;
  }
  // A session whose maximum is below its floor can never charge at a valid limit.
  let charging = sessions.filter((s) => s.reservedW === undefined && s.maxW >= s.minW);
  for (const s of sessions) if (s.reservedW === undefined && s.maxW < s.minW) out.set(s.key, 0);
  for (;;) {
    const shares = waterFill(available, charging.map((s) => ({ key: s.key, capW: usableW(s) })));
    const belowFloor = charging.filter((s) => shares.get(s.key)! < s.minW);
    if (belowFloor.length === 0) {
      for (const [key, w] of shares) out.set(key, w);
      return out;
    }
    const paused = belowFloor.reduce((a, b) => (b.order > a.order ? b : a));
    out.set(paused.key, 0);
    charging = charging.filter((s) => s !== paused);
  }
}
