/**
 * The central system's answer about an id token (src/gateway/rules/id-tag-authorization.ts, in
 * 1.6's IdTagInfo) in OCPP 2.0.1's words: the statuses are the same names (Accepted, Blocked,
 * Expired, Invalid, ConcurrentTx), expiryDate becomes cacheExpiryDateTime and parentIdTag the
 * groupIdToken (type Central: an id the CSMS assigned). For Authorize and TransactionEvent alike.
 */
import type { IdTokenInfoType } from '../../ocpp/ocpp201-messages';
import type { IdTagInfo } from './id-tag-authorization';

export function idTokenInfo201(info: IdTagInfo): IdTokenInfoType {
  return {
    status: info.status,
    ...(info.expiryDate ? { cacheExpiryDateTime: info.expiryDate } : {}),
    ...(info.parentIdTag ? { groupIdToken: { idToken: info.parentIdTag, type: 'Central' } } : {}),
  };
}
