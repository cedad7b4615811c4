import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv } from '../support/temporal';
import { createPool } from '../../src/db/pool';
import { createTestDatabase } from '../support/database';
import { startTestApi } from './support/api-harness';

describe('GET /ready', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('answers 200 when PostgreSQL and Temporal answer', async () => {
    const api = await startTestApi({ temporalClient: env.client });
    try {
      const res = await api.call('GET', '/ready', { token: null });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ status: 'ready', checks: { postgres: 'ok', temporal: 'ok' } });
    } finally {
      await api.close();
    }
  });

  it('answers 503 naming Temporal when it cannot be reached', async () => {
    const api = await startTestApi(); // its Temporal client points where nothing listens
    try {
      const res = await api.call('GET', '/ready', { token: null });
      expect(res.status).toBe(503);
      expect(res.json.status).toBe('not_ready');
      expect(res.json.checks.postgres).toBe('ok');
      expect(res.json.checks.temporal).not.toBe('ok');
    } finally {
      await api.close();
    }
  });

  it('answers 503 naming PostgreSQL when the database is gone', async () => {
    const db = await createTestDatabase();
    const doomed = createPool(db.url);
    const api = await startTestApi({ db, pool: doomed, temporalClient: env.client, env: { OPERATOR_TOKEN: '' } });
    try {
      await doomed.end();
      const res = await api.call('GET', '/ready', { token: null });
      expect(res.status).toBe(503);
      expect(res.json.checks).toEqual({ postgres: expect.not.stringMatching(/^ok$/), temporal: 'ok' });
    } finally {
      await api.close();
      await db.drop();
    }
  });
});
