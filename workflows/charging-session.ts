/**
 * One charging session, from RemoteStart (or the charger's own StartTransaction) to the receipt.
 * States: starting → awaiting_plug_in → charging → stopping → billing → completed, or failed
 * (never charged) / interrupted (the charger vanished; billed from the last trusted reading).
 *
 * Energy and money come from register readings folded by the pure billing module, so a
 * replayed, duplicated or reordered signal never changes the bill.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { SessionStatusKey } from '../src/temporal/search-attributes';
import {
  Big,
  fromMinorUnits,
  priceSession,
  recordConnectorStatus,
  recordReading,
  reservationFeeLines,
  roundToMinorUnit,
  startUsage,
  toMinorUnits,
  type ExtraCharge,
  type SessionUsage,
  type TariffSnapshot,
} from '../src/billing';
import { stationAnswered } from '../src/ocpp/charger-commands';
import { planSocReporting, sampledDataKey, sampledDataMaxLengthKey } from '../src/ocpp/soc-configuration';
import type { SessionActivities } from './session-activities';
import type { ReservationActivities } from './reservation-activities';
import { paymentFailedFlag, type PaymentActivities } from './payment-activities';
import { reservationUsedSignal, reservationWorkflowId } from './reservation-messages';
import { sendChargerCommand } from './charger-command-sender';
import { applyDriverLimit, driverLimitNotInRemoteStart, planDriverLimit, type DriverLimitPlan } from './driver-power-limit';
import { notifySiteCharging, notifySiteEnded } from './site-notifications';
import {
  awaitStartOutcomeUpdate,
  chargerConnectionSignal,
  connectorStatusSignal,
  meterValueBatchSignal,
  meterValuesSignal,
  requestStopUpdate,
  sessionStateQuery,
  terminalStatuses,
  revokedIdTagFlag,
  revokedIdTagStatuses,
  transactionStartedSignal,
  transactionStoppedSignal,
  type ConnectorStatusEvent,
  type MeterReading,
  type Receipt,
  type ReceiptPayment,
  type SessionInput,
  type SessionState,
  type SessionStatus,
  type TransactionMeterValuesEvent,
  type StartOutcome,
  type StopRequest,
  type TransactionStartedEvent,
  type TransactionStoppedEvent,
} from './session-messages';

// PostgreSQL may be down for a while: keep retrying, the session waits.
const untilTheDatabaseAnswers = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;
/**
 * Short PostgreSQL reads and writes on the way to charging run as local activities: in the
 * worker, recorded in the history as a marker, with no round trips through the server's task
 * queues (each of which costs a start→charging delay).
 */
const bookkeeping = proxyLocalActivities<Pick<SessionActivities, 'loadTariff' | 'recordSessionStatus'> & Pick<ReservationActivities, 'claimReservationForSession'>>({
  startToCloseTimeout: '30 seconds',
  retry: untilTheDatabaseAnswers,
});
/** The receipt is a regular activity: operators see it, with its attempts, in the Web UI. */
const store = proxyActivities<Pick<SessionActivities, 'issueReceipt'>>({
  startToCloseTimeout: '30 seconds',
  retry: untilTheDatabaseAnswers,
});

/**
 * Capturing and releasing a card's hold: retried until the provider answers (the receipt is
 * issued already; the money follows). The idempotency key of each step makes a retry harmless.
 */
const payments = proxyActivities<Pick<PaymentActivities, 'capturePayment' | 'releasePaymentHold' | 'recordPaymentFailure'>>({
  startToCloseTimeout: '30 seconds',
  retry: untilTheDatabaseAnswers,
});

/** Readings held back until the transaction is known (bounded: only the latest matter). */
const maxEarlyReadings = 50;
/** A reading stamped further than this ahead of the workflow clock is flagged as clock skew. */
const clockSkewToleranceMs = 5 * 60_000;
/** Events in one run's history before it continues as new (Temporal warns at 10,240). */
const defaultHistoryLimit = 5_000;
/** Between rounds of RemoteStop to a charger that is connected but does not answer. */
const remoteStopRetryPauseMs = 60_000;

/** What continue-as-new carries into the next run. */
interface CarriedSession {
  state: SessionState;
  tariff: TariffSnapshot;
  usage: SessionUsage;
  stopRequest: StopRequest | null;
  lastConnectionEpoch: number;
  latestSocAt: string | null;
  latestPowerAt: string | null;
  reservationCharges?: ExtraCharge[];
  siteId?: string | null;
  hold?: PaymentHold | null;
  payment?: ReceiptPayment | null;
}

/** The card's hold, once the provider placed it: captured or released when the session ends. */
interface PaymentHold {
  reference: string;
  amountMinor: number;
}

/** Why placing the hold did not work; `refusal` tells the API how to answer the start. */
interface HoldRefused {
  reason: string;
  refusal?: StartOutcome['refusal'];
}

/** The ApplicationFailure type behind an activity's failure, if any. */
function failureTypeOf(err: unknown): string | null {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure ? (cause.type ?? null) : null;
}

export async function chargingSession(input: SessionInput): Promise<Receipt> {
  const carried = input.carried as CarriedSession | undefined;
  const state: SessionState = carried?.state ?? initialState(input);
  let tariff: TariffSnapshot | null = carried?.tariff ?? null;
  let usage: SessionUsage | null = carried?.usage ?? null;
  let stopRequest: StopRequest | null = carried?.stopRequest ?? null;
  let stopSent = false;
  let startOutcome: StartOutcome | null = carried ? { accepted: true, status: state.status } : null;
  let started: TransactionStartedEvent | null = carried ? null : (input.started ?? null);
  let stopped: TransactionStoppedEvent | null = null;
  let lastConnectionEpoch = carried?.lastConnectionEpoch ?? 0;
  let latestSocAt = carried?.latestSocAt ?? null;
  let latestPowerAt = carried?.latestPowerAt ?? null;
  /** The fee of the reservation this session used (claimed once, in PostgreSQL): lines on its receipt. */
  let reservationCharges: ExtraCharge[] = carried?.reservationCharges ?? [];
  /** The site whose load manager was told that this session charges (told again when it ends). */
  let siteId: string | null = carried?.siteId ?? null;
  /** A card session's hold (placed before RemoteStart, or when a charger-started transaction arrives) and its payment as recorded. */
  let hold: PaymentHold | null = carried?.hold ?? null;
  let payment: ReceiptPayment | null = carried?.payment ?? null;
  const earlyReadings: MeterReading[] = [];
  const earlyStatuses: ConnectorStatusEvent[] = [];
  /** How the driver's maxPowerKw goes to the charger (decided before RemoteStart; not carried: applied by then). */
  let limitPlan: DriverLimitPlan | null = null;
  const policy = { commandTimeoutMs: input.timings.commandTimeoutMs, commandMaxAttempts: input.timings.commandMaxAttempts };

  /** A day-long session with a reading a minute would outgrow one history: start afresh, carrying the state. */
  const historyIsLong = (): boolean => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= (input.historyLimit ?? defaultHistoryLimit);

  const flag = (name: string): void => {
    if (!state.flags.includes(name)) state.flags.push(name);
  };
  const isRunning = (): boolean => !terminalStatuses.includes(state.status) && state.status !== 'billing';
  /**
   * The charger started with a tag the central system holds revoked (it authorized it locally,
   * from its list or cache, typically while offline): billed like any other, and flagged.
   */
  const noteStartAuthorization = (event: TransactionStartedEvent): void => {
    if (event.idTagStatus && revokedIdTagStatuses.includes(event.idTagStatus)) flag(revokedIdTagFlag);
  };
  if (started) noteStartAuthorization(started);

  const applyReading = (reading: MeterReading): void => {
    if (!usage || !tariff) {
      if (earlyReadings.length < maxEarlyReadings) earlyReadings.push(reading);
      return;
    }
    const at = reading.timestamp;
    // Stamped well ahead of our clock, or well before the transaction began: the charger's clock is off.
    if (Date.parse(at) - Date.now() > clockSkewToleranceMs) flag('clock_skew');
    if (state.startTime !== null && Date.parse(state.startTime) - Date.parse(at) > clockSkewToleranceMs) flag('clock_skew');
    if (reading.socPercent !== undefined && (latestSocAt === null || at >= latestSocAt)) {
      state.socPercent = reading.socPercent;
      latestSocAt = at;
    }
    if (reading.powerW !== undefined && (latestPowerAt === null || at >= latestPowerAt)) {
      state.powerW = reading.powerW;
      latestPowerAt = at;
    }
    if (reading.energyWh !== undefined) {
      const below = new Big(reading.energyWh).lt(usage.meterLatestWh);
      // A lower register stamped later than the latest reading is a meter reset, not a late sample.
      if (below && (usage.lastReadingAt === null || at >= usage.lastReadingAt)) flag('meter_went_backwards');
      usage = recordReading(tariff, usage, { at, energyWh: reading.energyWh });
      state.lastEnergyWh = usage.meterLatestWh;
    }
    if (state.lastReadingAt === null || at > state.lastReadingAt) state.lastReadingAt = at;
    reprice();
    enforceLimits();
  };

  const reprice = (): void => {
    if (!usage || !tariff) return;
    const priced = priceSession(tariff, usage, new Date().toISOString(), reservationCharges);
    state.energyKwh = priced.energyKwh;
    state.costSoFar = priced.total;
  };

  /**
   * A limit stops the session once reached, or one reading early when the next reading, at the
   * pace of the last one, would pass it: the driver's limit is a ceiling, not a target.
   */
  let previousForLimits: { energyKwh: string; cost: string } | null = null;
  const enforceLimits = (): void => {
    if (stopRequest || state.status !== 'charging') return;
    const { maxEnergyKwh, maxCost } = state.limits;
    const previous = previousForLimits;
    previousForLimits = { energyKwh: state.energyKwh, cost: state.costSoFar };
    const check = (now: string, before: string | undefined, max: string | undefined): 'reached' | 'would_exceed' | null => {
      if (max === undefined) return null;
      if (new Big(now).gte(max)) return 'reached';
      if (before === undefined) return null;
      const next = new Big(now).plus(new Big(now).minus(before));
      return next.gt(max) ? 'would_exceed' : null;
    };
    const energy = check(state.energyKwh, previous?.energyKwh, maxEnergyKwh);
    const cost = check(state.costSoFar, previous?.cost, maxCost);
    const words = { reached: 'reached', would_exceed: 'would be exceeded by the next reading' } as const;
    if (energy) stopRequest = { requestedBy: 'limit', reason: `energy limit of ${maxEnergyKwh} kWh ${words[energy]}` };
    else if (cost) stopRequest = { requestedBy: 'limit', reason: `cost limit of ${maxCost} ${state.currency} ${words[cost]}` };
  };

  setHandler(sessionStateQuery, () => state);

  setHandler(transactionStartedSignal, (event) => {
    if (event.transactionId === (state.transactionId ?? started?.transactionId ?? event.transactionId)) noteStartAuthorization(event);
    if (state.transactionId === null && started === null) started = event;
    else if (event.transactionId !== (state.transactionId ?? started?.transactionId)) flag('unexpected_second_transaction');
  });

  const onMeterValues = (event: TransactionMeterValuesEvent): void => {
    const transactionId = state.transactionId ?? started?.transactionId;
    if (transactionId !== undefined && transactionId !== null && event.transactionId !== transactionId) return;
    for (const reading of event.readings) applyReading(reading);
  };
  setHandler(meterValuesSignal, onMeterValues);
  setHandler(meterValueBatchSignal, (events) => events.forEach(onMeterValues));

  setHandler(transactionStoppedSignal, (event) => {
    // The first StopTransaction wins; a replay is ignored.
    if (stopped === null && event.transactionId === (state.transactionId ?? started?.transactionId)) stopped = event;
  });

  setHandler(chargerConnectionSignal, (event) => {
    // Events can arrive out of order across gateways: the newest connection epoch decides.
    if (event.connectionEpoch < lastConnectionEpoch) return;
    lastConnectionEpoch = event.connectionEpoch;
    state.chargerOnline = event.online;
  });

  setHandler(connectorStatusSignal, (event) => {
    if (event.status === 'Faulted') flag('connector_faulted');
    // Charging time ends and idle time begins at SuspendedEV/Finishing (the billing module's rule).
    if (!usage || !tariff) {
      // Before the transaction is known (an EV already full at plug-in): applied once it is.
      if (earlyStatuses.length < maxEarlyReadings) earlyStatuses.push(event);
    } else if (isRunning()) {
      usage = recordConnectorStatus(tariff, usage, { at: event.at, status: event.status });
      reprice();
    }
  });

  setHandler(awaitStartOutcomeUpdate, async () => {
    await condition(() => startOutcome !== null);
    return startOutcome!;
  });

  setHandler(
    requestStopUpdate,
    async (request) => {
      if (!stopRequest) stopRequest = request;
      await condition(() => stopSent || !isRunning());
      return state;
    },
    {
      validator: (_request: StopRequest) => {
        if (!isRunning()) throw new Error(`the session is already ${state.status}`);
      },
    },
  );

  /** Operators filter sessions by status in the Web UI. */
  const indexStatus = (status: SessionStatus): void => {
    if (input.indexStatus) upsertSearchAttributes([{ key: SessionStatusKey, value: status }]);
  };

  const setStatus = async (status: SessionStatus, extra: { failureReason?: string } = {}): Promise<void> => {
    state.status = status;
    indexStatus(status);
    await bookkeeping.recordSessionStatus({ sessionId: state.sessionId, status, transactionId: state.transactionId, failureReason: extra.failureReason ?? null });
  };

  const finish = async (status: 'completed' | 'failed' | 'interrupted', endTime: string): Promise<Receipt> => {
    state.endTime = endTime;
    if (siteId !== null && state.transactionId !== null) {
      await notifySiteEnded(siteId, { sessionId: state.sessionId, stationId: state.stationId, connectorId: state.connectorId, transactionId: state.transactionId });
      siteId = null;
    }
    state.status = 'billing';
    // More than the hold cannot be captured: said on the receipt.
    if (hold && status !== 'failed' && toMinorUnits(priceFinal(endTime), state.currency) > hold.amountMinor) flag('bill_above_hold');
    const receipt = buildReceipt(state, status, tariff, usage, stopped, endTime, reservationCharges);
    const issued = await store.issueReceipt(receipt);
    if (hold) await settlePayment(hold, status === 'failed' ? 0 : toMinorUnits(issued.total_cost_exact, issued.currency));
    state.status = status;
    indexStatus(status);
    await condition(allHandlersFinished);
    if (!payment) return issued;
    // A capture that failed for good flagged the stored receipt after it was issued (recordPaymentFailure).
    const flags = payment.status === 'failed' && !issued.flags.includes(paymentFailedFlag) ? [...issued.flags, paymentFailedFlag] : issued.flags;
    return { ...issued, flags, payment };
  };

  /** The bill's total at `endTime` (what the receipt will say). */
  const priceFinal = (endTime: string): string => (tariff && usage ? priceSession(tariff, usage, endTime, reservationCharges).total : '0');

  const fail = async (reason: string, refusal?: StartOutcome['refusal']): Promise<Receipt> => {
    state.failureReason = reason;
    startOutcome ??= { accepted: false, status: 'failed', reason, ...(refusal ? { refusal } : {}) };
    return finish('failed', new Date().toISOString());
  };

  /**
   * The saga's first step: a hold of the pre-authorization on the driver's card, within the start's
   * bounded wait. Once held, the session's cost limit is at most the hold, so the charger is
   * stopped before the bill can pass what was authorized.
   */
  const placeHold = async (card: NonNullable<SessionInput['payment']>): Promise<HoldRefused | null> => {
    if (tariff && tariff.currency !== card.currency) {
      return { reason: `the tariff is in ${tariff.currency}, card payments are taken in ${card.currency}` };
    }
    const holding = proxyActivities<Pick<PaymentActivities, 'authorizePaymentHold'>>({
      startToCloseTimeout: card.holdTimeoutMs,
      scheduleToCloseTimeout: card.holdTimeoutMs,
      retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '2 seconds' },
    });
    try {
      const result = await holding.authorizePaymentHold({ sessionId: state.sessionId, driverId: state.driverId, card, amountMinor: toMinorUnits(card.holdAmount, card.currency) });
      payment = result.payment;
      if (result.status === 'declined') return { reason: `the card was declined: ${result.reason}`, refusal: 'payment_declined' };
      hold = { reference: result.reference, amountMinor: result.amountMinor };
      const held = fromMinorUnits(result.amountMinor, card.currency);
      const { maxCost } = state.limits;
      state.limits = { ...state.limits, maxCost: maxCost === undefined || new Big(held).lt(maxCost) ? held : maxCost };
      return null;
    } catch (err) {
      const cause = err instanceof ActivityFailure && err.cause ? err.cause.message : (err as Error).message;
      return { reason: `the payment provider did not place the hold: ${cause}`, refusal: 'payment_unavailable' };
    }
  };

  /** The saga's last step: capture exactly the bill (never more than held), or release the hold when there is nothing to bill. */
  async function settlePayment(held: PaymentHold, billMinor: number): Promise<void> {
    const step = { sessionId: state.sessionId, reference: held.reference };
    try {
      if (billMinor === 0) {
        payment = await payments.releasePaymentHold(step);
      } else {
        // A bill above the hold (flagged bill_above_hold on the receipt) is captured up to the hold.
        payment = await payments.capturePayment({ ...step, amountMinor: Math.min(billMinor, held.amountMinor) });
      }
    } catch (err) {
      // Refused for good (the hold expired after about 7 days, or was cancelled): the operator follows up.
      if (failureTypeOf(err) === null) throw err;
      flag(paymentFailedFlag);
      payment = await payments.recordPaymentFailure({ sessionId: state.sessionId, reason: err instanceof ActivityFailure && err.cause ? err.cause.message : String(err) });
    }
    hold = null;
  }

  // ── Start ────────────────────────────────────────────────────────────────
  if (!carried) {
    tariff = await bookkeeping.loadTariff(state.stationId, new Date().toISOString());
    if (!tariff) return fail('no tariff is configured for this station');
    state.currency = tariff.currency;
    state.ratePerKwh = tariff.energyPricePerKwh;
    state.costSoFar = priceSession(tariff, startUsage(tariff, 0, new Date().toISOString()), new Date().toISOString()).total;

    if (input.origin === 'app') {
      if (input.payment) {
        const refused = await placeHold(input.payment);
        // Nothing was sent to the charger.
        if (refused) return fail(refused.reason, refused.refusal);
      }
      const remoteStart = { stationId: state.stationId, connectorId: state.connectorId, idTag: state.idTag };
      if (state.limits.maxPowerKw !== undefined) limitPlan = await planDriverLimit(state, state.limits.maxPowerKw);
      let answer = await sendChargerCommand('remoteStartTransaction', limitPlan?.inRemoteStart ? { ...remoteStart, chargingProfile: limitPlan.inRemoteStart } : remoteStart, policy);
      if (limitPlan?.inRemoteStart && ((answer.ok && answer.result.status !== 'Accepted') || (!answer.ok && stationAnswered(answer.code)))) {
        // Refused with the profile: start without it, the limit follows by SetChargingProfile.
        driverLimitNotInRemoteStart(state);
        answer = await sendChargerCommand('remoteStartTransaction', remoteStart, policy);
      }
      if (!answer.ok) return fail(`RemoteStartTransaction failed: ${answer.detail}`);
      if (answer.result.status !== 'Accepted') return fail('the charger rejected RemoteStartTransaction');
      startOutcome = { accepted: true, status: 'awaiting_plug_in' };
      await setStatus('awaiting_plug_in');
      const plugged = await condition(() => started !== null || stopRequest !== null, input.timings.plugInTimeoutMs);
      if (started === null) {
        stopSent = true;
        return fail(plugged ? 'cancelled before the vehicle was plugged in' : 'not plugged in');
      }
    }
    if (!started) return fail('no transaction to follow');
    const begin: TransactionStartedEvent = started;
    state.transactionId = begin.transactionId;
    state.meterStartWh = begin.meterStartWh;
    state.startTime = begin.timestamp;
    state.lastEnergyWh = String(begin.meterStartWh);
    state.idTag = begin.idTag;
    state.driverId ??= begin.driverId;
    usage = startUsage(tariff, begin.meterStartWh, begin.timestamp);
    await useReservation(begin);
    // What arrived before the transaction was known, in arrival order, before anything newer.
    for (const event of earlyStatuses.splice(0)) usage = recordConnectorStatus(tariff, usage, { at: event.at, status: event.status });
    for (const reading of earlyReadings.splice(0)) applyReading(reading);
    reprice();
    startOutcome = { accepted: true, status: 'charging' };
    await setStatus('charging');
    if (input.origin === 'charger' && (input.payment || input.paymentRefusal)) {
      // Started at the charger (RFID): the hold comes now; without it the charge stops at once.
      const refused = input.payment ? await placeHold(input.payment) : null;
      if (refused) flag(refused.refusal === 'payment_unavailable' ? 'payment_unavailable' : 'payment_declined');
      else if (input.paymentRefusal) flag('payment_method_missing');
      const reason = refused?.reason ?? input.paymentRefusal;
      if (reason) stopRequest = { requestedBy: 'payment', reason };
    }
    enforceLimits(); // the early readings may already have reached a limit
    siteId = await notifySiteCharging({
      sessionId: state.sessionId,
      stationId: state.stationId,
      connectorId: state.connectorId,
      transactionId: begin.transactionId,
      maxPowerKw: state.limits.maxPowerKw ?? null,
    });
  }

  // ── Charging ─────────────────────────────────────────────────────────────
  const socTask = state.socReporting.status === 'unknown' ? ensureSocReporting(state, policy) : Promise.resolve();
  const limitTask = limitPlan ? applyDriverLimit(state, limitPlan, policy, flag) : Promise.resolve();
  const durationLimitMs = state.limits.maxDurationMinutes !== undefined ? state.limits.maxDurationMinutes * 60_000 : undefined;
  while (stopRequest === null && stopped === null) {
    const remaining = durationLimitMs === undefined ? undefined : Math.max(0, Date.parse(state.startTime!) + durationLimitMs - Date.now());
    const wakeUp = (): boolean => stopRequest !== null || stopped !== null || historyIsLong();
    // No timer at all without a duration limit: a far-off timer is still a timer a skipping clock can reach.
    const woke = remaining === undefined ? (await condition(wakeUp), true) : await condition(wakeUp, remaining);
    if (!woke) stopRequest = { requestedBy: 'limit', reason: `duration limit of ${state.limits.maxDurationMinutes} minutes reached` };
    else if (stopRequest === null && stopped === null && historyIsLong()) {
      await socTask;
      await limitTask;
      await condition(allHandlersFinished);
      const next: CarriedSession = { state, tariff: tariff!, usage: usage!, stopRequest, lastConnectionEpoch, latestSocAt, latestPowerAt, reservationCharges, siteId, hold, payment };
      return continueAsNew<typeof chargingSession>({ ...input, started: undefined, carried: next });
    }
  }

  // ── Stopping ─────────────────────────────────────────────────────────────
  if (stopped === null) {
    const request: StopRequest = stopRequest!;
    state.stopReason = request.reason ?? `stopped by ${request.requestedBy}`;
    await setStatus('stopping');
    const outcome = await stopTransaction();
    if (outcome !== 'stopped') {
      flag('interrupted');
      state.failureReason = outcome;
      return finish('interrupted', new Date().toISOString());
    }
  }
  await socTask;
  await limitTask;

  // ── Billing ──────────────────────────────────────────────────────────────
  const stop: TransactionStoppedEvent = stopped!;
  state.stopReason ??= stop.reason;
  // The bill never goes below the last trusted register reading, and never negative.
  if (stop.meterStopWh < (state.meterStartWh ?? 0)) flag('meter_went_backwards');
  else if (usage && new Big(stop.meterStopWh).lt(usage.meterLatestWh)) flag('stop_reading_below_last_sample');
  else applyReading({ timestamp: stop.timestamp, energyWh: String(stop.meterStopWh) });
  return finish('completed', stop.timestamp);

  /**
   * A transaction on a reservation (StartTransaction's reservationId, or the reserving driver's start
   * through the API) claims it in PostgreSQL, which decides against a cancel or the expiry, so its fee
   * is charged once: here, as receipt lines. Then the reservation's workflow is told it was used.
   */
  async function useReservation(begin: TransactionStartedEvent): Promise<void> {
    const reservationId = begin.reservationId ?? input.reservationId;
    if (reservationId === undefined) return;
    const claim = await bookkeeping.claimReservationForSession({ reservationId, sessionId: state.sessionId, stationId: state.stationId, at: begin.timestamp });
    if (!claim) {
      flag('reservation_not_held');
      return;
    }
    reservationCharges = reservationFeeLines(claim.fee, reservationId, claim.acceptedAt, begin.timestamp);
    try {
      await getExternalWorkflowHandle(reservationWorkflowId(reservationId)).signal(reservationUsedSignal, {
        sessionId: state.sessionId,
        transactionId: begin.transactionId,
        at: begin.timestamp,
      });
    } catch {
      // The reservation's workflow has ended (its expiry found this transaction in PostgreSQL): nothing to tell.
    }
  }

  /**
   * RemoteStop with retries, then waits for the charger's StopTransaction; the reason it gave up otherwise.
   * An offline or unreachable charger gets offlineGraceMs in all, counted from when it was first found
   * unreachable, to come back and deliver its queued StopTransaction.
   */
  async function stopTransaction(): Promise<'stopped' | string> {
    let answered = false;
    let unreachableSince: number | null = null;
    for (;;) {
      if (stopped) return 'stopped';
      if (!answered && state.chargerOnline) {
        const answer = await sendChargerCommand('remoteStopTransaction', { stationId: state.stationId, transactionId: state.transactionId! }, policy);
        stopSent = true;
        if (answer.ok) {
          answered = true;
          if (answer.result.status !== 'Accepted') flag('remote_stop_rejected');
          continue;
        }
        if (stationAnswered(answer.code)) {
          answered = true;
          flag('remote_stop_call_error');
          continue;
        }
        // Unreachable though reported online: wait as for an offline charger, asking again now and then.
      }
      stopSent = true;
      if (stopped) return 'stopped';
      if (answered && state.chargerOnline) {
        // The charger said yes (or no): its StopTransaction should follow.
        if (!(await condition(() => stopped !== null || !state.chargerOnline, input.timings.stopConfirmTimeoutMs))) {
          return 'the charger never sent StopTransaction';
        }
        continue;
      }
      unreachableSince ??= Date.now();
      const remaining = unreachableSince + input.timings.offlineGraceMs - Date.now();
      if (remaining <= 0) return 'the charger stayed unreachable past the offline grace period';
      const wasOnline = state.chargerOnline;
      await condition(() => stopped !== null || state.chargerOnline !== wasOnline, wasOnline ? Math.min(remaining, remoteStopRetryPauseMs) : remaining);
    }
  }
}

/** GetConfiguration, then ChangeConfiguration adding SoC where missing; the session charges on whatever the answer. */
async function ensureSocReporting(state: SessionState, policy: { commandTimeoutMs: number; commandMaxAttempts: number }): Promise<void> {
  const read = await sendChargerCommand('getConfiguration', { stationId: state.stationId, key: [sampledDataKey, sampledDataMaxLengthKey] }, policy);
  if (!read.ok) {
    state.socReporting = { status: 'error', detail: `GetConfiguration: ${read.detail}` };
    return;
  }
  const plan = planSocReporting(read.result);
  if (plan.action === 'none') {
    state.socReporting = { status: 'already_enabled', detail: `${sampledDataKey} = ${plan.measurands.join(',')}` };
    return;
  }
  if (plan.action === 'impossible') {
    state.socReporting = { status: plan.reason === 'not_supported' ? 'not_supported' : 'rejected', detail: plan.detail };
    return;
  }
  const change = await sendChargerCommand('changeConfiguration', { stationId: state.stationId, key: sampledDataKey, value: plan.value }, policy);
  if (!change.ok) {
    state.socReporting = { status: 'error', detail: `ChangeConfiguration: ${change.detail}` };
    return;
  }
  const byAnswer = { Accepted: 'enabled', Rejected: 'rejected', RebootRequired: 'reboot_required', NotSupported: 'not_supported' } as const;
  state.socReporting = { status: byAnswer[change.result.status], detail: `ChangeConfiguration ${sampledDataKey} = ${plan.value}: ${change.result.status}` };
}

function initialState(input: SessionInput): SessionState {
  return {
    sessionId: input.sessionId,
    status: 'starting',
    stationId: input.stationId,
    connectorId: input.connectorId,
    driverId: input.driverId,
    idTag: input.idTag,
    origin: input.origin,
    transactionId: null,
    meterStartWh: null,
    lastEnergyWh: null,
    energyKwh: '0',
    costSoFar: '0',
    currency: '',
    ratePerKwh: '0',
    socPercent: null,
    powerW: null,
    startTime: null,
    lastReadingAt: null,
    endTime: null,
    chargerOnline: true,
    socReporting: { status: 'unknown' },
    limits: input.limits ?? {},
    powerLimit: null,
    stopReason: null,
    failureReason: null,
    flags: [],
  };
}

function buildReceipt(
  state: SessionState,
  status: 'completed' | 'failed' | 'interrupted',
  tariff: TariffSnapshot | null,
  usage: SessionUsage | null,
  stopped: TransactionStoppedEvent | null,
  endTime: string,
  extras: ExtraCharge[],
): Receipt {
  const priced = tariff && usage ? priceSession(tariff, usage, endTime, extras) : null;
  const zero = tariff ? roundToMinorUnit('0', tariff.currency) : '0';
  const energy = priced?.energyKwh ?? '0';
  const total = status === 'failed' ? zero : (priced?.total ?? '0');
  const rate = tariff?.energyPricePerKwh ?? '0';
  return {
    session_id: state.sessionId,
    transaction_id: state.transactionId,
    station_id: state.stationId,
    connector_id: state.connectorId,
    driver_id: state.driverId,
    status,
    stop_reason: state.stopReason,
    currency: state.currency || tariff?.currency || 'EUR',
    meter_start: state.meterStartWh,
    meter_stop: stopped ? stopped.meterStopWh : null,
    energy_kwh: Number(energy),
    rate_per_kwh: Number(rate),
    total_cost: Number(total),
    energy_kwh_exact: energy,
    rate_per_kwh_exact: new Big(rate).toString(),
    total_cost_exact: total,
    soc: state.socPercent,
    start_time: state.startTime,
    end_time: endTime,
    flags: [...state.flags],
    tariff_id: tariff?.tariffId ?? null,
    tariff_version: tariff?.version ?? null,
    line_items:
      status === 'failed' || !priced
        ? []
        : priced.lines.map((l) => ({ component: l.component, description: l.description, quantity: l.quantity, unit: l.unit, unit_price: l.unitPrice, amount: l.amount })),
    subtotal_exact: status === 'failed' ? zero : (priced?.subtotal ?? '0'),
    tax_exact: status === 'failed' ? zero : (priced?.tax ?? '0'),
    failure_reason: state.failureReason,
  };
}
