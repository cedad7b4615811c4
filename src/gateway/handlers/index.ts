import type { OcppHandler } from './context';
import { bootNotification, dataTransfer, diagnosticsStatusNotification, firmwareStatusNotification, heartbeat, statusNotification } from './charger-state';
import { authorize, meterValues, startTransaction, stopTransaction } from './transactions';

export type { HandlerContext, OcppHandler } from './context';

/**
 * Every OCPP 1.6 message a charge point sends, by action name. The messages only the central
 * system sends (centralSystemActions) are answered NotSupported; anything else NotImplemented.
 */
export const ocppHandlers: Record<string, OcppHandler> = {
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
