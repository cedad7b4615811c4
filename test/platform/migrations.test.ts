import { migrate } from '../../src/db/migrate';
import { createTestDatabase, TestDatabase } from '../support/database';

describe('database migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(async () => db?.drop());

  it('apply to an empty database, then are a no-op on a migrated one', async () => {
    const first = await migrate(db.url);
    expect(first.length).toBeGreaterThan(0);
    const tables = await db.pool.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`);
    const names = tables.rows.map((r) => r.table_name);
    for (const t of ['chargers', 'connectors', 'id_tags', 'tariffs', 'transactions', 'meter_samples', 'receipts', 'connection_events', 'sessions']) {
      expect(names).toContain(t);
    }
    const second = await migrate(db.url);
    expect(second).toEqual([]);
    const count = await db.pool.query('SELECT count(*)::int AS n FROM schema_migrations');
    expect(count.rows[0].n).toBe(first.length);
  });

  it('issue transaction ids from a sequence', async () => {
    const a = await db.pool.query(`SELECT nextval('transaction_id_seq')::int AS id`);
    const b = await db.pool.query(`SELECT nextval('transaction_id_seq')::int AS id`);
    expect(b.rows[0].id).toBe(a.rows[0].id + 1);
  });
});
