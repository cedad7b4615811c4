/**
 * Local Authorization List (1.6 §5.15, §5.10 → 2.0.1 D01 SendLocalList, D02 GetLocalListVersion).
 * listVersion is versionNumber; a removal in a Differential update is an entry without
 * idTokenInfo in both versions. 2.0.1 has no NotSupported status: a station without a local list
 * answers Failed or a CALLERROR, which the sync workflow reads as it does for 1.6
 * (workflows/local-list-sync.ts). GetLocalListVersion's number passes as it is (0: empty or
 * disabled; a station that still says -1 means none, as in 1.6).
 */
import type { AuthorizationData, SendLocalListRequest } from '../../../ocpp/ocpp201-messages';
import { idToken201, idTokenInfo201 } from './id-token';
import { translated, type Translator201 } from './translator';

export const sendLocalList: Translator201<'SendLocalList'> = ({ listVersion, updateType, localAuthorizationList }) => {
  const entries = (localAuthorizationList ?? []).map(
    ({ idTag, idTagInfo }): AuthorizationData => ({ idToken: idToken201(idTag), ...(idTagInfo ? { idTokenInfo: idTokenInfo201(idTagInfo) } : {}) }),
  );
  const payload: SendLocalListRequest = {
    versionNumber: listVersion,
    updateType,
    // 2.0.1 wants at least one entry when the list is there: an empty Full list is the list left out.
    ...(entries.length > 0 ? { localAuthorizationList: entries as SendLocalListRequest['localAuthorizationList'] } : {}),
  };
  return translated('SendLocalList', payload, (reply) => ({ status: reply.status }));
};

export const getLocalListVersion: Translator201<'GetLocalListVersion'> = () =>
  translated('GetLocalListVersion', {}, (reply) => ({ listVersion: reply.versionNumber }));
