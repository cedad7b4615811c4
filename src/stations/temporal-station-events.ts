/**
 * The Temporal side of StationEventSink: a station's firmware and diagnostics notifications become
 * signals to the one workflow of each kind that may run for it (its id names the station, because
 * OCPP 1.6 gives these notifications no request id). No workflow running: nothing to tell.
 */
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import { diagnosticsStatusSignal, diagnosticsWorkflowId } from '../../workflows/diagnostics-messages';
import { firmwareBootSignal, firmwareStatusSignal, firmwareUpdateWorkflowId } from '../../workflows/firmware-messages';
import type { StationEventSink } from './station-events';

/**
 * How long one signal may take, retries included (as for the session events): with Temporal
 * unreachable the station's notification is answered after this at worst, not after the
 * client's minute of retries (the notification is stored; the workflow reads it before it gives
 * up on the silence).
 */
const signalDeadlineMs = 5_000;

export function createTemporalStationEventSink({ client }: { client: Client }): StationEventSink {
  const signalIfRunning = async (workflowId: string, send: (handle: WorkflowHandle) => Promise<void>): Promise<void> => {
    try {
      await client.connection.withDeadline(Date.now() + signalDeadlineMs, () => send(client.workflow.getHandle(workflowId)));
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return; // none running (or it already ended)
      throw err;
    }
  };
  return {
    firmwareStatus: (e) => signalIfRunning(firmwareUpdateWorkflowId(e.stationId), (h) => h.signal(firmwareStatusSignal, e)),
    firmwareBoot: (e) => signalIfRunning(firmwareUpdateWorkflowId(e.stationId), (h) => h.signal(firmwareBootSignal, e)),
    diagnosticsStatus: (e) => signalIfRunning(diagnosticsWorkflowId(e.stationId), (h) => h.signal(diagnosticsStatusSignal, e)),
  };
}
