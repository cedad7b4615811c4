/**
 * The Authorization Cache of OCPP 1.6 §3.5.1: the charger remembers the latest IdTagInfo the CSMS
 * sent for each idTag (Authorize.conf, StartTransaction.conf, StopTransaction.conf), so a known
 * tag can start while offline (LocalAuthorizeOffline) or without waiting (LocalPreAuthorize).
 * ClearCache (§5.4) empties it.
 */
import type { IdTagInfo } from './charge-point';

export class AuthorizationCache {
  private readonly entries = new Map<string, IdTagInfo>();

  remember(idTag: string, info: IdTagInfo | undefined): void {
    if (info) this.entries.set(idTag, { ...info });
  }

  /** The cached info; an Accepted entry past its expiryDate reads as Expired. */
  lookup(idTag: string, now = Date.now()): IdTagInfo | undefined {
    const info = this.entries.get(idTag);
    if (!info) return undefined;
    if (info.status === 'Accepted' && info.expiryDate && Date.parse(info.expiryDate) <= now) return { ...info, status: 'Expired' };
    return info;
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
