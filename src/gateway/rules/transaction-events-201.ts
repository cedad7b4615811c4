/**
 * What the TransactionEvents of one OCPP 2.0.1 transaction add up to, whatever order they arrive
 * in (a healthy station sends them in seqNo order; an offline queue may repeat, reorder or lose
 * some). Each event is folded into the transaction's state; the ledger's start and stop (the same
 * operations 1.6's StartTransaction and StopTransaction use) are read from that state:
 *
 * - Start, once the EVSE, the id token and a start register are known: the register is the
 *   Transaction.Begin sample, else the earliest register sample; the time is the Started's, else
 *   the earliest the events tell. Without an id token (cable plugged in first, E02/E03) the start
 *   waits for the event that brings it (triggerReason Authorized). A remote start's id token and
 *   EVSE (remoteStartId → ocpp201_remote_starts) stand in for what the events lack.
 * - An Ended always settles the transaction: a lost Started is rebuilt from the Ended's meter data
 *   (its Transaction.Begin, else the earliest register, else the stop register: nothing billed).
 *   A transaction that ends never authorized is billed only if energy flowed, as a NoAuthorization
 *   transaction (id tag ''), as a free-vend station's would be; with no energy (plugged in and
 *   left), or no register at all, it never reaches the ledger.
 * - Stop: the Transaction.End register, else the latest register sample, else the start register;
 *   the reason is stoppedReason (absent means Local, as 2.0.1 allows only for Local).
 *
 * - Charging state: a change of `chargingState` (by seqNo; a late event changes nothing) is told to
 *   the session as 1.6's connector status, which is where billing reads the end of charging from:
 *   Charging, SuspendedEV, and EVConnected once the EV has charged (charging over, still plugged
 *   in) as SuspendedEV. SuspendedEVSE and Idle mean nothing to billing (unplugging arrives as the
 *   StatusNotification Available).
 *
 * The ledger and the session count whole Wh, as 1.6's integer registers do: a register is
 * converted exactly (src/gateway/handlers/v201/meter-samples.ts) and then truncated to the Wh
 * (never billing energy not fully metered); meter_samples keeps every digit.
 */
import Big from 'big.js';

/** An energy register value: exact Wh (decimal string), when it was read, whether it is a Transaction.Begin/End sample. */
export interface RegisterReading {
  wh: string;
  at: string;
  context: string;
}

export interface Transaction201State {
  evseId?: number;
  idToken?: string;
  remoteStartId?: number;
  reservationId?: number;
  /** The Started's timestamp once it arrived. */
  startedAt?: string;
  /** The earliest timestamp any event or sample carried (a lost Started's stand-in). */
  earliestAt?: string;
  begin?: RegisterReading;
  latest?: RegisterReading;
  ended?: { seqNo: number; at: string; reason: string; idToken?: string; end?: RegisterReading };
  /** The latest chargingState (by seqNo), and whether the EV has been Charging at all. */
  chargingState?: { value: string; seqNo: number };
  charged?: boolean;
}

/** What one TransactionEvent says, read once from the request. */
export interface TransactionEventFacts {
  eventType: 'Started' | 'Updated' | 'Ended';
  seqNo: number;
  timestamp: string;
  evseId?: number;
  idToken?: string;
  remoteStartId?: number;
  reservationId?: number;
  stoppedReason?: string;
  chargingState?: string;
  /** Every energy register sample of the event's meterValue, in Wh. */
  registers: RegisterReading[];
}

const earlier = (a: string | undefined, b: string): string => (a === undefined || Date.parse(b) < Date.parse(a) ? b : a);

/** Transaction.Begin beats any other sample; otherwise the earlier sample is the better start. */
function betterBegin(current: RegisterReading | undefined, r: RegisterReading): RegisterReading {
  if (!current) return r;
  if (current.context === 'Transaction.Begin') return current;
  if (r.context === 'Transaction.Begin') return r;
  return Date.parse(r.at) < Date.parse(current.at) ? r : current;
}

function laterReading(current: RegisterReading | undefined, r: RegisterReading): RegisterReading {
  return !current || Date.parse(r.at) >= Date.parse(current.at) ? r : current;
}

/** The state after one more event (folding the same event twice changes nothing). */
export function foldEvent(state: Transaction201State, e: TransactionEventFacts): Transaction201State {
  const next: Transaction201State = { ...state };
  next.evseId ??= e.evseId;
  // The first id token is the transaction's; a later one (the card that stops it) is the stop's too.
  next.idToken ??= e.idToken;
  next.remoteStartId ??= e.remoteStartId;
  next.reservationId ??= e.reservationId;
  if (e.eventType === 'Started') next.startedAt = e.timestamp;
  next.earliestAt = earlier(next.earliestAt, e.timestamp);
  for (const r of e.registers) {
    next.earliestAt = earlier(next.earliestAt, r.at);
    if (r.context !== 'Transaction.End') next.begin = betterBegin(next.begin, r);
    next.latest = laterReading(next.latest, r);
  }
  if (e.chargingState !== undefined && e.seqNo >= (next.chargingState?.seqNo ?? -1)) next.chargingState = { value: e.chargingState, seqNo: e.seqNo };
  if (e.chargingState === 'Charging') next.charged = true;
  if (e.eventType === 'Ended' && !next.ended) {
    const end = [...e.registers].reverse().find((r) => r.context === 'Transaction.End');
    next.ended = { seqNo: e.seqNo, at: e.timestamp, reason: e.stoppedReason ?? 'Local', ...(e.idToken ? { idToken: e.idToken } : {}), ...(end ? { end } : {}) };
  }
  return next;
}

/** The connector status (1.6's words) the session is to be told for this event, given the state before it; undefined: nothing changed for billing. */
export function chargingStatusChange(before: Transaction201State, e: TransactionEventFacts): string | undefined {
  if (e.chargingState === undefined || e.seqNo < (before.chargingState?.seqNo ?? -1) || e.chargingState === before.chargingState?.value) return undefined;
  if (e.chargingState === 'Charging' || e.chargingState === 'SuspendedEV') return e.chargingState;
  if (e.chargingState === 'EVConnected' && before.charged) return 'SuspendedEV';
  return undefined;
}

/** A register in the ledger's whole Wh (truncated: a part of a Wh is not yet billed). */
export function wholeWh(exactWh: string): number {
  return Number(new Big(exactWh).round(0, Big.roundDown).toFixed());
}

/** What a remote start (remoteStartId) recorded: it stands in for what the events do not say. */
export interface RemoteStartRecord {
  evseId: number | null;
  idToken: string;
}

export interface LedgerStart {
  connectorId: number;
  idTag: string;
  meterStartWh: number;
  timestamp: string;
  reservationId?: number;
}

export type StartDecision = { start: LedgerStart } | { wait: string } | { never: string };

/** An EVSE no event named (a lost Started): the station's first. */
const defaultEvseId = 1;

/** Whether the ledger's start can happen now, and with what. */
export function ledgerStart(state: Transaction201State, remoteStart: RemoteStartRecord | null): StartDecision {
  const idToken = state.idToken ?? remoteStart?.idToken;
  const stopRegister = state.ended ? (state.ended.end ?? state.latest) : undefined;
  const begin = state.begin ?? stopRegister;
  if (!state.ended) {
    if (idToken === undefined) return { wait: 'no id token yet (authorization follows)' };
    if (!begin) return { wait: 'no energy register yet' };
  } else {
    if (!begin || !stopRegister) return { never: 'ended without any energy register' };
    if (idToken === undefined && wholeWh(stopRegister.wh) <= wholeWh(begin.wh)) return { never: 'ended never authorized, without energy' };
  }
  const timestamp = state.startedAt ?? (begin.context === 'Transaction.Begin' ? begin.at : undefined) ?? state.earliestAt ?? begin.at;
  return {
    start: {
      connectorId: state.evseId ?? remoteStart?.evseId ?? defaultEvseId,
      idTag: idToken ?? '',
      meterStartWh: wholeWh(begin.wh),
      timestamp,
      ...(state.reservationId === undefined ? {} : { reservationId: state.reservationId }),
    },
  };
}

export interface LedgerStop {
  meterStopWh: number;
  timestamp: string;
  reason: string;
  idTag?: string;
}

/** The ledger's stop once the Ended is known (null before); without any register, the start's (nothing billed). */
export function ledgerStop(state: Transaction201State, meterStartWh: number): LedgerStop | null {
  if (!state.ended) return null;
  const register = state.ended.end ?? state.latest;
  return {
    meterStopWh: register ? wholeWh(register.wh) : meterStartWh,
    timestamp: state.ended.at,
    reason: state.ended.reason,
    ...(state.ended.idToken ? { idTag: state.ended.idToken } : {}),
  };
}
