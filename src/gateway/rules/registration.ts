/**
 * What a charger's registration status (OCPP 1.6 §4.2 BootNotification; chargers.registration_status)
 * lets it send, and lets the central system send it. The status is held on the live connection:
 * loaded at authentication, replaced by every BootNotification answer, refreshed by Heartbeat and
 * re-read from PostgreSQL before anything is refused (the operator API may have changed it since).
 *
 * Charge point → central system:
 * - Accepted: everything.
 * - Pending: "the Central System MAY send request messages to retrieve information from the Charge
 *   Point or change its configuration … The Charge Point SHALL NOT send request messages to the
 *   Central System unless it has been instructed … with a TriggerMessage.req". So we answer what a
 *   TriggerMessage can ask for (BootNotification, Heartbeat, StatusNotification, MeterValues,
 *   DiagnosticsStatusNotification, FirmwareStatusNotification) and StopTransaction, so that no
 *   measured data is lost. Authorize, StartTransaction and DataTransfer are refused: they would
 *   start charging, or vendor business, on a charger the network has not accepted.
 * - Rejected: only BootNotification ("the Charge Point SHALL NOT send any OCPP message … until the
 *   retry interval has expired"; its next BootNotification is how it asks again).
 * Anything refused is answered with a CALLERROR SecurityError.
 *
 * Central system → charge point:
 * - Pending: configuration and information commands (GetConfiguration, ChangeConfiguration,
 *   TriggerMessage, Reset, …), but not RemoteStartTransaction / RemoteStopTransaction.
 * - Rejected: nothing ("While Rejected, the Charge Point SHALL NOT respond to any Central System
 *   initiated message. The Central System SHOULD NOT initiate any.").
 */
/** chargers.registration_status: what the central system answered the station's last BootNotification. */
export type RegistrationStatus = 'Accepted' | 'Pending' | 'Rejected';

/** The registration status of one live connection; mutable, shared by its handlers and its commands. */
export interface Registration {
  status: RegistrationStatus;
}

const pendingChargerMessages = new Set([
  'BootNotification',
  'Heartbeat',
  'StatusNotification',
  'MeterValues',
  'StopTransaction',
  'DiagnosticsStatusNotification',
  'FirmwareStatusNotification',
]);

const transactionCommands = new Set(['RemoteStartTransaction', 'RemoteStopTransaction']);

/** May a charger with this registration status send `action` (a CALL) to the central system? */
export function chargerMaySend(status: RegistrationStatus, action: string): boolean {
  if (status === 'Accepted') return true;
  if (status === 'Pending') return pendingChargerMessages.has(action);
  return action === 'BootNotification';
}

/** May the central system send the command `action` to a charger with this registration status? */
export function centralSystemMaySend(status: RegistrationStatus, action: string): boolean {
  if (status === 'Accepted') return true;
  if (status === 'Pending') return !transactionCommands.has(action);
  return false;
}

/**
 * Whether `allowed` holds for the connection's status; before saying no, the status is re-read
 * (`reload`: the stored one, null when unknown or unreadable) and kept, so an operator's change
 * takes effect without waiting for the next BootNotification.
 */
export async function admits(
  registration: Registration,
  allowed: (status: RegistrationStatus) => boolean,
  reload?: () => Promise<RegistrationStatus | null>,
): Promise<boolean> {
  if (allowed(registration.status)) return true;
  const stored = reload ? await reload().catch(() => null) : null;
  if (stored) registration.status = stored;
  return allowed(registration.status);
}
