/**
 * How the charger decides on an id tag presented at it (OCPP 1.6 §3.5, §4.1, §9.1): the Local
 * Authorization List first when LocalAuthListEnabled (§3.5.3 "Local Authorization List entries as
 * having priority over Authorization Cache entries"), then the Authorization Cache when
 * AuthorizationCacheEnabled; online a local Accepted entry starts at once only with
 * LocalPreAuthorize, else the CSMS is asked (Authorize); offline a local entry counts only with
 * LocalAuthorizeOffline, and an unknown tag only with AllowOfflineTxForUnknownId.
 */
import type { AuthorizationCache } from './authorization-cache';
import type { ConfigurationStore } from './configuration';
import type { LocalAuthList } from './local-auth-list';
import type { IdTagInfo } from './charge-point';

export type AuthorizedBy = 'cache' | 'csms' | 'offline-unknown' | 'none' | 'local-list';

export interface LocalEntry {
  info: IdTagInfo;
  source: 'local-list' | 'cache';
}

export interface Authorization {
  idTagInfo?: IdTagInfo;
  authorizedBy: AuthorizedBy;
}

export interface LocalStores {
  configuration: ConfigurationStore;
  localAuthList: LocalAuthList;
  authorizationCache: AuthorizationCache;
  /** The charger declares LocalAuthListManagement in SupportedFeatureProfiles. */
  localListSupported: boolean;
}

/** Whether the local list is in use: the profile is declared and LocalAuthListEnabled is true (§9.2). */
export function localListInUse(stores: LocalStores): boolean {
  return stores.localListSupported && stores.configuration.flag('LocalAuthListEnabled');
}

/** The tag's local entry: from the list when it is in use and lists the tag, else from the cache. */
export function findLocally(idTag: string, stores: LocalStores): LocalEntry | undefined {
  const listed = localListInUse(stores) ? stores.localAuthList.lookup(idTag) : undefined;
  if (listed) return { info: listed, source: 'local-list' };
  const cached = stores.configuration.flag('AuthorizationCacheEnabled') ? stores.authorizationCache.lookup(idTag) : undefined;
  return cached ? { info: cached, source: 'cache' } : undefined;
}

/** The decision for a presented tag (`local` from findLocally); asks the CSMS when the rules say so. */
export async function authorizeIdTag(
  idTag: string,
  local: LocalEntry | undefined,
  ctx: { configuration: ConfigurationStore; online: boolean; authorize(idTag: string): Promise<{ idTagInfo: IdTagInfo }> },
): Promise<Authorization> {
  const cfg = ctx.configuration;
  if (!ctx.online) {
    if (local && cfg.flag('LocalAuthorizeOffline')) return { idTagInfo: local.info, authorizedBy: local.source };
    if (!local && cfg.flag('AllowOfflineTxForUnknownId')) return { idTagInfo: { status: 'Accepted' }, authorizedBy: 'offline-unknown' };
    return { authorizedBy: 'none' };
  }
  // A tag the CSMS marked Blocked, Expired or Invalid on the list is refused here (§3.5.2): the list
  // is the CSMS's own statement, unlike the cache, which only remembers an earlier answer.
  if (local?.source === 'local-list' && local.info.status !== 'Accepted') return { idTagInfo: local.info, authorizedBy: 'local-list' };
  if (local?.info.status === 'Accepted' && cfg.flag('LocalPreAuthorize')) return { idTagInfo: local.info, authorizedBy: local.source };
  return { idTagInfo: (await ctx.authorize(idTag)).idTagInfo, authorizedBy: 'csms' };
}

/**
 * Whether an IdTagInfo from the CSMS contradicts the tag's list entry (ChargePointErrorCode
 * LocalListConflict, §7.6: "The authorization information received from the Central System is in
 * conflict with the LocalAuthorizationList"): another status (ConcurrentTx counting as Accepted,
 * an entry past its expiryDate as Expired) or another parentIdTag (only when both name one: the
 * field is optional, and a StartTransaction.conf often leaves it out).
 */
export function conflictsWithList(listed: IdTagInfo, incoming: IdTagInfo): boolean {
  const status = (s: string) => (s === 'ConcurrentTx' ? 'Accepted' : s);
  if (status(listed.status) !== status(incoming.status)) return true;
  return listed.parentIdTag !== undefined && incoming.parentIdTag !== undefined && listed.parentIdTag !== incoming.parentIdTag;
}
