/**
 * RemoteStartTransaction → RequestStartTransaction and RemoteStopTransaction →
 * RequestStopTransaction (F01, F03). The driver's id tag goes out as a `Central` token (the CSMS
 * vouches for it); the connector is the EVSE (EVSE = connector). Each remote start is recorded
 * first and its row's id sent as `remoteStartId`, which the station echoes in the
 * TransactionEvent that belongs to it (F01.FR.25/26): that is how the transaction finds its
 * session. A stop names the station's own transaction id; a transaction the station never
 * reported under a 2.0.1 id is answered Rejected without sending — the station would answer the
 * same for an id it does not know (F03.FR.08), and our integer id is not one it could know.
 */
import { chargingProfile201 } from './charging-profile';
import { answeredHere, translated, type Translator201 } from './translator';

export const remoteStartTransaction: Translator201<'RemoteStartTransaction'> = async ({ connectorId, idTag, chargingProfile }, { stationId, storage }) => {
  // 1.6's connector 0 is no connector at all (the station picks); so is an absent one.
  const evseId = connectorId === undefined || connectorId === 0 ? undefined : connectorId;
  const remoteStartId = await storage.commands201.recordRemoteStart(stationId, evseId ?? null, idTag);
  return translated(
    'RequestStartTransaction',
    {
      idToken: { idToken: idTag, type: 'Central' },
      remoteStartId,
      ...(evseId === undefined ? {} : { evseId }),
      // A remote start's profile is a TxProfile for the transaction it starts: no transaction id yet (K05).
      ...(chargingProfile === undefined ? {} : { chargingProfile: chargingProfile201({ ...chargingProfile, transactionId: undefined }) }),
    },
    (reply) => ({ status: reply.status }),
  );
};

export const remoteStopTransaction: Translator201<'RemoteStopTransaction'> = async ({ transactionId }, { stationId, storage }) => {
  const stationTransactionId = await storage.chargerTransactionIds.ofTransaction(stationId, transactionId);
  if (stationTransactionId === null) return answeredHere('RequestStopTransaction', { status: 'Rejected' });
  return translated('RequestStopTransaction', { transactionId: stationTransactionId }, (reply) => ({ status: reply.status }));
};
