/**
 * The site load manager on the time-skipping server with a scripted gateway: how it shares a
 * site's limit, in which order it sends, and what it does when chargers fail, go away, reboot,
 * or the limit changes. Over real WebSockets with simulated chargers: site-load-manager.stack.test.ts.
 */
import { createSiteWorld, type SiteWorld } from './support/site-world';

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

describe('site load manager', () => {
  let world: SiteWorld;

  beforeAll(async () => {
    world = await createSiteWorld();
  });
  afterAll(async () => {
    await world?.close();
  });
  afterEach(async () => {
    await world.endSites();
    expect(world.violations.splice(0)).toEqual([]);
  });

  it('three chargers on a 22 kW site share it; when one stops the other two rise, after the stop', async () => {
    const ids = ['S1_A', 'S1_B', 'S1_C'];
    await world.createSite('s1', '22', ids.map((id) => ({ id })));
    for (const [i, id] of ids.entries()) await world.charging('s1', id, 101 + i);
    const shared = await world.until('s1', 'three equal shares in force', (v) => v.sessions.length === 3 && v.sessions.every((s) => s.state === 'charging' && s.allocatedW > 7_000));
    expect(sum(world.limits(ids))).toBeLessThanOrEqual(22_000);
    for (const w of world.limits(ids)) expect(w).toBeGreaterThanOrEqual(7_333);
    expect(shared).toMatchObject({ limitW: 22_000, withinLimit: true });
    // Each allocation is the site's TxProfile for the transaction, above the driver's own.
    expect(world.calls.find((c) => c.stationId === 'S1_A')).toMatchObject({ purpose: 'TxProfile', stackLevel: 2, chargingProfileId: 201, transactionId: 101, unit: 'W' });

    const before = world.calls.length;
    await world.ended('s1', 'S1_C', 103);
    await world.until('s1', 'the two left at 11 kW', (v) => v.sessions.length === 2 && v.sessions.every((s) => s.countedW === 11_000));
    expect(world.limits(['S1_A', 'S1_B'])).toEqual([11_000, 11_000]);
    expect(world.calls.slice(before).map((c) => c.stationId).sort()).toEqual(['S1_A', 'S1_B']);
  });

  it('a car drawing 3 kW frees headroom: it is lowered first, then the others rise', async () => {
    const ids = ['S2_A', 'S2_B', 'S2_C'];
    await world.createSite('s2', '22', ids.map((id) => ({ id })));
    for (const [i, id] of ids.entries()) await world.charging('s2', id, 201 + i);
    await world.until('s2', 'equal shares', (v) => v.sessions.length === 3 && v.sessions.every((s) => s.state === 'charging'));
    const before = world.calls.length;
    await world.reading('S2_C', 203, 3_000);
    await world.env.sleep(6_000); // the next poll
    const v = await world.until('s2', 'the headroom given to A and B', (x) => x.sessions.find((s) => s.stationId === 'S2_A')!.countedW > 8_000);
    const c = v.sessions.find((s) => s.stationId === 'S2_C')!;
    expect(c).toMatchObject({ measuredW: 3_000, state: 'charging' });
    expect(c.countedW).toBeLessThan(5_000);
    expect(c.countedW).toBeGreaterThanOrEqual(4_140); // never below the floor of 6 A on three phases
    const after = world.calls.slice(before);
    expect(after[0].stationId).toBe('S2_C');
    expect(after.slice(1).map((x) => x.stationId).sort()).toEqual(['S2_A', 'S2_B']);
    expect(sum(world.limits(ids))).toBeLessThanOrEqual(22_000);
  });

  it('a charger that rejects its profile is counted at its maximum and flagged; the others share what is left, and it is tried again later', async () => {
    const ids = ['S3_A', 'S3_B', 'S3_C'];
    await world.createSite('s3', '22', ids.map((id) => ({ id, maxPowerKw: '11' })));
    world.answers.set('S3_B', 'Rejected');
    for (const [i, id] of ids.entries()) await world.charging('s3', id, 301 + i);
    const v = await world.until('s3', 'B failed, A and C reduced', (x) => x.sessions.length === 3 && x.sessions.find((s) => s.stationId === 'S3_B')!.state === 'failed' && x.sessions.filter((s) => s.state === 'charging').length === 2);
    const b = v.sessions.find((s) => s.stationId === 'S3_B')!;
    expect(b).toMatchObject({ countedW: 11_000, flags: ['profile_rejected'], limitInForce: null });
    expect(world.limits(['S3_A', 'S3_C'])).toEqual([5_500, 5_500]);
    expect(v.countedW).toBeLessThanOrEqual(22_000);
    // The charger takes profiles again: tried after SITE_RETRY_FAILED_MS, and the others rise once it is down.
    world.answers.set('S3_B', 'Accepted');
    await world.env.sleep(world.config.SITE_RETRY_FAILED_MS + 6_000);
    const again = await world.until('s3', 'three shares', (x) => x.sessions.every((s) => s.state === 'charging' && s.countedW >= 7_333 && s.countedW <= 7_334));
    expect(again.sessions.find((s) => s.stationId === 'S3_B')!.flags).toEqual([]);
  });

  it('a charger that does not answer, or answers with a CALLERROR, is counted at its maximum and flagged', async () => {
    await world.createSite('s4', '22', [{ id: 'S4_A', maxPowerKw: '11' }, { id: 'S4_B', maxPowerKw: '11' }, { id: 'S4_C', maxPowerKw: '11' }]);
    world.answers.set('S4_A', 'silent');
    world.answers.set('S4_B', 'callerror');
    await world.charging('s4', 'S4_A', 401);
    await world.charging('s4', 'S4_B', 402);
    await world.charging('s4', 'S4_C', 403);
    const v = await world.until('s4', 'A and B failed, C paused', (x) => x.sessions.length === 3 && x.sessions.filter((s) => s.state === 'failed').length === 2 && x.sessions.find((s) => s.stationId === 'S4_C')!.state === 'paused');
    expect(v.sessions.find((s) => s.stationId === 'S4_A')!.flags).toEqual(['profile_unanswered']);
    expect(v.sessions.find((s) => s.stationId === 'S4_B')!.flags).toEqual(['profile_rejected']);
    // 22 kW less 2 × 11 kW leaves nothing: C is paused with 0, never given less than its floor.
    expect(world.limits(['S4_C'])).toEqual([0]);
  });

  it('a charger that goes offline keeps its allocation for the grace, then it is freed; when it returns the others are lowered before it rises', async () => {
    const ids = ['S5_A', 'S5_B', 'S5_C'];
    await world.createSite('s5', '22', ids.map((id) => ({ id })));
    for (const [i, id] of ids.entries()) await world.charging('s5', id, 501 + i);
    await world.until('s5', 'equal shares', (v) => v.sessions.length === 3 && v.sessions.every((s) => s.state === 'charging'));
    await world.db.pool.query('UPDATE chargers SET online = FALSE WHERE id = $1', ['S5_C']);
    await world.env.sleep(6_000);
    const away = await world.until('s5', 'C offline', (v) => v.sessions.find((s) => s.stationId === 'S5_C')!.state === 'offline');
    expect(away.sessions.find((s) => s.stationId === 'S5_C')!.countedW).toBe(world.limits(['S5_C'])[0]);
    expect(world.limits(['S5_A', 'S5_B']).every((w) => w < 8_000)).toBe(true); // still reserved

    // After the grace the site no longer counts C (by design: its reservation is freed for the others).
    const keptByC = world.inForce.get('S5_C')!;
    world.inForce.delete('S5_C');
    await world.env.sleep(world.config.SITE_OFFLINE_GRACE_MS + 6_000);
    const freed = await world.until('s5', 'C freed, A and B at 11 kW', (v) => v.sessions.filter((s) => s.countedW === 11_000).length === 2);
    expect(freed.sessions.find((s) => s.stationId === 'S5_C')).toMatchObject({ countedW: 0, flags: ['offline_reservation_freed'] });

    const before = world.calls.length;
    await world.db.pool.query('UPDATE chargers SET online = TRUE WHERE id = $1', ['S5_C']);
    world.inForce.set('S5_C', keptByC); // the profile it kept while offline
    await world.env.sleep(6_000);
    await world.until('s5', 'three shares again', (v) => v.sessions.every((s) => s.state === 'charging' && s.countedW >= 7_333 && s.countedW < 7_400));
    // A and B were lowered back (nothing rose while they were above their share: afterEach checks every raise).
    const after = world.calls.slice(before);
    expect(after.filter((c) => c.stationId !== 'S5_C').map((c) => [c.stationId, c.limitW < 7_400]).sort()).toEqual([['S5_A', true], ['S5_B', true]]);
  });

  it('a charger that rebooted (a new boot) is sent its allocation again', async () => {
    await world.createSite('s6', '22', [{ id: 'S6_A' }, { id: 'S6_B' }]);
    await world.charging('s6', 'S6_A', 601);
    await world.charging('s6', 'S6_B', 602);
    await world.until('s6', 'two shares', (v) => v.sessions.length === 2 && v.sessions.every((s) => s.state === 'charging'));
    const before = world.calls.filter((c) => c.stationId === 'S6_A').length;
    await world.db.pool.query("UPDATE chargers SET booted_at = now() + interval '1 second' WHERE id = $1", ['S6_A']);
    world.inForce.set('S6_A', 22_080); // it lost its profiles
    await world.env.sleep(6_000);
    const v = await world.until('s6', 'A sent again', (x) => x.sessions.find((s) => s.stationId === 'S6_A')!.flags.includes('charger_rebooted') && x.sessions.every((s) => s.state === 'charging'));
    expect(world.calls.filter((c) => c.stationId === 'S6_A').length).toBe(before + 1);
    expect(world.limits(['S6_A'])).toEqual([11_000]);
    expect(v.countedW).toBe(22_000);
  });

  it("a charger that takes only amps gets A per phase, rounded down, and a driver's own limit caps its share", async () => {
    await world.createSite('s7', '22', [{ id: 'S7_A', units: 'Current' }, { id: 'S7_B' }]);
    await world.charging('s7', 'S7_A', 701);
    await world.charging('s7', 'S7_B', 702, '5');
    const v = await world.until('s7', 'A gets the rest', (x) => x.sessions.length === 2 && x.sessions.every((s) => s.state === 'charging') && x.sessions.find((s) => s.stationId === 'S7_A')!.allocatedW === 17_000);
    const a = world.calls.filter((c) => c.stationId === 'S7_A').pop()!;
    expect(a).toMatchObject({ unit: 'A', limit: 24.6 }); // 17,000 W / (3 × 230 V) = 24.63 A → 24.6 A
    expect(v.sessions.find((s) => s.stationId === 'S7_A')!.limitInForce).toEqual({ value: 24.6, unit: 'A' });
    expect(world.calls.filter((c) => c.stationId === 'S7_B').pop()).toMatchObject({ unit: 'W', limit: 5_000 });
  });

  it('an operator lowering the limit is applied at once, lowering every charger before anything rises', async () => {
    const ids = ['S8_A', 'S8_B'];
    await world.createSite('s8', '22', ids.map((id) => ({ id })));
    await world.charging('s8', 'S8_A', 801);
    await world.charging('s8', 'S8_B', 802);
    await world.until('s8', 'two shares', (v) => v.sessions.length === 2 && v.sessions.every((s) => s.countedW === 11_000));
    world.siteLimitW = 11_000;
    await world.sites.updateSite('s8', { limitKw: '11' });
    await world.until('s8', 'halved', (v) => v.limitW === 11_000 && v.sessions.every((s) => s.countedW === 5_500));
    expect(world.limits(ids)).toEqual([5_500, 5_500]);
  });
});

describe('site load manager over time', () => {
  let world: SiteWorld;

  beforeAll(async () => {
    // Polls once a minute, so skipping an hour is 60 polls.
    world = await createSiteWorld({ pollIntervalMs: '60000' });
  });
  afterAll(async () => {
    await world?.close();
  });
  afterEach(async () => {
    await world.endSites();
    expect(world.violations.splice(0)).toEqual([]);
  });

  /** An Etc/GMT zone in which it is 17:xx now (Etc/GMT+N is UTC−N). */
  function zoneAt17(nowMs: number): string {
    let n = (new Date(nowMs).getUTCHours() - 17 + 24) % 24;
    if (n > 12) n -= 24;
    return n === 0 ? 'Etc/GMT' : n > 0 ? `Etc/GMT+${n}` : `Etc/GMT${n}`;
  }

  it("the limit lowered at 18:00 (the site's local time) lowers every charger at 18:00, by a durable timer", async () => {
    const now = await world.env.currentTimeMs();
    const timeZone = zoneAt17(now);
    const ids = ['T1_A', 'T1_B'];
    await world.createSite('t1', '22', ids.map((id) => ({ id })), { timeZone, limitWindows: [{ from: '18:00', to: '22:00', limitKw: '11' }] });
    await world.charging('t1', 'T1_A', 1101);
    await world.charging('t1', 'T1_B', 1102);
    await world.until('t1', 'two shares of 22 kW', (v) => v.sessions.length === 2 && v.sessions.every((s) => s.countedW === 11_000));
    const local = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(await world.env.currentTimeMs()));
    expect(local.startsWith('17:')).toBe(true);
    const minutesTo18 = 60 - Number(local.slice(3));
    // Just before 18:00 nothing has changed; just after, both are at half.
    await world.env.sleep((minutesTo18 - 1) * 60_000);
    expect((await world.allocation('t1')).limitW).toBe(22_000);
    world.siteLimitW = 11_000;
    await world.env.sleep(2 * 60_000);
    const v = await world.until('t1', 'halved at 18:00', (x) => x.limitW === 11_000 && x.sessions.every((s) => s.countedW === 5_500));
    expect(v.withinLimit).toBe(true);
    expect(world.limits(ids)).toEqual([5_500, 5_500]);
  });
});
