/**
 * The Authorization Cache of OCPP 2.0.1 (C10, C11): the latest IdTokenInfo the CSMS returned for
 * each id token (Authorize, TransactionEvent responses), until its cacheExpiryDateTime or the
 * cache's AuthCacheCtrlr.LifeTime; ClearCache empties it.
 */
import { IdToken, IdTokenInfo, tokenKey } from './local-list';

export class AuthorizationCache {
  private readonly entries = new Map<string, { info: IdTokenInfo; expiresAt: number }>();

  get size(): number {
    return this.entries.size;
  }

  remember(token: IdToken, info: IdTokenInfo, lifetimeS: number, now = Date.now()): void {
    const expiry = info.cacheExpiryDateTime ? Date.parse(info.cacheExpiryDateTime) : now + lifetimeS * 1000;
    this.entries.set(tokenKey(token), { info, expiresAt: expiry });
  }

  /** The cached info; an expired entry reads as Expired (C10.FR.?: "the status of the entry is Expired"). */
  lookup(token: IdToken, now = Date.now()): IdTokenInfo | undefined {
    const entry = this.entries.get(tokenKey(token));
    if (!entry) return undefined;
    return entry.expiresAt <= now ? { ...entry.info, status: 'Expired' } : entry.info;
  }

  clear(): void {
    this.entries.clear();
  }
}
