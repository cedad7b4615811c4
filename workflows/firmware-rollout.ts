/**
 * A firmware rollout over many stations: one child firmwareUpdate per station, at most
 * `maxConcurrent` of them in progress at once, so a site is never rebooted all at once. A station
 * that already has an update running is reported `busy` and left alone. Workflow id = rollout id.
 */
import { ChildWorkflowCancellationType, ChildWorkflowFailure, ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import { StationIdKey } from '../src/temporal/search-attributes';
import { firmwareUpdate } from './firmware-update';
import { firmwareUpdateWorkflowId, rolloutUpdateId, type FirmwareRolloutInput, type FirmwareRolloutStationResult } from './firmware-messages';
import type { StationActivities } from './station-activities';

const store = proxyActivities<Pick<StationActivities, 'recordFirmwareRollout'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function firmwareRollout(input: FirmwareRolloutInput & { searchAttributes?: boolean }): Promise<FirmwareRolloutStationResult[]> {
  const results: FirmwareRolloutStationResult[] = [];
  let next = 0;

  async function updateOne(index: number): Promise<void> {
    const stationId = input.stationIds[index];
    const updateId = rolloutUpdateId(input.rolloutId, index);
    try {
      const child = await startChild(firmwareUpdate, {
        workflowId: firmwareUpdateWorkflowId(stationId),
        args: [{ ...input.update, updateId, stationId, rolloutId: input.rolloutId }],
        // Cancelling or terminating the rollout leaves updates already sent to run to their end.
        parentClosePolicy: ParentClosePolicy.ABANDON,
        cancellationType: ChildWorkflowCancellationType.ABANDON,
        ...(input.searchAttributes ? { typedSearchAttributes: [{ key: StationIdKey, value: stationId }] } : {}),
      });
      const state = await child.result();
      results.push({ stationId, updateId, outcome: state.outcome ?? 'timed_out' });
    } catch (err) {
      // WorkflowExecutionAlreadyStartedError (from @temporalio/common, which workflow code does not import).
      const busy = (err as Error | undefined)?.name === 'WorkflowExecutionAlreadyStartedError';
      // A ChildWorkflowFailure: the update was terminated from outside; the rollout goes on. (The
      // rollout's own cancellation is a CancelledFailure here, and ends it.)
      if (!busy && !(err instanceof ChildWorkflowFailure)) throw err;
      results.push({ stationId, updateId, outcome: busy ? 'busy' : 'terminated' });
    }
    await store.recordFirmwareRollout({ rolloutId: input.rolloutId, results, finished: false });
  }

  // `maxConcurrent` lanes, each taking the next station when its last one has finished.
  async function lane(): Promise<void> {
    while (next < input.stationIds.length) await updateOne(next++);
  }
  await Promise.all(Array.from({ length: Math.min(input.maxConcurrent, input.stationIds.length) }, lane));
  await store.recordFirmwareRollout({ rolloutId: input.rolloutId, results, finished: true });
  return results;
}
