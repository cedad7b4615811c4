import { LocalListWakeups } from '../../src/stations/local-list-wakeups';
import { createLogger } from '../../src/logger';
import { loadConfig } from '../../src/config/config';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('waking station syncs after changes', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.pool.query(`INSERT INTO chargers (id, registration_status) VALUES ('W_1', 'Accepted'), ('W_2', 'Accepted'), ('W_PENDING', 'Pending')`);
  });
  afterAll(async () => db?.drop());
  const logger = createLogger(loadConfig({ LOG_LEVEL: 'silent' }));
  const settle = () => new Promise((r) => setTimeout(r, 600));

  it('coalesces a burst of changes into one wake-up per station, and "every station" means every Accepted one', async () => {
    const woken: string[] = [];
    const wakeups = new LocalListWakeups({ pool: db.pool, logger, wake: async (id) => void woken.push(id) });
    for (let i = 0; i < 50; i++) wakeups.request('id_tags_changed');
    wakeups.request('access_changed', ['W_1']);
    await settle();
    expect(woken.sort()).toEqual(['W_1', 'W_2']);
  });

  it('a failing wake-up is logged and the others still go; requests made during a round get a round of their own', async () => {
    const woken: string[] = [];
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const wakeups = new LocalListWakeups({
      pool: db.pool,
      logger,
      wake: async (id) => {
        if (id === 'W_1') throw new Error('Temporal unreachable');
        if (id === 'W_2' && woken.length === 0) await slow;
        woken.push(id);
      },
    });
    wakeups.request('access_changed', ['W_1', 'W_2']);
    await new Promise((r) => setTimeout(r, 300));
    wakeups.request('access_changed', ['W_2']); // while the first round waits on W_2
    release();
    await settle();
    expect(woken).toEqual(['W_2', 'W_2']);
  });
});
