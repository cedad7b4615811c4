/**
 * One diagnostics request of one station (OCPP 1.6 §5.9 Get Diagnostics, §4.4 Diagnostics Status
 * Notification): sends GetDiagnostics with the API's one-time upload URL as location, then follows
 * the station's DiagnosticsStatusNotifications (Uploading → Uploaded / UploadFailed) and the
 * API's word that the file arrived. `uploaded` needs the file; the station's Uploaded alone is
 * not enough. Workflow id: diagnosticsWorkflowId(stationId).
 */
import { CancellationScope, condition, isCancellation, proxyActivities, setHandler } from '@temporalio/workflow';
import { sendChargerCommand } from './charger-command-sender';
import {
  diagnosticsFileSignal,
  diagnosticsRequestStateQuery,
  diagnosticsStatusSignal,
  type DiagnosticsFileEvent,
  type DiagnosticsOutcome,
  type DiagnosticsRequestInput,
  type DiagnosticsRequestState,
  type DiagnosticsStatusEvent,
} from './diagnostics-messages';
import { outcomeOfCommandFailure } from './firmware-update';
import type { StationActivities } from './station-activities';

const store = proxyActivities<Pick<StationActivities, 'recordDiagnosticsRequest' | 'diagnosticsFileStored' | 'storedDiagnosticsStatus'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

type Event = ({ kind: 'status' } & DiagnosticsStatusEvent) | ({ kind: 'file' } & DiagnosticsFileEvent);

export async function diagnosticsRequest(input: DiagnosticsRequestInput): Promise<DiagnosticsRequestState> {
  const state: DiagnosticsRequestState = { requestId: input.requestId, stationId: input.stationId, status: 'requested', outcome: null, detail: null, fileName: null, history: [] };
  const events: Event[] = [];
  setHandler(diagnosticsStatusSignal, (e) => void events.push({ kind: 'status', ...e }));
  setHandler(diagnosticsFileSignal, (e) => {
    if (e.requestId === input.requestId) events.push({ kind: 'file', ...e });
  });
  setHandler(diagnosticsRequestStateQuery, () => state);

  const note = (status: string, detail?: string, at = new Date().toISOString()) => state.history.push(detail ? { at, status, detail } : { at, status });
  const record = (finished = false) => store.recordDiagnosticsRequest({ state, finished });
  const finish = async (outcome: DiagnosticsOutcome, detail: string): Promise<DiagnosticsRequestState> => {
    state.status = outcome;
    state.outcome = outcome;
    state.detail = detail;
    note(outcome, detail);
    await record(true);
    return state;
  };

  // Cancelled from outside (the Web UI): recorded as such, so the row does not stay open.
  async function follow(): Promise<typeof state> {
    note('requested');
    const sent = await sendChargerCommand(
      'getDiagnostics',
      {
        stationId: input.stationId,
        location: input.location,
        retries: input.retries,
        retryInterval: input.retryIntervalS,
        startTime: input.startTime,
        stopTime: input.stopTime,
      },
      input.policy,
    );
    if (!sent.ok) return finish(outcomeOfCommandFailure(sent.code), sent.errorCode ? `${sent.errorCode}: ${sent.detail}` : sent.detail);
    if (!sent.result.fileName) return finish('no_file', 'the station answered without a fileName: it has no diagnostics');
    state.fileName = sent.result.fileName;
    state.status = 'sent';
    note('sent', `fileName ${sent.result.fileName}`);
    await record();

    const minutes = `${Math.round(input.statusTimeoutMs / 60_000)} min`;
    let deadline = Date.now() + input.statusTimeoutMs;
    let reportedUploaded = false;
    let file: { fileName: string; sizeBytes: number } | null = null;
    let seen = 0;
    for (;;) {
      const arrived = await condition(() => events.length > seen, Math.max(1, deadline - Date.now()));
      if (!arrived) {
        // The upload's or the station's signal may have been lost (Temporal unreachable): PostgreSQL knows.
        file ??= await store.diagnosticsFileStored(input.requestId);
        const stored = file ? null : await store.storedDiagnosticsStatus(input.requestId);
        if (stored === 'UploadFailed') {
          note('UploadFailed', 'read from the stored station state: the notification did not reach this workflow');
          return finish('upload_failed', 'the station reported UploadFailed');
        }
        if (stored === 'Uploaded') reportedUploaded = true;
        if (file) return finish('uploaded', `${file.fileName} (${file.sizeBytes} bytes)${reportedUploaded ? '' : '; the station never reported Uploaded'}`);
        if (reportedUploaded) return finish('file_missing', `the station reported Uploaded, but no file arrived within ${minutes}`);
        return finish('timed_out', `no DiagnosticsStatusNotification or upload for ${minutes} (last: ${state.status})`);
      }
      while (seen < events.length) {
        const e = events[seen++];
        deadline = Date.now() + input.statusTimeoutMs;
        if (e.kind === 'file') {
          file = { fileName: e.fileName, sizeBytes: e.sizeBytes };
          note('file_received', `${e.fileName} (${e.sizeBytes} bytes)`, e.at);
          if (reportedUploaded) return finish('uploaded', `${e.fileName} (${e.sizeBytes} bytes)`);
          continue;
        }
        note(e.status, undefined, e.at);
        if (e.status === 'Idle') continue;
        state.status = e.status;
        if (e.status === 'UploadFailed') return finish('upload_failed', `the station reported UploadFailed${file ? ' (a file had arrived and is kept)' : ''}`);
        if (e.status === 'Uploaded') {
          reportedUploaded = true;
          file ??= await store.diagnosticsFileStored(input.requestId);
          if (file) return finish('uploaded', `${file.fileName} (${file.sizeBytes} bytes)`);
        }
      }
      await record();
    }
  }

  try {
    return await follow();
  } catch (err) {
    if (!isCancellation(err)) throw err;
    await CancellationScope.nonCancellable(() => finish('cancelled', 'cancelled from outside; the upload URL is spent'));
    throw err;
  }
}
