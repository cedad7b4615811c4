/**
 * The gateway's calls to Temporal (signals, signal-with-start, workflow starts), bounded: each
 * may take `gatewayCallDeadlineMs`, retries included, so an unreachable Temporal fails fast
 * rather than after the client's minute of retries. What the gateway forwards is stored first;
 * the outbox forwarder retries readings itself, a charger retries its transaction messages, a
 * workflow that missed a station notification reads it from PostgreSQL, and a gateway shutting
 * down is not held up.
 */
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';

export const gatewayCallDeadlineMs = 5_000;

export function withGatewayDeadline<T>(client: Client, call: () => Promise<T>): Promise<T> {
  return client.connection.withDeadline(Date.now() + gatewayCallDeadlineMs, call);
}

/** Signals the workflow if it runs: one that already finished (or never existed) has nothing to learn from a late event. */
export async function signalIfRunning(client: Client, workflowId: string, send: (handle: WorkflowHandle) => Promise<void>): Promise<void> {
  try {
    await withGatewayDeadline(client, () => send(client.workflow.getHandle(workflowId)));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return;
    throw err;
  }
}
