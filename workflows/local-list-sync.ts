/**
 * Keeps one station's Local Authorization List and authorization cache in step with the id tags
 * that may charge there (OCPP 1.6 §3.5, §5.15, §5.10, §5.4). One workflow per station, running
 * for as long as the station exists (continue-as-new every `passesPerRun` passes), visible in the
 * Web UI as `local-list_<stationId>`.
 *
 * Level-triggered: every pass reads from PostgreSQL what the station should hold and what it
 * confirmed, asks the station which version it has, and sends only the difference; a pass with
 * nothing to do sends GetLocalListVersion alone. A signal (an id tag or access change, a boot, a
 * reconnect, an operator's resync) only wakes it, and it also wakes by itself (the poll interval,
 * the next expiry date), so a signal lost between a commit and its sending, or a crash anywhere,
 * delays a change and never loses it. Every accepted message is recorded before the next is sent,
 * so a station that reboots mid-update continues from the version it reports.
 *
 * Outcomes per station: in_sync; waiting_for_station (offline: the boot or reconnect wakes it);
 * failed (Failed, Rejected or a CALLERROR: retried with backoff); cache_only (SendLocalList
 * NotSupported, GetLocalListVersion -1 or NotImplemented, or no LocalAuthListManagement profile:
 * recorded, and the station then gets only ClearCache; asked again after its next boot or an
 * operator's resync). Revocations (src/db/migrations/0010)
 * send ClearCache to every station whose cache may hold the tag, list or not: a tag taken off a
 * list would otherwise still be found in the cache.
 */
import { condition, continueAsNew, proxyLocalActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { stationAnswered } from '../src/ocpp/charger-commands';
import { applyLocalListMessage, planLocalList, type LocalListEntry } from '../src/ocpp/local-list-plan';
import { sendChargerCommand, type ChargerCommandOutcome, type CommandPolicy } from './charger-command-sender';
import { localListLastPassQuery, localListWakeSignal, type LocalListPassSummary, type LocalListSyncInput } from './local-list-messages';
import type { LocalListSnapshot, LocalListStateRecord, LocalListSyncActivities } from './local-list-sync-activities';

/** PostgreSQL reads and writes on the session worker: local, retried there while the database is down. */
const db = proxyLocalActivities<LocalListSyncActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '30 seconds' },
});

export async function localListSync(input: LocalListSyncInput): Promise<void> {
  let woken = false;
  // A boot may have brought firmware that keeps a list: a station recorded cache_only is asked again.
  let booted = false;
  let lastPass: LocalListPassSummary | null = null;
  setHandler(localListWakeSignal, ({ reason }) => {
    woken = true;
    if (reason === 'boot') booted = true;
  });
  setHandler(localListLastPassQuery, () => lastPass);
  let failures = 0;
  const passes = input.passesPerRun ?? 100;
  for (let pass = 0; pass < passes; pass++) {
    woken = false;
    const recheckSupport = booted;
    booted = false;
    const { summary, nextChangeAt } = await syncPass(input, recheckSupport);
    lastPass = summary;
    if (summary.state === 'gone') return;
    failures = summary.state === 'failed' ? failures + 1 : 0;
    const untilChange = nextChangeAt ? Math.max(1_000, Date.parse(nextChangeAt) - Date.now() + 1_000) : Infinity;
    const waitMs = failures > 0 ? Math.min(input.retryInitialMs * 2 ** (failures - 1), input.maxRetryMs) : Math.min(input.pollIntervalMs, untilChange);
    await condition(() => woken, waitMs);
    if (workflowInfo().continueAsNewSuggested) break;
  }
  await continueAsNew<typeof localListSync>(input);
}

interface PassResult {
  summary: LocalListPassSummary;
  nextChangeAt: string | null;
}

type ListOutcome = { state: 'in_sync' | 'failed' | 'waiting_for_station' | 'cache_only'; detail?: string };

async function syncPass(input: LocalListSyncInput, recheckSupport: boolean): Promise<PassResult> {
  const { stationId, policy } = input;
  const snap = await db.loadLocalListSnapshot(stationId);
  if (!snap) return { summary: { state: 'gone', messagesSent: 0, cacheCleared: false }, nextChangeAt: null };
  const record = (r: Omit<LocalListStateRecord, 'stationId' | 'workflowId'>) => db.recordLocalListState({ stationId, workflowId: workflowInfo().workflowId, ...r });
  if (!snap.online) {
    await record({ state: 'waiting_for_station', detail: 'the station is offline' });
    return { summary: { state: 'waiting_for_station', messagesSent: 0, cacheCleared: false }, nextChangeAt: null };
  }

  const sent = { messages: 0 };
  const list: ListOutcome = await syncList(recheckSupport && snap.mode === 'cache_only' ? { ...snap, mode: 'unknown' } : snap, policy, sent, record);
  let outcome = list;
  let cacheCleared = false;
  if (list.state !== 'waiting_for_station' && snap.latestRevocation > snap.cacheClearedThrough) {
    const cleared = await sendChargerCommand('clearCache', { stationId }, policy);
    if (cleared.ok && cleared.result.status === 'Accepted') {
      await db.recordCacheCleared({ stationId, through: snap.latestRevocation });
      cacheCleared = true;
    } else {
      const detail = cleared.ok ? 'ClearCache answered Rejected' : `ClearCache: ${cleared.detail}`;
      outcome = { state: cleared.ok || stationAnswered(cleared.code) ? 'failed' : 'waiting_for_station', detail };
      await record({ state: outcome.state, detail });
    }
  }
  return { summary: { state: outcome.state, messagesSent: sent.messages, cacheCleared, ...(outcome.detail ? { detail: outcome.detail } : {}) }, nextChangeAt: snap.nextChangeAt };
}

/** A CALLERROR saying the station does not implement the message (OCPP-J NotImplemented / NotSupported). */
function notImplemented(outcome: ChargerCommandOutcome<any>): boolean {
  return !outcome.ok && stationAnswered(outcome.code) && (outcome.errorCode === 'NotImplemented' || outcome.errorCode === 'NotSupported');
}

/** Sends what the station's list lacks; the outcome is already recorded when it returns. */
async function syncList(
  snap: LocalListSnapshot,
  policy: CommandPolicy,
  sent: { messages: number },
  record: (r: Omit<LocalListStateRecord, 'stationId' | 'workflowId'>) => Promise<void>,
): Promise<ListOutcome> {
  const { stationId } = snap;
  const finish = async (outcome: ListOutcome, extra: Partial<LocalListStateRecord> = {}): Promise<ListOutcome> => {
    await record({ state: outcome.state, detail: outcome.detail ?? null, ...(outcome.state === 'cache_only' ? { mode: 'cache_only' } : {}), ...extra });
    return outcome;
  };
  const failed = (what: string, o: Extract<ChargerCommandOutcome<any>, { ok: false }>): Promise<ListOutcome> =>
    notImplemented(o)
      ? finish({ state: 'cache_only', detail: `${what}: the station answered ${o.errorCode}` })
      : finish({ state: stationAnswered(o.code) ? 'failed' : 'waiting_for_station', detail: `${what}: ${o.errorCode ? `${o.errorCode} ` : ''}${o.detail}` });

  if (snap.mode === 'cache_only') return finish({ state: 'cache_only', detail: 'the station keeps no local list' });
  if (snap.featureProfiles && !snap.featureProfiles.includes('LocalAuthListManagement')) {
    return finish({ state: 'cache_only', detail: 'SupportedFeatureProfiles lacks LocalAuthListManagement' });
  }

  const askVersion = async (): Promise<number | ListOutcome> => {
    const answer = await sendChargerCommand('getLocalListVersion', { stationId }, policy);
    if (!answer.ok) return failed('GetLocalListVersion', answer);
    if (answer.result.listVersion === -1) return finish({ state: 'cache_only', detail: 'GetLocalListVersion answered -1: no local list supported or enabled' });
    return answer.result.listVersion;
  };
  let stationVersion = await askVersion();
  if (typeof stationVersion !== 'number') return stationVersion;
  const limits = await readLimits(stationId, policy);

  let confirmed = snap.confirmed;
  let forceFull = snap.fullResyncRequested;
  let leftOut = 0;
  // A VersionMismatch makes one more round with a Full list; a second one is a failure.
  for (let round = 0; round < 2; round++) {
    const plan = planLocalList({ desired: snap.desired, confirmed, stationVersion, forceFull, ...limits });
    leftOut = plan.leftOut;
    let mismatch = false;
    for (const message of plan.messages) {
      const answer = await sendChargerCommand('sendLocalList', { stationId, ...message }, policy);
      if (!answer.ok) return failed('SendLocalList', answer);
      const { status } = answer.result;
      if (status === 'Accepted') {
        const held: LocalListEntry[] = applyLocalListMessage(message.updateType === 'Full' ? [] : confirmed?.entries ?? [], message);
        await db.recordLocalListConfirmed({ stationId, version: message.listVersion, entries: held, fullAccepted: message.updateType === 'Full' });
        confirmed = { version: message.listVersion, entries: held };
        stationVersion = message.listVersion;
        sent.messages++;
        continue;
      }
      if (status === 'NotSupported') return finish({ state: 'cache_only', detail: 'SendLocalList answered NotSupported' });
      if (status === 'Failed') return finish({ state: 'failed', detail: `SendLocalList ${message.updateType} version ${message.listVersion} answered Failed` }, { leftOut, ...limitColumns(limits) });
      // VersionMismatch: the station's list is not the one we think; ask again and send it whole.
      if (round === 1) return finish({ state: 'failed', detail: `SendLocalList ${message.updateType} version ${message.listVersion} answered VersionMismatch twice` });
      const now = await askVersion();
      if (typeof now !== 'number') return now;
      stationVersion = now;
      forceFull = true;
      mismatch = true;
      break;
    }
    if (!mismatch) break;
  }
  const detail = leftOut > 0 ? `${leftOut} id tag(s) left off: the station holds at most ${limits.maxListLength} (LocalAuthListMaxLength)` : null;
  return finish({ state: 'in_sync', ...(detail ? { detail } : {}) }, { mode: 'local_list', leftOut, ...limitColumns(limits) });
}

interface ListLimits {
  maxListLength?: number;
  maxPerMessage?: number;
}

const limitColumns = (l: ListLimits) => ({ maxListLength: l.maxListLength ?? null, maxPerMessage: l.maxPerMessage ?? null });

/** LocalAuthListMaxLength and SendLocalListMaxLength as the station reports them now (absent: no limit known). */
async function readLimits(stationId: string, policy: CommandPolicy): Promise<ListLimits> {
  const read = await sendChargerCommand('getConfiguration', { stationId, key: ['LocalAuthListMaxLength', 'SendLocalListMaxLength'] }, policy);
  if (!read.ok) return {};
  const value = (k: string) => {
    const raw = read.result.configurationKey.find((c) => c.key === k)?.value;
    const n = raw !== undefined && /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : undefined;
    return n;
  };
  const limits: ListLimits = {};
  const maxListLength = value('LocalAuthListMaxLength');
  const maxPerMessage = value('SendLocalListMaxLength');
  if (maxListLength !== undefined) limits.maxListLength = maxListLength;
  if (maxPerMessage !== undefined) limits.maxPerMessage = maxPerMessage;
  return limits;
}
