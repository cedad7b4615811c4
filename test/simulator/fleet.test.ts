import { startFleet } from '../../src/simulator/fleet';
import { TestCsms } from './support/test-csms';

let csms: TestCsms;

beforeEach(async () => {
  csms = await TestCsms.start();
});

afterEach(async () => {
  expect(csms.validationFailures).toEqual([]);
  await csms.close();
});

test('a fleet connects every charger with bounded concurrency and closes them all', async () => {
  let open = 0;
  let maxOpen = 0;
  // Each boot answer takes a while, so connections in progress overlap if concurrency allows.
  csms.responders.set('BootNotification', async () => {
    open++;
    maxOpen = Math.max(maxOpen, open);
    await new Promise((r) => setTimeout(r, 30));
    open--;
    return { status: 'Accepted', interval: 300, currentTime: new Date().toISOString() };
  });
  const fleet = await startFleet({ url: csms.url, count: 12, idPrefix: 'FLEET_', concurrency: 3 });
  expect(fleet.failures).toEqual([]);
  expect(fleet.chargePoints.map((cp) => cp.chargePointId)).toEqual(Array.from({ length: 12 }, (_, i) => `FLEET_${i + 1}`));
  expect(maxOpen).toBe(3);
  expect(csms.clients.size).toBe(12);

  await fleet.closeAll();
  await new Promise((r) => setTimeout(r, 50));
  expect(csms.clients.size).toBe(0);
});

test('the connection rate spaces the connections out', async () => {
  const fleet = await startFleet({ url: csms.url, count: 5, idPrefix: 'RATE_', connectRate: 20, concurrency: 5 });
  const boots = csms.calls.filter((c) => c.action === 'BootNotification').map((c) => c.at);
  expect(boots).toHaveLength(5);
  // 5 connections at 20/s: the last starts at least 4 × 50 ms after the first.
  expect(boots[4] - boots[0]).toBeGreaterThanOrEqual(180);
  await fleet.closeAll();
});

test('chargers that cannot connect are reported, the others run', async () => {
  csms.passwords.set('PW_2', 'the-right-one');
  const fleet = await startFleet({ url: csms.url, count: 3, idPrefix: 'PW_', password: (id) => (id === 'PW_2' ? 'wrong' : 'any') });
  expect(fleet.chargePoints.map((cp) => cp.chargePointId)).toEqual(['PW_1', 'PW_3']);
  expect(fleet.failures.map((f) => f.chargePointId)).toEqual(['PW_2']);
  await fleet.closeAll();
});
