/**
 * The id tag rules (src/gateway/rules/id-tag-authorization.ts) answered in OCPP 2.0.1's words
 * (IdTokenInfoType), for Authorize and TransactionEvent alike. The id tag is `idToken.idToken`;
 * its type is not part of the match (the contract: RFID cards are ISO14443, remote starts Central).
 *
 * - Not registered → Unknown (2.0.1 has the word; 1.6 could only say Invalid).
 * - Not admitted at a station restricted to access groups → NotAtThisLocation.
 * - Otherwise the 1.6 status as it is: Accepted, Blocked, Expired (also once the expiry date
 *   passed), Invalid; ConcurrentTx where the 1.6 answer had it (a start).
 * - expiryDate → cacheExpiryDateTime (both say how long the station may cache the answer);
 *   parentIdTag → groupIdToken, type Central: a group id is the CSMS's own identifier, never a card.
 */
import type { IdTokenInfoType } from '../../ocpp/ocpp201-messages';
import { authorization, type Authorization, type RegisteredIdTag } from './id-tag-authorization';

export interface IdTokenAuthorization {
  info: IdTokenInfoType;
  driverId: string | null;
}

/** A 1.6 answer (from `authorization` or `authorizationForStart`) for this tag, in 2.0.1's words. */
export function idTokenInfoOf(answer: Authorization, tag: RegisteredIdTag | null): IdTokenAuthorization {
  const { info: idTagInfo, driverId } = answer;
  const status: IdTokenInfoType['status'] = !tag ? 'Unknown' : tag.admittedHere === false ? 'NotAtThisLocation' : idTagInfo.status;
  const info: IdTokenInfoType = { status };
  if (idTagInfo.expiryDate) info.cacheExpiryDateTime = idTagInfo.expiryDate;
  if (idTagInfo.parentIdTag) info.groupIdToken = { idToken: idTagInfo.parentIdTag, type: 'Central' };
  return { info, driverId };
}

/** The answer for a tag (null: not registered), before any start-only rule. */
export function idTokenAuthorization(tag: RegisteredIdTag | null): IdTokenAuthorization {
  return idTokenInfoOf(authorization(tag), tag);
}
