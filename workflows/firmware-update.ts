/**
 * One firmware update of one station (OCPP 1.6 §5.19 Update Firmware, §4.5 Firmware Status
 * Notification): sends UpdateFirmware, then follows the station's FirmwareStatusNotifications
 * (Downloading → Downloaded → Installing → Installed, or DownloadFailed / InstallationFailed) and
 * ends when the station boots again (with the expected firmwareVersion, when one was given).
 * A station that stays silent for `statusTimeoutMs` (counted from retrieveDate for the first
 * status) ends the update `timed_out`. Workflow id: firmwareUpdateWorkflowId(stationId).
 */
import { CancellationScope, condition, isCancellation, proxyActivities, setHandler } from '@temporalio/workflow';
import { ChargerCommandErrors, type ChargerCommandErrorCode } from '../src/ocpp/charger-commands';
import { sendChargerCommand } from './charger-command-sender';
import {
  firmwareBootSignal,
  firmwareStatusSignal,
  firmwareUpdateStateQuery,
  type FirmwareBootEvent,
  type FirmwareStatusEvent,
  type FirmwareUpdateInput,
  type FirmwareUpdateOutcome,
  type FirmwareUpdateState,
} from './firmware-messages';
import type { StationActivities } from './station-activities';

const store = proxyActivities<Pick<StationActivities, 'recordFirmwareUpdate' | 'storedFirmwareReport'>>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

/** Why a command did not work, as the update's outcome. */
export function outcomeOfCommandFailure(code: ChargerCommandErrorCode): 'charger_error' | 'unreachable' | 'rejected' {
  if (code === ChargerCommandErrors.NotAccepted) return 'rejected';
  if (code === ChargerCommandErrors.CallError || code === ChargerCommandErrors.InvalidResponse) return 'charger_error';
  return 'unreachable';
}

/** `recovered`: read from PostgreSQL after a silence, not signalled (the signal was lost). */
type StationEvent = (({ kind: 'status' } & FirmwareStatusEvent) | ({ kind: 'boot' } & FirmwareBootEvent)) & { recovered?: boolean };

const knownStatuses: readonly string[] = ['Downloaded', 'DownloadFailed', 'Downloading', 'InstallationFailed', 'Installing', 'Installed'];
const recoveredDetail = 'read from the stored station state: the notification did not reach this workflow';

export async function firmwareUpdate(input: FirmwareUpdateInput): Promise<FirmwareUpdateState> {
  const state: FirmwareUpdateState = { updateId: input.updateId, stationId: input.stationId, status: 'requested', outcome: null, detail: null, history: [] };
  const events: StationEvent[] = [];
  setHandler(firmwareStatusSignal, (e) => void events.push({ kind: 'status', ...e }));
  setHandler(firmwareBootSignal, (e) => void events.push({ kind: 'boot', ...e }));
  setHandler(firmwareUpdateStateQuery, () => state);

  const { policy, statusTimeoutMs, ...recorded } = input;
  const note = (status: string, detail?: string, at = new Date().toISOString()) => state.history.push(detail ? { at, status, detail } : { at, status });
  const record = (finished = false) => store.recordFirmwareUpdate({ input: recorded, state, finished });
  const finish = async (outcome: FirmwareUpdateOutcome, detail: string): Promise<FirmwareUpdateState> => {
    state.status = outcome;
    state.outcome = outcome;
    state.detail = detail;
    note(outcome, detail);
    await record(true);
    return state;
  };

  // Cancelled from outside (the Web UI): recorded as such, so the row does not stay open.
  async function follow(): Promise<typeof state> {
    note('requested', input.location);
    await record();
    const sent = await sendChargerCommand(
      'updateFirmware',
      { stationId: input.stationId, location: input.location, retrieveDate: input.retrieveDate, retries: input.retries, retryInterval: input.retryIntervalS },
      policy,
    );
    if (!sent.ok) return finish(outcomeOfCommandFailure(sent.code), sent.errorCode ? `${sent.errorCode}: ${sent.detail}` : sent.detail);
    state.status = 'sent';
    note('sent');
    await record();

    const minutes = `${Math.round(statusTimeoutMs / 60_000)} min`;
    // The charger starts at retrieveDate: the first status is due a timeout after it.
    let deadline = Math.max(Date.now(), Date.parse(input.retrieveDate)) + statusTimeoutMs;
    let installed = false;
    // A boot while Installing is the station restarting into the new firmware (not a reconnect mid-download).
    let bootedWhileInstalling = false;
    let seen = 0;
    // Before giving up on a silence, once: what the gateway stored may not have reached us.
    let recoveryTried = false;
    for (;;) {
      const arrived = await condition(() => events.length > seen, Math.max(1, deadline - Date.now()));
      if (!arrived && !recoveryTried) {
        recoveryTried = true;
        const stored = await store.storedFirmwareReport(input.updateId);
        const before = events.length;
        if (stored.status && stored.statusAt && stored.status !== state.status && knownStatuses.includes(stored.status)) {
          events.push({ kind: 'status', stationId: input.stationId, status: stored.status as FirmwareStatusEvent['status'], at: stored.statusAt, recovered: true });
        }
        if (stored.boot && (installed || events.length > before || input.expectedVersion !== undefined)) {
          events.push({ kind: 'boot', stationId: input.stationId, ...stored.boot, recovered: true });
        }
        if (events.length > before) continue;
      }
      if (!arrived) {
        return finish('timed_out', installed ? `Installed, but the station did not boot within ${minutes}` : `no FirmwareStatusNotification for ${minutes} (last: ${state.status})`);
      }
      while (seen < events.length) {
        const e = events[seen++];
        if (!e.recovered) recoveryTried = false;
        if (e.kind === 'boot') {
          note('booted', `firmwareVersion ${e.firmwareVersion ?? '(none)'}${e.recovered ? `; ${recoveredDetail}` : ''}`, e.at);
          deadline = Date.now() + statusTimeoutMs;
          if (input.expectedVersion !== undefined) {
            if (e.firmwareVersion === input.expectedVersion) return finish('installed', `booted with firmwareVersion ${e.firmwareVersion}`);
            if (installed) return finish('installation_failed', `Installed, but booted with firmwareVersion ${e.firmwareVersion ?? '(none)'}, not ${input.expectedVersion}`);
          } else if (installed) return finish('installed', `Installed and booted with firmwareVersion ${e.firmwareVersion ?? '(none)'}`);
          if (state.status === 'Installing') bootedWhileInstalling = true;
          continue;
        }
        note(e.status, e.recovered ? recoveredDetail : undefined, e.at);
        if (e.status === 'Idle') continue; // a triggered notification: not busy with an update
        state.status = e.status;
        deadline = Date.now() + statusTimeoutMs;
        if (e.status === 'DownloadFailed') return finish('download_failed', 'the station reported DownloadFailed');
        if (e.status === 'InstallationFailed') return finish('installation_failed', 'the station reported InstallationFailed');
        if (e.status === 'Installed') {
          installed = true;
          // Some stations reboot first and report Installed from the new firmware (§4.5's good practice).
          if (bootedWhileInstalling && input.expectedVersion === undefined) return finish('installed', 'booted while Installing, then reported Installed');
        }
      }
      await record();
    }
  }

  try {
    return await follow();
  } catch (err) {
    if (!isCancellation(err)) throw err;
    await CancellationScope.nonCancellable(() => finish('cancelled', 'cancelled from outside; the station is no longer followed'));
    throw err;
  }
}
