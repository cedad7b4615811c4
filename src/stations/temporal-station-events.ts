/**
 * The Temporal side of StationEventSink.
 *
 * - A station that is due a configuration reconciliation gets a run of the stationConfiguration
 *   workflow, one per station (workflow id from the station id). A run still going when the
 *   station boots again is terminated and a new one started: the station may have lost what the
 *   old run was setting, and a run is idempotent.
 * - Its charging profiles as the operator declared them are sent again after each boot and
 *   reconnect (stationChargingProfiles, one run per station, the same policy).
 * - Its firmware and diagnostics notifications become signals to the one workflow of each kind
 *   that may run for it (its id names the station, because OCPP 1.6 gives these notifications no
 *   request id). No workflow running: nothing to tell.
 * - A boot or reconnect wakes (or starts) the station's local-list sync, so an offline station
 *   catches up on the id tag changes it missed.
 */
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Config } from '../config/config';
import { signalIfRunning, withGatewayDeadline } from '../temporal/gateway-calls';
import { StationIdKey } from '../temporal/search-attributes';
import { diagnosticsStatusSignal, diagnosticsWorkflowId } from '../../workflows/diagnostics-messages';
import { firmwareBootSignal, firmwareStatusSignal, firmwareUpdateWorkflowId } from '../../workflows/firmware-messages';
import { stationConfiguration, stationConfigurationWorkflowId } from '../../workflows/station-configuration';
import { stationChargingProfiles, stationChargingProfilesWorkflowId } from '../../workflows/station-charging-profiles';
import type { StationEventSink } from './station-events';
import { createLocalListWaker } from './temporal-local-list-sync';

export interface TemporalStationEventDeps {
  client: Client;
  /** The session worker's task queue (it runs the workflow and its PostgreSQL activities). */
  taskQueue: string;
  config: Config;
  /** StationId search attribute for the Web UI; off on servers without it registered. */
  searchAttributes?: boolean;
}

/**
 * Few attempts per command: a station that went away gets a new run when it comes back, so
 * retrying at length would only delay the record of what could not be set.
 */
const reconciliationCommandAttempts = 2;

export function createTemporalStationEventSink({ client, taskQueue, config, searchAttributes = true }: TemporalStationEventDeps): StationEventSink {
  // Signals go only to a workflow that runs (none running, or it already ended: nothing to tell).
  const signal = (workflowId: string, send: (handle: WorkflowHandle) => Promise<void>) => signalIfRunning(client, workflowId, send);
  const wakeLocalList = createLocalListWaker({ client, taskQueue, config, searchAttributes });
  return {
    async stationConfigurationDue({ stationId, trigger }) {
      await withGatewayDeadline(client, () => client.workflow.start(stationConfiguration, {
        workflowId: stationConfigurationWorkflowId(stationId),
        workflowIdConflictPolicy: 'TERMINATE_EXISTING',
        taskQueue,
        args: [{ stationId, trigger, policy: { commandTimeoutMs: config.SESSION_COMMAND_TIMEOUT_MS, commandMaxAttempts: reconciliationCommandAttempts } }],
        ...(searchAttributes ? { typedSearchAttributes: [{ key: StationIdKey, value: stationId }] } : {}),
      }));
    },
    async stationChargingProfilesDue({ stationId, trigger }) {
      // A run with nothing declared reads one row and ends; one with profiles sends them again.
      await withGatewayDeadline(client, () => client.workflow.start(stationChargingProfiles, {
        workflowId: stationChargingProfilesWorkflowId(stationId),
        workflowIdConflictPolicy: 'TERMINATE_EXISTING',
        taskQueue,
        args: [{ stationId, trigger, policy: { commandTimeoutMs: config.SESSION_COMMAND_TIMEOUT_MS, commandMaxAttempts: reconciliationCommandAttempts } }],
        ...(searchAttributes ? { typedSearchAttributes: [{ key: StationIdKey, value: stationId }] } : {}),
      }));
    },
    firmwareStatus: (e) => signal(firmwareUpdateWorkflowId(e.stationId), (h) => h.signal(firmwareStatusSignal, e)),
    firmwareBoot: (e) => signal(firmwareUpdateWorkflowId(e.stationId), (h) => h.signal(firmwareBootSignal, e)),
    diagnosticsStatus: (e) => signal(diagnosticsWorkflowId(e.stationId), (h) => h.signal(diagnosticsStatusSignal, e)),
    localListSyncDue: (e) => wakeLocalList(e.stationId, e.trigger),
  };
}
