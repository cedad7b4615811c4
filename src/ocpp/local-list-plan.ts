/**
 * What to send a station so its Local Authorization List (OCPP 1.6 §3.5.3, §5.15) becomes the
 * list it should have. Pure: the sync workflow (workflows/local-list-sync.ts) calls it with what
 * PostgreSQL says the station should hold, what the station last confirmed, and the version it
 * reports now.
 *
 * - Versions only grow, and are never 0 or -1 (they mean "no list" / "not supported" in
 *   GetLocalListVersion.conf): the next version is one above both ours and the station's.
 * - The station reports the version we confirmed (or 0, for a list we emptied): a Differential update with just the changes
 *   (an entry without idTagInfo removes the tag). Anything else (never confirmed, the station
 *   lost or replaced its list, the operator asked for it, a VersionMismatch): a Full list.
 * - SendLocalListMaxLength bounds the entries of one message: a Full list longer than that goes
 *   as a Full message with the first entries and Differential messages with the rest, each one
 *   version up, so the station's version says how far it got.
 * - LocalAuthListMaxLength bounds the whole list. When more tags may charge there, the list
 *   keeps the Accepted tags first (they are what lets a driver charge while the station is
 *   offline), then the revoked ones, each in id tag order, and the rest are left out and
 *   counted: a tag left out still charges online through Authorize, and a revoked one left out
 *   is not in the station's cache either (revocations clear it).
 */
import type { IdTagInfo } from './ocpp16-messages';

export interface LocalListEntry {
  idTag: string;
  idTagInfo: IdTagInfo;
}

export interface LocalListMessage {
  updateType: 'Full' | 'Differential';
  listVersion: number;
  /** Differential: an entry without idTagInfo removes the tag. */
  localAuthorizationList: Array<{ idTag: string; idTagInfo?: IdTagInfo }>;
}

export interface LocalListPlanInput {
  /** What the station should hold, before the length limit. */
  desired: LocalListEntry[];
  /** What it confirmed last (null: nothing confirmed). */
  confirmed: { version: number; entries: LocalListEntry[] } | null;
  /** GetLocalListVersion's answer now. */
  stationVersion: number;
  /** A Full list regardless (operator's resync, or the station answered VersionMismatch). */
  forceFull: boolean;
  /** LocalAuthListMaxLength; undefined: the station did not say. */
  maxListLength?: number;
  /** SendLocalListMaxLength; undefined: the station did not say. */
  maxPerMessage?: number;
}

export interface LocalListPlan {
  /** In order; empty when the station already holds the list. */
  messages: LocalListMessage[];
  /** The list the station holds once every message is accepted. */
  target: LocalListEntry[];
  /** Tags that may charge there but do not fit in LocalAuthListMaxLength. */
  leftOut: number;
}

const key = (idTag: string) => idTag.toLowerCase();

/** The list after the length limit: Accepted first, then the rest, each in id tag order. */
export function boundedList(desired: LocalListEntry[], maxListLength?: number): { target: LocalListEntry[]; leftOut: number } {
  const byTag = (a: LocalListEntry, b: LocalListEntry) => (key(a.idTag) < key(b.idTag) ? -1 : key(a.idTag) > key(b.idTag) ? 1 : 0);
  const accepted = desired.filter((e) => e.idTagInfo.status === 'Accepted').sort(byTag);
  const revoked = desired.filter((e) => e.idTagInfo.status !== 'Accepted').sort(byTag);
  const ordered = [...accepted, ...revoked];
  const limit = maxListLength === undefined ? ordered.length : Math.max(0, maxListLength);
  return { target: ordered.slice(0, limit), leftOut: Math.max(0, ordered.length - limit) };
}

export function sameIdTagInfo(a: IdTagInfo | undefined, b: IdTagInfo | undefined): boolean {
  if (!a || !b) return a === b;
  const time = (t?: string) => (t ? Date.parse(t) : undefined);
  return a.status === b.status && time(a.expiryDate) === time(b.expiryDate) && (a.parentIdTag ?? '') === (b.parentIdTag ?? '');
}

/** The changes that turn `from` into `to`: changed or new entries, and removals (no idTagInfo). */
export function listDifference(from: LocalListEntry[], to: LocalListEntry[]): LocalListMessage['localAuthorizationList'] {
  const before = new Map(from.map((e) => [key(e.idTag), e]));
  const after = new Map(to.map((e) => [key(e.idTag), e]));
  const changes: LocalListMessage['localAuthorizationList'] = [];
  for (const entry of to) {
    const old = before.get(key(entry.idTag));
    if (!old || !sameIdTagInfo(old.idTagInfo, entry.idTagInfo) || old.idTag !== entry.idTag) changes.push(entry);
  }
  for (const entry of from) if (!after.has(key(entry.idTag))) changes.push({ idTag: entry.idTag });
  return changes;
}

/** Applies one accepted message to the list the station held. */
export function applyLocalListMessage(held: LocalListEntry[], message: LocalListMessage): LocalListEntry[] {
  const list = new Map(message.updateType === 'Full' ? [] : held.map((e) => [key(e.idTag), e]));
  for (const change of message.localAuthorizationList) {
    if (change.idTagInfo) list.set(key(change.idTag), { idTag: change.idTag, idTagInfo: change.idTagInfo });
    else list.delete(key(change.idTag));
  }
  return [...list.values()];
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Whether the station's reported version says it holds the confirmed list. An empty list reads as
 * version 0 whatever version emptied it (§5.10: "0 SHALL be used to indicate that the local
 * authorization list is empty").
 */
export function holdsConfirmed(confirmed: { version: number; entries: LocalListEntry[] }, stationVersion: number): boolean {
  return stationVersion === confirmed.version || (stationVersion === 0 && confirmed.entries.length === 0);
}

export function planLocalList(input: LocalListPlanInput): LocalListPlan {
  const { target, leftOut } = boundedList(input.desired, input.maxListLength);
  const perMessage = input.maxPerMessage !== undefined && input.maxPerMessage > 0 ? input.maxPerMessage : Math.max(1, target.length);
  let version = Math.max(input.confirmed?.version ?? 0, input.stationVersion, 0) + 1;
  const differential = !input.forceFull && input.confirmed !== null && holdsConfirmed(input.confirmed, input.stationVersion);
  if (differential) {
    const changes = listDifference(input.confirmed!.entries, target);
    const messages = chunks(changes, perMessage).map((part) => ({ updateType: 'Differential' as const, listVersion: version++, localAuthorizationList: part }));
    return { messages, target, leftOut };
  }
  const [first = [], ...rest] = chunks(target, perMessage);
  const messages: LocalListMessage[] = [{ updateType: 'Full', listVersion: version++, localAuthorizationList: first }];
  for (const part of rest) messages.push({ updateType: 'Differential', listVersion: version++, localAuthorizationList: part });
  return { messages, target, leftOut };
}
