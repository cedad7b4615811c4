/**
 * OCPP 2.0.1 on this gateway: one handler per message a charging station sends, registered here
 * by action name, with the schema validator and the CALLERROR spellings of the version. Anything
 * a station sends that is not in `handlers` is answered NotSupported (a CSMS message) or
 * NotImplemented (anything else). Model decisions (EVSE = connector, transaction id mapping,
 * remoteStartId) are in the README's "OCPP 2.0.1" section.
 */
import type { Ocpp201Requests, Ocpp201Responses } from '../../../ocpp/ocpp201-messages';
import { translateCommand201 } from '../../commands/v201';
import { csmsMaySend201, stationMaySend201 } from '../../rules/registration-v201';
import type { Handler } from '../handler';
import type { ProtocolVersion } from '../protocol-version';
import { heartbeat } from '../v16/heartbeat';
import { authorize } from './authorize';
import { bootNotification } from './boot-notification';
import { dataTransfer } from './data-transfer';
import { ocpp201ErrorCode } from './error-codes';
import { firmwareStatusNotification } from './firmware-status-notification';
import { logStatusNotification } from './log-status-notification';
import { meterValues } from './meter-values';
import { notifyEvent } from './notify-event';
import { notifyReport } from './notify-report';
import { securityEventNotification } from './security-event-notification';
import { statusNotification } from './status-notification';
import { reservationStatusUpdate } from './reservation-status-update';
import { transactionEvent } from './transaction-event';
import { Ocpp201Validator, OCPP201 } from './validator';

type StationHandlers<A extends keyof Ocpp201Requests> = { [K in A]: Handler<Ocpp201Requests[K], Ocpp201Responses[K]> };

export const handlers: StationHandlers<
  | 'BootNotification'
  | 'Heartbeat'
  | 'StatusNotification'
  | 'Authorize'
  | 'MeterValues'
  | 'NotifyEvent'
  | 'SecurityEventNotification'
  | 'NotifyReport'
  | 'FirmwareStatusNotification'
  | 'LogStatusNotification'
  | 'DataTransfer'
  | 'ReservationStatusUpdate'
  | 'TransactionEvent'
> = {
  BootNotification: bootNotification,
  // The same as 1.6's: nothing to store but the time, answered even when the database is down.
  Heartbeat: heartbeat,
  StatusNotification: statusNotification,
  Authorize: authorize,
  MeterValues: meterValues,
  NotifyEvent: notifyEvent,
  SecurityEventNotification: securityEventNotification,
  NotifyReport: notifyReport,
  FirmwareStatusNotification: firmwareStatusNotification,
  LogStatusNotification: logStatusNotification,
  DataTransfer: dataTransfer,
  ReservationStatusUpdate: reservationStatusUpdate,
  TransactionEvent: transactionEvent,
};

/** The OCPP 2.0.1 messages only the CSMS sends: recognised, but a station must never send them (NotSupported). */
export const centralSystemActions: readonly string[] = [
  'CancelReservation',
  'CertificateSigned',
  'ChangeAvailability',
  'ClearCache',
  'ClearChargingProfile',
  'ClearDisplayMessage',
  'ClearVariableMonitoring',
  'CostUpdated',
  'CustomerInformation',
  'DeleteCertificate',
  'GetBaseReport',
  'GetChargingProfiles',
  'GetCompositeSchedule',
  'GetDisplayMessages',
  'GetInstalledCertificateIds',
  'GetLocalListVersion',
  'GetLog',
  'GetMonitoringReport',
  'GetReport',
  'GetTransactionStatus',
  'GetVariables',
  'InstallCertificate',
  'PublishFirmware',
  'RequestStartTransaction',
  'RequestStopTransaction',
  'ReserveNow',
  'Reset',
  'SendLocalList',
  'SetChargingProfile',
  'SetDisplayMessage',
  'SetMonitoringBase',
  'SetMonitoringLevel',
  'SetNetworkProfile',
  'SetVariableMonitoring',
  'SetVariables',
  'TriggerMessage',
  'UnlockConnector',
  'UnpublishFirmware',
  'UpdateFirmware',
];

export const ocpp201: ProtocolVersion = {
  subprotocol: OCPP201,
  ocppVersion: '2.0.1',
  validator: () => new Ocpp201Validator(),
  handlers,
  centralSystemActions,
  errorCode: ocpp201ErrorCode,
  stationMaySend: stationMaySend201,
  centralSystemMaySend: csmsMaySend201,
  translateCommand: translateCommand201,
};
