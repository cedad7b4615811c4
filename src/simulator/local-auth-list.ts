/**
 * The Local Authorization List of OCPP 1.6 §3.5.2: id tags and their IdTagInfo as the CSMS sends
 * them with SendLocalList (§5.15), under a version number the CSMS chooses. Unlike the cache it is
 * only ever changed by the CSMS, and it is kept across reboots (the simulator never resets it).
 */
import type { IdTagInfo } from './charge-point';

export type SendLocalListStatus = 'Accepted' | 'Failed' | 'NotSupported' | 'VersionMismatch';

export interface AuthorizationData {
  idTag: string;
  idTagInfo?: IdTagInfo;
}

export interface SendLocalListRequest {
  listVersion: number;
  updateType: 'Full' | 'Differential';
  localAuthorizationList?: AuthorizationData[];
}

export interface LocalListLimits {
  /** LocalAuthListMaxLength (§9.2): entries the list may hold. */
  maxEntries: number;
  /** SendLocalListMaxLength (§9.2): entries one SendLocalList.req may carry. */
  maxPerMessage: number;
}

export class LocalAuthList {
  private readonly tags = new Map<string, IdTagInfo>();
  /** The version of the last accepted update (the differential rule compares with it). */
  private storedVersion = 0;

  /**
   * The version GetLocalListVersion reports: 0 while the list is empty (§5.10 "0 SHALL be used to
   * indicate that the local authorization list is empty"; OCTT TC_042_2_CS expects 0 after a Full
   * update of version 1 without entries), else the version of the last accepted update.
   */
  get version(): number {
    return this.tags.size === 0 ? 0 : this.storedVersion;
  }

  get size(): number {
    return this.tags.size;
  }

  /** The listed info; an Accepted entry past its expiryDate reads as Expired (like the cache). */
  lookup(idTag: string, now = Date.now()): IdTagInfo | undefined {
    const info = this.tags.get(idTag);
    if (!info) return undefined;
    if (info.status === 'Accepted' && info.expiryDate && Date.parse(info.expiryDate) <= now) return { ...info, status: 'Expired' };
    return { ...info };
  }

  entries(): Array<{ idTag: string; idTagInfo: IdTagInfo }> {
    return [...this.tags].map(([idTag, idTagInfo]) => ({ idTag, idTagInfo: { ...idTagInfo } }));
  }

  /**
   * Applies a SendLocalList.req (§5.15, §6.41). All or nothing: a refused update leaves the list and
   * its version as they were.
   * - Failed: more entries than SendLocalListMaxLength, a result longer than LocalAuthListMaxLength,
   *   an idTag twice in one message ("All idTags … MUST be unique"), or listVersion < 1 (it "SHALL
   *   NOT be -1 or 0 as these have a special meaning in GetLocalListVersion.conf").
   * - VersionMismatch: a Differential update whose listVersion is not above the current version
   *   (§7.48 "less or equal then version number of current list").
   * - Full replaces the list (an entry without idTagInfo adds nothing; no entries empties it);
   *   Differential adds or replaces entries with idTagInfo and removes those without.
   */
  update(request: SendLocalListRequest, limits: LocalListLimits): SendLocalListStatus {
    const changes = request.localAuthorizationList ?? [];
    if (changes.length > limits.maxPerMessage) return 'Failed';
    if (new Set(changes.map((c) => c.idTag)).size !== changes.length) return 'Failed';
    if (!Number.isInteger(request.listVersion) || request.listVersion < 1) return 'Failed';
    if (request.updateType === 'Differential' && request.listVersion <= this.storedVersion) return 'VersionMismatch';
    const next = request.updateType === 'Full' ? new Map<string, IdTagInfo>() : new Map(this.tags);
    for (const { idTag, idTagInfo } of changes) {
      if (idTagInfo) next.set(idTag, { ...idTagInfo });
      else next.delete(idTag);
    }
    if (next.size > limits.maxEntries) return 'Failed';
    this.tags.clear();
    for (const [idTag, info] of next) this.tags.set(idTag, info);
    this.storedVersion = request.listVersion;
    return 'Accepted';
  }
}
