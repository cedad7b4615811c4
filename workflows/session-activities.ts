/**
 * The activities the session workflows call on the session worker (implemented in
 * src/worker/session-activities.ts). Types only: workflow code imports them with `import type`.
 */
import type { ChargerRoute } from '../src/ocpp/charger-commands';
import type { ChangeAvailabilityRequest } from '../src/ocpp/ocpp16-messages';
import type { TariffSnapshot } from '../src/billing';
import type { Receipt, SessionStatus } from './session-messages';

export interface SessionActivities {
  lookupChargerRoute(stationId: string): Promise<ChargerRoute>;
  /** The tariff valid for the charger at `at`; null when neither the charger nor the network has one. */
  loadTariff(stationId: string, at: string): Promise<TariffSnapshot | null>;
  /** Mirrors the workflow's status into the sessions index (lists, history, the one-active-per-connector rule). */
  recordSessionStatus(update: { sessionId: string; status: SessionStatus; transactionId?: number | null; failureReason?: string | null }): Promise<void>;
  /** Writes the receipt once per session and closes the session row; a retry returns the receipt already stored. */
  issueReceipt(receipt: Receipt): Promise<Receipt>;
  /** Records a ChangeAvailability the station took (Accepted or Scheduled); connector 0 replaces the connectors' own. */
  recordAvailabilityRequest(request: { stationId: string; connectorId: number; type: ChangeAvailabilityRequest['type']; scheduled: boolean }): Promise<void>;
}
