/** The engine's baseline: an empty workflow that runs one activity. */
import { proxyActivities } from '@temporalio/workflow';
import type { BaselineActivities } from './activities';

const { noop } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '30 seconds' });

export async function emptyWorkflowWithOneActivity(): Promise<void> {
  await noop();
}
