/**
 * Reset, UnlockConnector, ChangeAvailability and TriggerMessage in 2.0.1's words (B11/B12, F05,
 * G03, F06). A 1.6 connector is a 2.0.1 EVSE with one connector (connectorId 1); 1.6's connector 0
 * (the whole station) is no `evse` at all. Answers 1.6 has no word for:
 * - Reset Scheduled (OnIdle: after the running transactions) → Accepted, what a 1.6 station
 *   answers a Soft reset it will do when it can;
 * - Unlock OngoingAuthorizedTransaction (the station refuses while a driver charges) → UnlockFailed;
 *   UnknownConnector → NotSupported (no such connector to unlock).
 */
import type { MessageTriggerEnumType } from '../../../ocpp/ocpp201-messages';
import type { TriggerMessageRequest, UnlockConnectorResponse } from '../../../ocpp/ocpp16-messages';
import { translated, type Translator201 } from './translator';

/** A 1.6 connector id as a 2.0.1 `evse` (none for 0 or absent: the station itself). */
const evseOf = (connectorId: number | undefined, withConnector = false) =>
  connectorId === undefined || connectorId === 0 ? {} : { evse: withConnector ? { id: connectorId, connectorId: 1 } : { id: connectorId } };

export const reset: Translator201<'Reset'> = ({ type }) =>
  translated('Reset', { type: type === 'Hard' ? 'Immediate' : 'OnIdle' }, (reply) => ({ status: reply.status === 'Rejected' ? 'Rejected' : 'Accepted' }));

const unlockStatus = {
  Unlocked: 'Unlocked',
  UnlockFailed: 'UnlockFailed',
  OngoingAuthorizedTransaction: 'UnlockFailed',
  UnknownConnector: 'NotSupported',
} as const satisfies Record<string, UnlockConnectorResponse['status']>;

export const unlockConnector: Translator201<'UnlockConnector'> = ({ connectorId }) =>
  translated('UnlockConnector', { evseId: connectorId, connectorId: 1 }, (reply) => ({ status: unlockStatus[reply.status] }));

export const changeAvailability: Translator201<'ChangeAvailability'> = ({ connectorId, type }) =>
  translated('ChangeAvailability', { operationalStatus: type, ...evseOf(connectorId) }, (reply) => ({ status: reply.status }));

/** 1.6's DiagnosticsStatusNotification is 2.0.1's LogStatusNotification; the rest keep their names. */
const triggeredMessage: Record<TriggerMessageRequest['requestedMessage'], MessageTriggerEnumType> = {
  BootNotification: 'BootNotification',
  DiagnosticsStatusNotification: 'LogStatusNotification',
  FirmwareStatusNotification: 'FirmwareStatusNotification',
  Heartbeat: 'Heartbeat',
  MeterValues: 'MeterValues',
  StatusNotification: 'StatusNotification',
};

export const triggerMessage: Translator201<'TriggerMessage'> = ({ requestedMessage, connectorId }) =>
  translated(
    'TriggerMessage',
    // A StatusNotification is per connector in 2.0.1: the EVSE's one connector.
    { requestedMessage: triggeredMessage[requestedMessage], ...evseOf(connectorId, requestedMessage === 'StatusNotification') },
    (reply) => ({ status: reply.status }),
  );
