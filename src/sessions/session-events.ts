/**
 * The one narrow interface through which the OCPP gateway tells the session layer
 * what chargers did. The gateway persists first, then forwards; the session layer
 * (a Temporal implementation in src/sessions/) turns these into workflow signals.
 * Every event carries enough to be idempotent: a replayed event is recognised by
 * the workflow and never double-counts.
 */
import type {
  ChargerConnectionEvent,
  ConnectorStatusEvent,
  TransactionMeterValuesEvent,
  TransactionStartedEvent,
  TransactionStoppedEvent,
} from '../../workflows/session-messages';

export interface SessionEventSink {
  transactionStarted(event: TransactionStartedEvent): Promise<void>;
  /** Frames of one session, oldest first, delivered as one signal (the gateway forwards them from its outbox). */
  meterValues(events: TransactionMeterValuesEvent[]): Promise<void>;
  transactionStopped(event: TransactionStoppedEvent): Promise<void>;
  /** Sent once per active session of the charger when its connection is lost or restored. */
  chargerConnection(event: ChargerConnectionEvent): Promise<void>;
  connectorStatus(event: ConnectorStatusEvent): Promise<void>;
}
