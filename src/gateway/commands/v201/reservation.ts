/**
 * Reservation (1.6 §5.13 ReserveNow, §5.1 CancelReservation → 2.0.1 H01, H02). The reservation id
 * is the same number; connector 0 (the station as a whole) is a reservation of no particular EVSE
 * (evseId left out; it needs ReservationCtrlr.NonEvseSpecific: a station without it answers
 * Rejected, as a 1.6 one without ReserveConnectorZeroSupported does). The statuses are the same
 * words in both versions.
 */
import type { ReserveNowRequest } from '../../../ocpp/ocpp201-messages';
import { groupIdToken201, idToken201 } from './id-token';
import { translated, type Translator201 } from './translator';

export const reserveNow: Translator201<'ReserveNow'> = ({ reservationId, connectorId, expiryDate, idTag, parentIdTag }) => {
  const payload: ReserveNowRequest = {
    id: reservationId,
    expiryDateTime: expiryDate,
    idToken: idToken201(idTag),
    ...(connectorId > 0 ? { evseId: connectorId } : {}),
    ...(parentIdTag == null ? {} : { groupIdToken: groupIdToken201(parentIdTag) }),
  };
  return translated('ReserveNow', payload, (reply) => ({ status: reply.status }));
};

export const cancelReservation: Translator201<'CancelReservation'> = ({ reservationId }) =>
  translated('CancelReservation', { reservationId }, (reply) => ({ status: reply.status }));
