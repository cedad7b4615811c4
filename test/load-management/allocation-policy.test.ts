import fc from 'fast-check';
import { allocate, usableW, type AllocationSession } from '../../src/load-management/allocation-policy';
import {
  applyAnswer,
  chargerRebooted,
  countedSumW,
  countedW,
  floorW,
  markSent,
  planRound,
  resend,
  sessionMaxW,
  type ManagedSession,
} from '../../src/load-management/allocation-rounds';
import type { StationElectrics } from '../../src/ocpp/charging-rate';

const threePhase: StationElectrics = { phases: 3, voltageV: 230 };
const onePhase: StationElectrics = { phases: 1, voltageV: 230 };

const session = (key: string, order: number, over: Partial<AllocationSession> = {}): AllocationSession => ({
  key,
  order,
  maxW: 22_080,
  minW: 4_140,
  measuredW: null,
  ...over,
});

describe('allocation policy', () => {
  it('three chargers on a 22 kW site get equal shares', () => {
    const a = allocate(22_000, [session('a', 1), session('b', 2), session('c', 3)]);
    expect([...a.values()].reduce((x, y) => x + y)).toBeLessThanOrEqual(22_000);
    for (const w of a.values()) expect(w).toBeGreaterThanOrEqual(7_333);
  });

  it('a car drawing 3 kW keeps its draw plus a ramp margin, and the others share what it frees', () => {
    const a = allocate(22_000, [session('a', 1), session('b', 2), session('c', 3, { measuredW: 3_000 })]);
    expect(a.get('c')).toBe(usableW(session('c', 3, { measuredW: 3_000 })));
    expect(a.get('c')).toBeLessThan(5_000);
    expect(a.get('a')).toBeGreaterThan(8_500);
    expect(a.get('a')! + a.get('b')! + a.get('c')!).toBeLessThanOrEqual(22_000);
  });

  it('a session that cannot reach the floor is paused with 0, the latest started first', () => {
    const a = allocate(11_000, [session('a', 1), session('b', 2), session('c', 3)]);
    expect(a.get('c')).toBe(0);
    expect(a.get('a')).toBe(5_500);
    expect(a.get('b')).toBe(5_500);
  });

  it("a driver's limit caps the share and the rest goes to the others", () => {
    const a = allocate(22_000, [session('a', 1, { maxW: 5_000 }), session('b', 2)]);
    expect(a.get('a')).toBe(5_000);
    expect(a.get('b')).toBe(17_000);
  });

  it('a reserved session is counted first and never re-shared', () => {
    const a = allocate(22_000, [session('a', 1, { reservedW: 22_080 }), session('b', 2)]);
    expect(a.get('a')).toBe(22_080);
    expect(a.get('b')).toBe(0);
  });
});

/** A charger in the property test: what it really holds, whatever the site believes. */
interface Charger {
  limitW: number;
  answers: 'accepted' | 'rejected' | 'unanswered';
}

const managed = (key: string, order: number, over: Partial<ManagedSession> = {}): ManagedSession => ({
  key,
  sessionId: key,
  stationId: key,
  connectorId: 1,
  transactionId: order,
  order,
  driverMaxW: null,
  chargerMaxW: 22_080,
  electrics: threePhase,
  unit: 'W',
  measuredW: null,
  measuredAt: null,
  staleBefore: null,
  inForceW: 22_080,
  pendingW: null,
  allocatedW: 0,
  sendState: 'unsent',
  offline: null,
  flags: [],
  ...over,
});

type Event =
  | { kind: 'start'; chargerMaxW: number; driverMaxW: number | null; onePhase: boolean; amps: boolean; answers: Charger['answers'] }
  | { kind: 'stop'; index: number }
  | { kind: 'reading'; index: number; w: number }
  | { kind: 'limit'; limitW: number }
  | { kind: 'nudge'; deltaW: number }
  | { kind: 'reboot'; index: number }
  | { kind: 'retry'; index: number };

const events: fc.Arbitrary<Event> = fc.oneof(
  fc.record({
    kind: fc.constant('start' as const),
    chargerMaxW: fc.constantFrom(7_360, 11_040, 22_080),
    driverMaxW: fc.option(fc.integer({ min: 1_000, max: 22_000 }), { nil: null }),
    onePhase: fc.boolean(),
    amps: fc.boolean(),
    answers: fc.constantFrom('accepted', 'accepted', 'accepted', 'rejected', 'unanswered'),
  }),
  fc.record({ kind: fc.constant('stop' as const), index: fc.nat(20) }),
  fc.record({ kind: fc.constant('reading' as const), index: fc.nat(20), w: fc.integer({ min: 0, max: 22_080 }) }),
  fc.record({ kind: fc.constant('limit' as const), limitW: fc.integer({ min: 0, max: 100_000 }) }),
  fc.record({ kind: fc.constant('nudge' as const), deltaW: fc.integer({ min: -600, max: 600 }) }),
  fc.record({ kind: fc.constant('reboot' as const), index: fc.nat(20) }),
  fc.record({ kind: fc.constant('retry' as const), index: fc.nat(20) }),
);

describe('allocation rounds (property tests)', () => {
  it('whatever happens, once the site has settled the limits in force sum to at most the site limit, nobody gets more than it can use, nobody charges below the floor', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.array(events, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 200 }), (initialLimit, script, order) => {
        let limitW = initialLimit;
        const sessions: ManagedSession[] = [];
        const chargers = new Map<string, Charger>();
        let next = 0;
        let coin = 0;
        const toss = (): number => order[coin++ % Math.max(1, order.length)] ?? 0;
        const trueSum = (): number => sessions.reduce((sum, s) => sum + chargers.get(s.key)!.limitW, 0);

        const settle = (): void => {
          for (let round = 0; ; round++) {
            expect(round).toBeLessThan(50); // it settles
            const plan = planRound(limitW, sessions);
            if (plan.phase === 'idle') break;
            const before = countedSumW(sessions);
            for (const send of plan.sends) {
              const s = sessions.find((x) => x.key === send.key)!;
              // Every limit sent is a pause or at least the floor, and never more than the session can use.
              expect(send.limitW === 0 || send.limitW >= floorW(s.electrics)).toBe(true);
              expect(send.limitW).toBeLessThanOrEqual(sessionMaxW(s));
              markSent(s, send);
            }
            // A raise is sent only when what is counted, with it, fits.
            if (plan.phase === 'raise') expect(countedSumW(sessions)).toBeLessThanOrEqual(Math.max(limitW, before));
            // Answers come back in any order; after each, what the site counts is never below what is in force.
            const answered = [...plan.sends].sort(() => (toss() % 2 ? 1 : -1));
            for (const send of answered) {
              const s = sessions.find((x) => x.key === send.key)!;
              const charger = chargers.get(s.key)!;
              if (charger.answers === 'accepted') charger.limitW = send.limitW;
              // A charger that does not answer may still have taken the limit.
              if (charger.answers === 'unanswered' && toss() % 2) charger.limitW = send.limitW;
              applyAnswer(s, send, charger.answers);
              for (const x of sessions) expect(countedW(x)).toBeGreaterThanOrEqual(chargers.get(x.key)!.limitW);
              if (plan.phase === 'raise') expect(trueSum()).toBeLessThanOrEqual(Math.max(limitW, before));
            }
          }
          const unmovable = sessions.filter((s) => s.sendState === 'rejected' || s.sendState === 'unanswered');
          const reserved = unmovable.reduce((sum, s) => sum + s.chargerMaxW, 0);
          if (reserved <= limitW) expect(trueSum()).toBeLessThanOrEqual(limitW);
          else for (const s of sessions) if (!unmovable.includes(s)) expect(chargers.get(s.key)!.limitW).toBe(0);
          for (const s of sessions) {
            const w = chargers.get(s.key)!.limitW;
            if (s.sendState === 'accepted') {
              expect(w === 0 || w >= floorW(s.electrics)).toBe(true);
              expect(w).toBeLessThanOrEqual(sessionMaxW(s));
            }
          }
        };

        for (const event of script) {
          const pick = (i: number): ManagedSession | undefined => sessions[i % Math.max(1, sessions.length)];
          if (event.kind === 'start') {
            const key = `s${next++}`;
            const electrics = event.onePhase ? onePhase : threePhase;
            const chargerMaxW = event.onePhase ? Math.min(event.chargerMaxW, 7_360) : event.chargerMaxW;
            sessions.push(managed(key, next, { chargerMaxW, driverMaxW: event.driverMaxW, electrics, unit: event.amps ? 'A' : 'W', inForceW: chargerMaxW }));
            chargers.set(key, { limitW: Math.min(chargerMaxW, event.driverMaxW ?? Infinity), answers: event.answers });
          } else if (event.kind === 'stop') {
            const s = pick(event.index);
            if (s) sessions.splice(sessions.indexOf(s), 1);
          } else if (event.kind === 'reading') {
            const s = pick(event.index);
            if (s) s.measuredW = Math.min(event.w, chargers.get(s.key)!.limitW);
          } else if (event.kind === 'limit') limitW = event.limitW;
          else if (event.kind === 'nudge') limitW = Math.max(0, limitW + event.deltaW);
          else if (event.kind === 'reboot') {
            const s = pick(event.index);
            if (s) {
              chargers.get(s.key)!.limitW = Math.min(s.chargerMaxW, s.driverMaxW ?? Infinity);
              chargerRebooted(s);
            }
          } else {
            const s = pick(event.index);
            if (s) resend(s);
          }
          settle();
        }
      }),
      { numRuns: 1_000 },
    );
  });

  it('every allocation is within what the session can use, and the allocations never sum above the limit', () => {
    const sessionArb = fc.record({
      maxW: fc.integer({ min: 0, max: 22_080 }),
      minW: fc.constantFrom(1_380, 4_140),
      measuredW: fc.option(fc.integer({ min: 0, max: 22_080 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200_000 }), fc.array(sessionArb, { maxLength: 30 }), (limitW, raw) => {
        const list = raw.map((r, i) => session(`k${i}`, i, r));
        const a = allocate(limitW, list);
        expect([...a.values()].reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(limitW);
        for (const s of list) {
          const w = a.get(s.key)!;
          expect(w).toBeLessThanOrEqual(usableW(s));
          expect(w === 0 || w >= s.minW).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
