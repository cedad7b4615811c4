/**
 * The site load manager outlives its worker, on the real Temporal dev server: the session worker
 * (which runs the site's workflow) is replaced mid-session, and the new one carries on from the
 * workflow's history: the allocations stay in force, and a stop afterwards still raises the
 * others, lowering first, never above the site's limit.
 */
import { createSiteWorld, type SiteWorld } from './support/site-world';

jest.setTimeout(120_000);

describe('site load manager across a worker restart', () => {
  let world: SiteWorld;

  beforeAll(async () => {
    world = await createSiteWorld({ pollIntervalMs: '1000' }, { temporal: 'dev-server' });
  });
  afterAll(async () => {
    await world?.close();
  });

  it('a worker restart mid-session: the shares stay, and a stop after it raises the other charger to the whole site', async () => {
    await world.createSite('wr', '22', [{ id: 'WR_A' }, { id: 'WR_B' }]);
    await world.charging('wr', 'WR_A', 701);
    await world.charging('wr', 'WR_B', 702);
    await world.until('wr', 'two halves in force', (v) => v.sessions.length === 2 && v.sessions.every((s) => s.state === 'charging' && s.countedW === 11_000));
    expect(world.limits(['WR_A', 'WR_B'])).toEqual([11_000, 11_000]);

    await world.restartWorker();
    const sent = world.calls.length;
    // The new worker replays the workflow: the same allocation, nothing sent again.
    expect((await world.allocation('wr')).sessions.map((s) => [s.stationId, s.countedW])).toEqual([
      ['WR_A', 11_000],
      ['WR_B', 11_000],
    ]);

    await world.ended('wr', 'WR_A', 701);
    const after = await world.until('wr', 'B raised to the whole site', (v) => v.sessions.length === 1 && v.sessions[0].state === 'charging' && v.sessions[0].countedW > 21_000);
    expect(after.sessions[0]).toMatchObject({ stationId: 'WR_B', state: 'charging' });
    expect(world.limits(['WR_B'])[0]).toBeLessThanOrEqual(22_000);
    expect(world.calls.slice(sent).map((c) => c.stationId)).toEqual(['WR_B']);
    expect(world.violations).toEqual([]);
  });
});
