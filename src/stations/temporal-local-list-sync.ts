/**
 * Waking a station's local-list sync workflow (workflows/local-list-sync.ts) from the gateway
 * (boot, reconnect) and the API (id tag and access changes, resync): signal-with-start, so the
 * first wake-up starts the station's one workflow. The signal carries no change (the workflow
 * reads PostgreSQL), so waking every station a change may touch is always safe.
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../config/config';
import { withGatewayDeadline } from '../temporal/gateway-calls';
import { StationIdKey } from '../temporal/search-attributes';
import { localListSyncWorkflowId, localListWakeSignal, type LocalListSyncInput, type LocalListWakeReason } from '../../workflows/local-list-messages';
import { localListSync } from '../../workflows/local-list-sync';

export interface LocalListWakerDeps {
  client: Client;
  /** The session worker's task queue. */
  taskQueue: string;
  config: Config;
  searchAttributes?: boolean;
}

/** Few attempts per command: a station that went away wakes the workflow again when it comes back. */
const syncCommandAttempts = 2;

export function localListSyncInput(stationId: string, config: Config): LocalListSyncInput {
  return {
    stationId,
    policy: { commandTimeoutMs: config.SESSION_COMMAND_TIMEOUT_MS, commandMaxAttempts: syncCommandAttempts },
    pollIntervalMs: config.LOCAL_LIST_SYNC_POLL_MS,
    retryInitialMs: config.LOCAL_LIST_SYNC_RETRY_MS,
    maxRetryMs: config.LOCAL_LIST_SYNC_POLL_MS,
  };
}

export type LocalListWaker = (stationId: string, reason: LocalListWakeReason) => Promise<void>;

export function createLocalListWaker({ client, taskQueue, config, searchAttributes = true }: LocalListWakerDeps): LocalListWaker {
  return (stationId, reason) =>
    withGatewayDeadline(client, async () => {
      await client.workflow.signalWithStart(localListSync, {
        workflowId: localListSyncWorkflowId(stationId),
        taskQueue,
        args: [localListSyncInput(stationId, config)],
        signal: localListWakeSignal,
        signalArgs: [{ reason }],
        ...(searchAttributes ? { typedSearchAttributes: [{ key: StationIdKey, value: stationId }] } : {}),
      });
    });
}
