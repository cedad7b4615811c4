import type { OcppHandler } from './context';
import { bootNotification, dataTransfer, diagnosticsStatusNotification, firmwareStatusNotification, heartbeat, statusNotification } from './charger-state';
import { authorize, meterValues, startTransaction, stopTransaction } from './transactions';

export type { HandlerContext, OcppHandler } from './context';

/** Every OCPP 1.6 message a charge point sends, by action name. Anything else is answered NotImplemented. */
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
