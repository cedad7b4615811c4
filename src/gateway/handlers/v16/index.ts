/**
 * OCPP 1.6-J on this gateway: one handler per message a charge point sends, registered here by
 * action name, with the schema validator and the CALLERROR spellings of the version. Anything a
 * charge point sends that is not in `handlers` is answered NotSupported (a central-system
 * message) or NotImplemented (anything else).
 */
import { translateCommand16 } from '../../commands/v16';
import type { Ocpp16Requests, Ocpp16Responses } from '../../../ocpp/ocpp16-messages';
import { centralSystemMaySend, chargerMaySend } from '../../rules/registration';
import type { Handler } from '../handler';
import type { ProtocolVersion } from '../protocol-version';
import { authorize } from './authorize';
import { bootNotification } from './boot-notification';
import { dataTransfer } from './data-transfer';
import { diagnosticsStatusNotification } from './diagnostics-status-notification';
import { ocpp16ErrorCode } from './error-codes';
import { firmwareStatusNotification } from './firmware-status-notification';
import { heartbeat } from './heartbeat';
import { meterValues } from './meter-values';
import { startTransaction } from './start-transaction';
import { statusNotification } from './status-notification';
import { stopTransaction } from './stop-transaction';
import { Ocpp16Validator, OCPP16 } from './validator';

type StationHandlers<A extends keyof Ocpp16Requests> = { [K in A]: Handler<Ocpp16Requests[K], Ocpp16Responses[K]> };

export const handlers: StationHandlers<
  | 'BootNotification'
  | 'Heartbeat'
  | 'StatusNotification'
  | 'Authorize'
  | 'StartTransaction'
  | 'MeterValues'
  | 'StopTransaction'
  | 'DataTransfer'
  | 'DiagnosticsStatusNotification'
  | 'FirmwareStatusNotification'
> = {
  BootNotification: bootNotification,
  Heartbeat: heartbeat,
  StatusNotification: statusNotification,
  Authorize: authorize,
  StartTransaction: startTransaction,
  MeterValues: meterValues,
  StopTransaction: stopTransaction,
  DataTransfer: dataTransfer,
  DiagnosticsStatusNotification: diagnosticsStatusNotification,
  FirmwareStatusNotification: firmwareStatusNotification,
};

/**
 * The OCPP 1.6 messages (all feature profiles) that only the central system sends: recognised,
 * but a charge point must never send them to it (OCPP-J 1.6 §4.2.3: NotSupported).
 */
export const centralSystemActions: readonly string[] = [
  'CancelReservation',
  'ChangeAvailability',
  'ChangeConfiguration',
  'ClearCache',
  'ClearChargingProfile',
  'GetCompositeSchedule',
  'GetConfiguration',
  'GetDiagnostics',
  'GetLocalListVersion',
  'RemoteStartTransaction',
  'RemoteStopTransaction',
  'ReserveNow',
  'Reset',
  'SendLocalList',
  'SetChargingProfile',
  'TriggerMessage',
  'UnlockConnector',
  'UpdateFirmware',
];

export const ocpp16: ProtocolVersion = {
  subprotocol: OCPP16,
  ocppVersion: '1.6',
  validator: () => new Ocpp16Validator(),
  handlers,
  centralSystemActions,
  errorCode: ocpp16ErrorCode,
  stationMaySend: chargerMaySend,
  centralSystemMaySend,
  translateCommand: translateCommand16,
};
