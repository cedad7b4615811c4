/**
 * The one narrow interface through which the OCPP gateway tells the session layer
 * what chargers did. The gateway persists first, then forwards; the session layer
 * (a Temporal implementation in src/sessions/) turns these into workflow signals.
 * Every event carries enough to be idempotent: a replayed event is recognised by
 * the workflow and never double-counts.
 */

export interface TransactionStartedEvent {
  sessionId: string;
  /** True when no session was waiting for this transaction (RFID start at the charger): the session must be created. */
  chargerInitiated: boolean;
  chargerId: string;
  connectorId: number;
  transactionId: number;
  idTag: string;
  driverId: string | null;
  meterStartWh: number;
  /** ISO 8601, as the charger reported it. */
  timestamp: string;
}

/** The readings of one MeterValues sample that a session needs (raw samples are all in PostgreSQL). */
export interface MeterReading {
  timestamp: string;
  /** Energy.Active.Import.Register normalised to Wh (kWh values converted), as a decimal string. */
  energyWh?: string;
  /** SoC in percent. */
  socPercent?: number;
  /** Power.Active.Import normalised to W. */
  powerW?: number;
  context?: string;
}

export interface TransactionMeterValuesEvent {
  sessionId: string;
  chargerId: string;
  connectorId: number;
  transactionId: number;
  readings: MeterReading[];
}

export interface TransactionStoppedEvent {
  sessionId: string;
  chargerId: string;
  transactionId: number;
  meterStopWh: number;
  timestamp: string;
  /** OCPP 1.6 Reason (Local, Remote, EVDisconnected, EmergencyStop, …); absent means Local. */
  reason: string;
  idTag?: string;
}

export interface ChargerConnectionEvent {
  sessionId: string;
  chargerId: string;
  online: boolean;
  connectionEpoch: number;
  at: string;
}

/** A StatusNotification for a connector that has an active session (EV full → SuspendedEV, unplugged → Finishing/Available, …). */
export interface ConnectorStatusEvent {
  sessionId: string;
  chargerId: string;
  connectorId: number;
  /** OCPP 1.6 ChargePointStatus. */
  status: string;
  errorCode: string;
  /** ISO 8601: the charger's timestamp, else when the gateway received it. */
  at: string;
}

export interface SessionEventSink {
  transactionStarted(event: TransactionStartedEvent): Promise<void>;
  meterValues(event: TransactionMeterValuesEvent): Promise<void>;
  transactionStopped(event: TransactionStoppedEvent): Promise<void>;
  /** Sent once per active session of the charger when its connection is lost or restored. */
  chargerConnection(event: ChargerConnectionEvent): Promise<void>;
  connectorStatus(event: ConnectorStatusEvent): Promise<void>;
}
