/**
 * What the gateway keeps, in domain words, so that handlers and the connection lifecycle never
 * spell out SQL. PostgreSQL implements them (src/gateway/storage/pg-*.ts); handler unit tests use
 * in-memory ones. Payload shapes are OCPP 1.6's (src/ocpp/ocpp16-messages.ts) where a table
 * stores what the station reported as it reported it.
 */
import type { BootNotificationRequest, StatusNotificationRequest } from '../../ocpp/ocpp16-messages';
import type { EventDataType, ReportDataType } from '../../ocpp/ocpp201-messages';
import type { RegisteredIdTag, IdTagInfo } from '../rules/id-tag-authorization';
import type { RegistrationStatus } from '../rules/registration';
import type { MeterReading, TransactionMeterValuesEvent, TransactionStartedEvent, TransactionStoppedEvent } from '../../../workflows/session-messages';
import type { RemoteStartRecord, Transaction201State } from '../rules/transaction-events-201';

/** One sampled value with every default resolved, as meter_samples stores it. */
export interface MeterSample {
  measurand: string;
  phase?: string;
  unit: string;
  context: string;
  location?: string;
  format: string;
  value: string;
}

/** The samples of one meterValue element. */
export interface MeterSampleGroup {
  timestamp: string;
  samples: MeterSample[];
}

/** A BootNotification in 1.6's words; a 2.0.1 station's is mapped to them, with its `reason`. */
export type StationBoot = BootNotificationRequest & { reason?: string };

/**
 * A StatusNotification as stored: 1.6's fields, the status in the station's version's words (1.6
 * ChargePointStatus, 2.0.1 ConnectorStatus). A 2.0.1 station's connector is its EVSE, and
 * `evseConnectorId` the EVSE's own connector (src/gateway/handlers/v201/status-notification.ts).
 */
export type ConnectorStatusReport = Omit<StatusNotificationRequest, 'status'> & { status: string; evseConnectorId?: number };

/** A 2.0.1 firmware or log status in the station's own words, with the request it belongs to. */
export interface ReportedStatus {
  status: string;
  requestId?: number;
}

export interface StationCredentials {
  passwordHash: string | null;
  registrationStatus: RegistrationStatus;
}

/** The stations (chargers table) and what they report about themselves. */
export interface StationRegistry {
  credentials(stationId: string): Promise<StationCredentials | null>;
  /** Inserts an auto-registered station as Pending (no-op when it already exists). */
  registerPending(stationId: string, passwordHash: string): Promise<void>;
  /** As stored now (the operator may have changed it); null for an unknown station. */
  registrationStatus(stationId: string): Promise<RegistrationStatus | null>;
  /** Stores what the station reports about itself; returns its registration status. */
  recordBoot(stationId: string, boot: StationBoot): Promise<RegistrationStatus>;
  /** Returns the registration status as stored now. */
  recordHeartbeat(stationId: string): Promise<RegistrationStatus | null>;
  /** Stores the report; a scheduled ChangeAvailability it shows done is no longer scheduled. */
  recordConnectorStatus(stationId: string, report: ConnectorStatusReport): Promise<void>;
  /** `status` in the diagnostics workflow's words (1.6); `reported`: a 2.0.1 LogStatusNotification as sent. */
  recordDiagnosticsStatus(stationId: string, status: string, reported?: ReportedStatus): Promise<void>;
  /** `status` in the firmware workflow's words (1.6); `reported`: a 2.0.1 FirmwareStatusNotification as sent. */
  recordFirmwareStatus(stationId: string, status: string, reported?: ReportedStatus): Promise<void>;
  /** Whether a firmware update of the station is running (its boots are then news for that update). */
  firmwareUpdateInProgress(stationId: string): Promise<boolean>;
  recordDataTransfer(stationId: string, d: { vendorId: string; messageId?: string; data?: string; status: string }): Promise<void>;
}

/** The NotifyEvent / NotifyReport message a row came in. */
export interface ReportFrame {
  generatedAt: string;
  seqNo: number;
}

/** What a 2.0.1 station reports about itself beyond its connectors (migration 0016), stored as reported. */
export interface StationReports {
  /** NotifyEvent's eventData; an event stored before (same eventId and timestamp) is not stored again. */
  recordEvents(stationId: string, frame: ReportFrame, events: readonly EventDataType[]): Promise<void>;
  recordSecurityEvent(stationId: string, event: { type: string; timestamp: string; techInfo?: string }): Promise<void>;
  /** NotifyReport's reportData: each variable of a component upserted (the last report wins). */
  recordDeviceModel(stationId: string, frame: ReportFrame & { requestId: number }, variables: readonly ReportDataType[]): Promise<void>;
}

export type ConnectionEventKind = 'connected' | 'disconnected' | 'replaced' | 'auth_failed';

/** Which gateway holds which station (routing, by connection epoch), and the connection log. */
export interface ConnectionRoutes {
  newEpoch(): Promise<number>;
  /** Routes the station to this gateway, unless a newer connection (higher epoch) already holds it; records the version it speaks. */
  markOnline(stationId: string, gatewayId: string, epoch: number, ocppVersion: '1.6' | '2.0.1'): Promise<boolean>;
  /** Offline only if this connection is still the one routed to; its connectors' status becomes Unknown. */
  markOffline(stationId: string, epoch: number): Promise<boolean>;
  /** Every station this gateway still routes to goes offline (a gateway start or shutdown). */
  markGatewayOffline(gatewayId: string): Promise<void>;
  recordConnectionEvent(e: { stationId: string; gatewayId: string; epoch: number; event: ConnectionEventKind; reason?: string; remoteAddress?: string }): Promise<void>;
}

export interface IdTagRegister {
  /** The tag as registered (case-insensitive), or null; with a station, whether it is admitted there. */
  find(idTag: string, stationId?: string): Promise<RegisteredIdTag | null>;
}

export interface ActiveSession {
  sessionId: string;
  connectorId: number;
}

export interface ActiveSessions {
  ofStation(stationId: string): Promise<ActiveSession[]>;
  onConnector(stationId: string, connectorId: number): Promise<string | null>;
}

export interface StartTransactionInput {
  stationId: string;
  connectorId: number;
  idTag: string;
  meterStart: number;
  timestamp: string;
  reservationId?: number;
}

export interface StartedTransaction {
  transactionId: number;
  sessionId: string;
  /** The session was created for this transaction (origin 'charger'), also on a replay, so a re-forward can create the workflow. */
  stationInitiated: boolean;
  replay: boolean;
  /** The connector already had a session with another transaction: this one is tied to a failed, inactive session row. */
  conflict: boolean;
  driverId: string | null;
  idTagInfo: IdTagInfo;
}

export interface StopTransactionInput {
  stationId: string;
  transactionId: number;
  meterStop: number;
  timestamp: string;
  reason?: string;
  idTag?: string;
  /** As the station sent it (kept verbatim) ... */
  transactionData?: unknown[];
  /** ... and resolved to samples. */
  samples?: MeterSampleGroup[];
}

/** A transaction of the station that asked, with whether a session workflow follows it. */
export interface StationTransaction {
  transactionId: number;
  sessionId: string;
  connectorId: number;
  /** False for a transaction tied to a failed, inactive session (a conflict): nothing is forwarded. */
  followed: boolean;
}

/** Transactions and their meter samples. Transaction ids are the station's only if it was issued to it. */
export interface TransactionLedger {
  /** Issues (or, for a replay, finds) the transaction and ties it to its session (src/gateway/rules/transaction-session.ts). */
  start(input: StartTransactionInput): Promise<StartedTransaction>;
  /** Records the stop (the first reported wins) and its samples; null when the station has no such transaction. */
  stop(input: StopTransactionInput): Promise<StationTransaction | null>;
  /**
   * Stores every sample (a replay stores nothing twice), filed under the transaction only when it
   * is the station's; returns that transaction, or null (none given, or not the station's). When
   * a session follows the transaction, `readings` (what its workflow is told) go into the session
   * outbox in the same commit.
   */
  recordMeterValues(stationId: string, connectorId: number, transactionId: number | null, samples: MeterSampleGroup[], readings: MeterReading[]): Promise<RecordedFrame | null>;
  /** Stores samples under the station's transaction and tells its session nothing (they arrived after its stop). */
  recordLateSamples(stationId: string, connectorId: number, transactionId: number, samples: MeterSampleGroup[]): Promise<void>;
}

/** A stored MeterValues frame's transaction, and its outbox entry (null: none written, or its id not known here). */
export interface RecordedFrame extends StationTransaction {
  outboxEntry: OutboxEntry | null;
}

/** A frame acknowledged to its station whose readings its session's workflow has not been sent yet. */
export interface OutboxEntry {
  id: number;
  sessionId: string;
  event: TransactionMeterValuesEvent;
}

/** The session outbox: written with the samples (TransactionLedger.recordMeterValues), emptied by the forwarder. */
export interface SessionOutbox {
  /** The entries of these sessions, oldest first, at most `limit`. */
  pending(sessionIds: string[], limit: number): Promise<OutboxEntry[]>;
  /** Delivered entries: gone. */
  remove(ids: number[]): Promise<void>;
  /** Sessions with an entry older than `olderThanMs` (left by a gateway that stopped, or by a delivery that failed). */
  waitingSessions(olderThanMs: number, limit: number): Promise<string[]>;
}

/** An OCPP 2.0.1 transaction (the station's string id) and how far the ledger and its session have got with it. */
export interface Transaction201 {
  stationId: string;
  chargerTransactionId: string;
  /** Ours, once the ledger's start happened. */
  transactionId: number | null;
  /** What its events have said so far (src/gateway/rules/transaction-events-201.ts). */
  state: Transaction201State;
  /** The ledger's start as the session is to be told it; whether it was. */
  started: TransactionStartedEvent | null;
  startedForwarded: boolean;
  /** The ledger's stop as the session is to be told it; whether it was. */
  stopped: TransactionStoppedEvent | null;
  stoppedForwarded: boolean;
  /** False: tied to a failed, inactive session (a conflict), nothing is forwarded. */
  followed: boolean;
}

/** An event's samples, and what its session is to be told of them, held until the ledger has the transaction. */
export interface PendingSamples201 {
  seqNo: number;
  samples: MeterSampleGroup[];
  readings: MeterReading[];
  /** A change of charging state, as the connector status (1.6's words) the session is told. */
  connectorStatus?: { status: string; at: string };
}

/** OCPP 2.0.1 TransactionEvents (migrations 0014, 0015): the station's transaction ids mapped to ours, their events deduplicated by seqNo. */
export interface TransactionEvents201 {
  /**
   * In one commit: notes the event (a seqNo already noted is a replay: `duplicate`, nothing
   * changes), folds it into the transaction's state with `fold`, and holds its samples.
   */
  record(
    stationId: string,
    chargerTransactionId: string,
    event: { seqNo: number; eventType: 'Started' | 'Updated' | 'Ended'; offline: boolean },
    fold: (state: Transaction201State) => Transaction201State,
    pending: PendingSamples201,
  ): Promise<{ duplicate: boolean; transaction: Transaction201 }>;
  /** What RequestStartTransaction's remoteStartId was issued for (a row of this station's), or null. */
  remoteStart(stationId: string, remoteStartId: number): Promise<RemoteStartRecord | null>;
  /** Held samples, in seqNo order. */
  pending(stationId: string, chargerTransactionId: string): Promise<PendingSamples201[]>;
  /** Held samples now stored under the ledger's transaction. */
  applied(stationId: string, chargerTransactionId: string, seqNos: number[]): Promise<void>;
  /** Records progress; `transactionId` is set only once (the first wins) and the row as stored is returned. */
  update(
    stationId: string,
    chargerTransactionId: string,
    progress: Partial<Pick<Transaction201, 'transactionId' | 'started' | 'startedForwarded' | 'stopped' | 'stoppedForwarded' | 'followed'>>,
  ): Promise<Transaction201>;
}

/** OCPP 2.0.1 transaction ids (the station's strings, table ocpp201_transactions) as the command translations need them. */
export interface ChargerTransactionIds {
  /** The station's id of our transaction; null: it is not one of the station's 2.0.1 transactions. */
  ofTransaction(stationId: string, transactionId: number): Promise<string | null>;
  /** The station's id of the transaction running on the EVSE (the newest); null: none. */
  runningOnEvse(stationId: string, evseId: number): Promise<string | null>;
}

/** What a 2.0.1 command translation issues a requestId for (migration 0017). */
export type Ocpp201RequestKind = 'firmware' | 'log' | 'report';

/** What the OCPP 2.0.1 command translations record (src/gateway/commands/v201/). */
export interface Ocpp201CommandRecords {
  /** A RequestStartTransaction about to be sent: its remoteStartId (ocpp201_remote_starts). */
  recordRemoteStart(stationId: string, evseId: number | null, idToken: string): Promise<number>;
  /** A requestId for UpdateFirmware, GetLog or GetBaseReport (ocpp201_requests). */
  recordRequest(stationId: string, kind: Ocpp201RequestKind): Promise<number>;
}

/** Everything the gateway keeps. */
export interface GatewayStorage {
  stations: StationRegistry;
  reports: StationReports;
  routes: ConnectionRoutes;
  idTags: IdTagRegister;
  sessions: ActiveSessions;
  transactions: TransactionLedger;
  outbox: SessionOutbox;
  transactions201: TransactionEvents201;
  chargerTransactionIds: ChargerTransactionIds;
  commands201: Ocpp201CommandRecords;
}
