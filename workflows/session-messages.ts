/**
 * The charging-session workflow's public surface: its input, state, receipt, and
 * the signals, queries and updates defined once here for the workflow and its
 * callers (gateway, API) alike, with the events the signals carry. Pure: imported by workflow
 * code; imports nothing but @temporalio/workflow.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';

export const chargingSessionWorkflowType = 'chargingSession';

export type SessionStatus = 'starting' | 'awaiting_plug_in' | 'charging' | 'stopping' | 'billing' | 'completed' | 'failed' | 'interrupted';
export const terminalStatuses: readonly SessionStatus[] = ['completed', 'failed', 'interrupted'];

/** Limits a driver (or operator) sets at start; decimals as strings. */
export interface SessionLimits {
  maxDurationMinutes?: number;
  maxEnergyKwh?: string;
  maxCost?: string;
  /** The most power the driver wants, kW as a decimal string: applied as a TxProfile (smart charging). */
  maxPowerKw?: string;
}

/** Every duration the session waits for, so tests can skip time through all of them. */
export interface SessionTimings {
  plugInTimeoutMs: number;
  commandTimeoutMs: number;
  commandMaxAttempts: number;
  offlineGraceMs: number;
  stopConfirmTimeoutMs: number;
}

export interface SessionInput {
  sessionId: string;
  stationId: string;
  connectorId: number;
  idTag: string;
  driverId: string | null;
  origin: 'app' | 'charger';
  limits?: SessionLimits;
  timings: SessionTimings;
  /** For a charger-initiated session: the StartTransaction that created it. */
  started?: TransactionStartedEvent;
  /** The reserving driver's start on their reserved connector: the transaction uses this reservation (even if the charger does not say so). */
  reservationId?: number;
  /** Keep the SessionStatus search attribute current (servers with it registered: dev server, production). */
  indexStatus?: boolean;
  /** History events per run before continue-as-new (default 5,000; tests lower it). */
  historyLimit?: number;
  /** Set by continue-as-new: the state carried over. */
  carried?: unknown;
  /** A `card` driver's session: the hold to place before charging (absent: post-paid, on account). */
  payment?: CardPayment;
  /** A `card` driver's charger-started session that cannot be paid (no saved card, no provider): why; the charge is stopped at once. */
  paymentRefusal?: string;
}

/** The card a session is paid with, and the hold to place on it (decided when the session is created). */
export interface CardPayment {
  provider: string;
  customerId: string;
  paymentMethodId: string;
  brand: string;
  last4: string;
  /** The pre-authorization, a decimal string in `currency`. */
  holdAmount: string;
  /** ISO 4217. */
  currency: string;
  /** How long the start waits for the provider to place the hold. */
  holdTimeoutMs: number;
}

/** A session's card payment as the receipt shows it; amounts are decimal strings in `currency`. */
export interface ReceiptPayment {
  provider: string;
  /** declined: no hold was placed; authorized: held; captured: the bill taken, the rest released; released: nothing taken; failed: the capture failed for good. */
  status: 'declined' | 'authorized' | 'captured' | 'released' | 'failed';
  method: { brand: string | null; last4: string | null };
  /** The provider's id of the hold (a Stripe PaymentIntent). */
  reference: string | null;
  currency: string;
  authorized: string;
  captured: string;
  released: string;
  refunded: string;
  failure_reason: string | null;
}

export interface SocReporting {
  /** enabled: SoC is in MeterValuesSampledData; the others say why not (or not yet known). */
  status: 'unknown' | 'already_enabled' | 'enabled' | 'rejected' | 'reboot_required' | 'not_supported' | 'error';
  detail?: string;
}

/** The driver's maxPowerKw as sent to the charger (a TxProfile), for the live state. */
export interface SessionPowerLimit {
  requestedKw: string;
  /** pending until the transaction runs; applied: in force; otherwise the session charges without it. */
  status: 'pending' | 'applied' | 'rejected' | 'not_supported' | 'invalid' | 'failed';
  /** RemoteStartTransaction's chargingProfile, or SetChargingProfile after StartTransaction. */
  via: 'RemoteStartTransaction' | 'SetChargingProfile' | null;
  /** The unit actually sent: W, or A when the charger takes only amps (converted with the station's wiring). */
  chargingRateUnit: 'W' | 'A' | null;
  /** The limit as sent, in chargingRateUnit. */
  limit: number | null;
  /** 1 when the limit is too low for three phases (below 6 A each) and is charged on one; null: all the station has. */
  numberPhases: number | null;
  chargingProfileId: number | null;
  detail: string | null;
}

export interface SessionState {
  sessionId: string;
  status: SessionStatus;
  stationId: string;
  connectorId: number;
  driverId: string | null;
  idTag: string;
  origin: 'app' | 'charger';
  transactionId: number | null;
  meterStartWh: number | null;
  lastEnergyWh: string | null;
  /** Decimal strings: exact. */
  energyKwh: string;
  costSoFar: string;
  currency: string;
  ratePerKwh: string;
  socPercent: number | null;
  powerW: number | null;
  startTime: string | null;
  lastReadingAt: string | null;
  endTime: string | null;
  chargerOnline: boolean;
  socReporting: SocReporting;
  limits: SessionLimits;
  /** The driver's power limit as sent; null without limits.maxPowerKw. */
  powerLimit: SessionPowerLimit | null;
  stopReason: string | null;
  failureReason: string | null;
  flags: string[];
}

export interface Receipt {
  session_id: string;
  transaction_id: number | null;
  station_id: string;
  connector_id: number;
  driver_id: string | null;
  status: 'completed' | 'failed' | 'interrupted';
  stop_reason: string | null;
  currency: string;
  meter_start: number | null;
  meter_stop: number | null;
  /** JSON numbers, as the tutorial's shape has them; exact decimal strings are in *_exact. */
  energy_kwh: number;
  rate_per_kwh: number;
  total_cost: number;
  energy_kwh_exact: string;
  rate_per_kwh_exact: string;
  total_cost_exact: string;
  soc: number | null;
  start_time: string | null;
  end_time: string | null;
  flags: string[];
  /** The tariff version the session was billed by (snapshotted at start). */
  tariff_id: string | null;
  tariff_version: number | null;
  /** Itemized: one line per component; lines sum to the subtotal (net prices) or the total (gross prices); subtotal + tax = total. */
  line_items: Array<{ component: string; description: string; quantity: string; unit: string; unit_price: string; amount: string }>;
  subtotal_exact: string;
  tax_exact: string;
  failure_reason: string | null;
  /** A card driver's payment (absent: on account). */
  payment?: ReceiptPayment;
}

/** The outcome of RemoteStartTransaction, awaited by the API with update-with-start. */
export interface StartOutcome {
  accepted: boolean;
  status: SessionStatus;
  reason?: string;
  /** Why a card start was refused before anything was sent to the charger. */
  refusal?: 'payment_declined' | 'payment_unavailable';
}

export interface StopRequest {
  /** 'limit': a driver limit (duration, energy, cost) was reached; 'payment': the card's hold was declined after the charger had started. */
  requestedBy: 'driver' | 'operator' | 'limit' | 'payment';
  reason?: string;
}

// ── What chargers did, as the gateway reports it (signals) ─────────────────
// Every event carries enough to be idempotent: a replayed event is recognised by the workflow.

export interface TransactionStartedEvent {
  sessionId: string;
  /** True when no session was waiting for this transaction (RFID start at the charger): the session must be created. */
  stationInitiated: boolean;
  stationId: string;
  connectorId: number;
  transactionId: number;
  idTag: string;
  driverId: string | null;
  meterStartWh: number;
  /** ISO 8601, as the charger reported it. */
  timestamp: string;
  /** StartTransaction.reservationId: the transaction ends that reservation (§5.13) and pays its fee. */
  reservationId?: number;
  /** What the central system answered about the id tag (StartTransaction.conf idTagInfo.status); absent in older histories. */
  idTagStatus?: string;
}

/** The id tag statuses that mean the charger started with a tag revoked meanwhile (authorized locally). */
export const revokedIdTagStatuses: readonly string[] = ['Blocked', 'Expired', 'Invalid'];
/** The session and receipt flag for it. */
export const revokedIdTagFlag = 'id_tag_revoked';

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
  stationId: string;
  connectorId: number;
  transactionId: number;
  readings: MeterReading[];
}

export interface TransactionStoppedEvent {
  sessionId: string;
  stationId: string;
  transactionId: number;
  meterStopWh: number;
  timestamp: string;
  /** OCPP 1.6 Reason (Local, Remote, EVDisconnected, EmergencyStop, …); absent means Local. */
  reason: string;
  idTag?: string;
}

export interface ChargerConnectionEvent {
  sessionId: string;
  stationId: string;
  online: boolean;
  connectionEpoch: number;
  at: string;
}

/** A StatusNotification for a connector that has an active session (EV full → SuspendedEV, unplugged → Finishing/Available, …). */
export interface ConnectorStatusEvent {
  sessionId: string;
  stationId: string;
  connectorId: number;
  /** OCPP 1.6 ChargePointStatus. */
  status: string;
  errorCode: string;
  /** ISO 8601: the charger's timestamp, else when the gateway received it. */
  at: string;
}

export const transactionStartedSignal = defineSignal<[TransactionStartedEvent]>('transactionStarted');
/** One MeterValues frame. Kept for sessions whose history already has it; the gateway now sends batches. */
export const meterValuesSignal = defineSignal<[TransactionMeterValuesEvent]>('meterValues');
/**
 * The frames of one session the gateway had stored and acknowledged, in the order they were stored,
 * forwarded together from its outbox (src/gateway/forwarding/session-outbox-forwarder.ts). Delivered
 * at least once: the workflow folds a replayed frame without counting it twice.
 */
export const meterValueBatchSignal = defineSignal<[TransactionMeterValuesEvent[]]>('meterValueBatch');
export const transactionStoppedSignal = defineSignal<[TransactionStoppedEvent]>('transactionStopped');
export const chargerConnectionSignal = defineSignal<[ChargerConnectionEvent]>('chargerConnection');

export const connectorStatusSignal = defineSignal<[ConnectorStatusEvent]>('connectorStatus');

export const sessionStateQuery = defineQuery<SessionState>('state');

/** Resolves once the charger has answered RemoteStartTransaction (or the start failed). */
export const awaitStartOutcomeUpdate = defineUpdate<StartOutcome>('awaitStartOutcome');
/** Asks the session to stop; the validator rejects a stop of a session that is not running. Returns the state after sending RemoteStop. */
export const requestStopUpdate = defineUpdate<SessionState, [StopRequest]>('requestStop');
