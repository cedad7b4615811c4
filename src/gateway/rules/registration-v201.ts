/**
 * What a 2.0.1 charging station's registration status (B01–B03 BootNotification) lets it send, and
 * lets the CSMS send it; the same rule as 1.6 (src/gateway/rules/registration.ts) in 2.0.1's
 * message names.
 *
 * Station → CSMS:
 * - Accepted: everything.
 * - Pending (B02): the station sends requests only when the CSMS asked for them (TriggerMessage,
 *   GetBaseReport → NotifyReport) or when they carry measured data or its own state. Authorize and
 *   DataTransfer are refused: they would start charging, or vendor business, on a station the
 *   network has not accepted.
 * - Rejected (B03): only BootNotification.
 * Anything refused is answered with a CALLERROR SecurityError.
 *
 * CSMS → station:
 * - Pending: configuration and information (GetVariables, SetVariables, GetBaseReport,
 *   TriggerMessage, Reset, …), but not RequestStartTransaction / RequestStopTransaction
 *   (B02.FR.01: no transaction may be started while Pending).
 * - Rejected: nothing (B03.FR.05: the station does not answer).
 */
import type { RegistrationStatus } from './registration';

const pendingStationMessages = new Set([
  'BootNotification',
  'Heartbeat',
  'StatusNotification',
  'MeterValues',
  'TransactionEvent',
  'NotifyReport',
  'NotifyEvent',
  'SecurityEventNotification',
  'FirmwareStatusNotification',
  'LogStatusNotification',
]);

const transactionCommands = new Set(['RequestStartTransaction', 'RequestStopTransaction']);

export function stationMaySend201(status: RegistrationStatus, action: string): boolean {
  if (status === 'Accepted') return true;
  if (status === 'Pending') return pendingStationMessages.has(action);
  return action === 'BootNotification';
}

export function csmsMaySend201(status: RegistrationStatus, action: string): boolean {
  if (status === 'Accepted') return true;
  if (status === 'Pending') return !transactionCommands.has(action);
  return false;
}
