/**
 * The CSMS's id tags as OCPP 2.0.1 id tokens in what the CSMS sends of its own accord (local
 * list entries, reservations). The CSMS stores no token type: a tag it registered is an RFID
 * card (ISO14443, what the station reads when the driver presents it, and 2.0.1 stations match
 * type and value); a parentIdTag is a group the CSMS defines, no card: Central.
 */
import type { IdTagInfo } from '../../../ocpp/ocpp16-messages';
import type { IdTokenInfoType, IdTokenType } from '../../../ocpp/ocpp201-messages';

export const idToken201 = (idTag: string): IdTokenType => ({ idToken: idTag, type: 'ISO14443' });

export const groupIdToken201 = (parentIdTag: string): IdTokenType => ({ idToken: parentIdTag, type: 'Central' });

/** 1.6's statuses are all 2.0.1's; expiryDate → cacheExpiryDateTime, parentIdTag → groupIdToken. */
export function idTokenInfo201({ status, expiryDate, parentIdTag }: IdTagInfo): IdTokenInfoType {
  return {
    status,
    ...(expiryDate == null ? {} : { cacheExpiryDateTime: expiryDate }),
    ...(parentIdTag == null ? {} : { groupIdToken: groupIdToken201(parentIdTag) }),
  };
}
