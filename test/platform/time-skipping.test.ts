import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv, workflowBundle } from '../support/temporal';

describe('the time-skipping test server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await createTimeSkippingEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('completes a workflow waiting on a 24-hour timer in seconds of wall time', async () => {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue: 'time-skipping',
      workflowBundle: await workflowBundle(path.join(__dirname, 'workflows', 'day-long-timer.ts')),
    });
    const wallStart = Date.now();
    const workflowElapsed = await worker.runUntil(
      env.client.workflow.execute('dayLongTimer', { taskQueue: 'time-skipping', workflowId: 'day-long-timer' }),
    );
    const wallElapsed = Date.now() - wallStart;
    expect(workflowElapsed).toBeGreaterThanOrEqual(24 * 3600 * 1000);
    expect(wallElapsed).toBeLessThan(20_000);
  });
});
