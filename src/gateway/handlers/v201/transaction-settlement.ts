/**
 * Brings the ledger and the session up to date with what a 2.0.1 transaction's events have said
 * (src/gateway/rules/transaction-events-201.ts), in the order 1.6 has them: the ledger's start
 * (the same TransactionLedger.start as StartTransaction, so the same session rules: the app
 * session waiting on the EVSE, else a station-started one) and the session told; then the held
 * samples stored, their readings through the session outbox (as MeterValues) and a change of
 * charging state as a connector status (as StatusNotification); then the ledger's
 * stop and, after the outbox, the session told (as StopTransaction). Samples that arrive after the
 * stop are stored only.
 *
 * Every step is recorded when done, and a step done twice is harmless (the ledger's start is found
 * again by its replay key, its first stop wins, a sample is stored once, the workflow folds a
 * repeated reading), so a retried event — the station's answer to an error here — finishes what
 * an earlier attempt left undone.
 */
import type { Logger } from '../../../logger';
import type { TransactionStartedEvent, TransactionStoppedEvent } from '../../../../workflows/session-messages';
import type { IdTagInfo } from '../../rules/id-tag-authorization';
import { ledgerStart, ledgerStop } from '../../rules/transaction-events-201';
import type { Transaction201 } from '../../storage/ports';
import type { HandlerContext } from '../handler';

export interface Settled {
  /** The ledger's start happened in this call: its id tag and the answer about it (ConcurrentTx included). */
  startedNow?: { idTag: string; idTagInfo: IdTagInfo };
}

export async function settleTransaction(ctx: HandlerContext, transaction: Transaction201, log: Logger): Promise<Settled> {
  const store = ctx.storage.transactions201;
  const { stationId } = ctx;
  const id = transaction.chargerTransactionId;
  let tx = transaction;
  const settled: Settled = {};

  // Also with our id mapped but the start not recorded (an attempt that stopped in between): the
  // ledger finds its start again by the replay key.
  if (tx.started === null) {
    const remoteStart = tx.state.remoteStartId === undefined ? null : await store.remoteStart(stationId, tx.state.remoteStartId);
    if (tx.state.remoteStartId !== undefined && !remoteStart) log.warn({ remoteStartId: tx.state.remoteStartId }, 'TransactionEvent with a remoteStartId this station was never sent');
    const decision = ledgerStart(tx.state, remoteStart);
    if ('wait' in decision) log.debug({ reason: decision.wait }, 'transaction not in the ledger yet');
    if ('never' in decision) log.warn({ reason: decision.never }, 'transaction ended with nothing to bill: not in the ledger');
    if (!('start' in decision)) return settled;
    const s = decision.start;
    const started = await ctx.storage.transactions.start({ stationId, connectorId: s.connectorId, idTag: s.idTag, meterStart: s.meterStartWh, timestamp: s.timestamp, ...(s.reservationId === undefined ? {} : { reservationId: s.reservationId }) });
    if (started.conflict) log.warn({ connectorId: s.connectorId, transactionId: started.transactionId }, 'transaction on an EVSE that already has one: stored, not forwarded');
    const event: TransactionStartedEvent = {
      sessionId: started.sessionId,
      stationInitiated: started.stationInitiated,
      stationId,
      connectorId: s.connectorId,
      transactionId: started.transactionId,
      idTag: s.idTag,
      driverId: started.driverId,
      meterStartWh: s.meterStartWh,
      timestamp: s.timestamp,
      ...(s.reservationId === undefined ? {} : { reservationId: s.reservationId }),
      idTagStatus: started.idTagInfo.status,
    };
    tx = await store.update(stationId, id, { transactionId: started.transactionId });
    if (tx.transactionId !== started.transactionId) {
      // The ledger took it for a replay of another station transaction (same EVSE, id tag, register and time): a broken station.
      log.error({ transactionId: started.transactionId }, 'TransactionEvent whose start is another transaction\'s: not billed');
      return settled;
    }
    tx = await store.update(stationId, id, { started: event, followed: !started.conflict });
    settled.startedNow = { idTag: s.idTag, idTagInfo: started.idTagInfo };
  }
  const begin = tx.started;
  if (tx.transactionId === null || !begin) return settled;
  const transactionId = tx.transactionId;

  // The session first learns of its transaction, so that no reading reaches a workflow not yet there.
  if (tx.followed && !tx.startedForwarded) {
    await ctx.sessionEvents.transactionStarted(begin);
    tx = await store.update(stationId, id, { startedForwarded: true });
  }

  const held = await store.pending(stationId, id);
  for (const frame of held) {
    if (tx.stopped) {
      if (frame.samples.length > 0) await ctx.storage.transactions.recordLateSamples(stationId, begin.connectorId, transactionId, frame.samples);
      continue;
    }
    if (frame.samples.length > 0) {
      const recorded = await ctx.storage.transactions.recordMeterValues(stationId, begin.connectorId, transactionId, frame.samples, frame.readings);
      if (recorded?.followed) ctx.sessionOutbox.wake(recorded.sessionId, recorded.outboxEntry ?? undefined);
    }
    if (frame.connectorStatus && tx.followed) {
      // Where billing reads the end of charging from, as 1.6's StatusNotification SuspendedEV.
      await ctx.sessionEvents.connectorStatus({ sessionId: begin.sessionId, stationId, connectorId: begin.connectorId, status: frame.connectorStatus.status, errorCode: 'NoError', at: frame.connectorStatus.at });
    }
  }
  await store.applied(stationId, id, held.map((frame) => frame.seqNo));

  if (!tx.stopped) {
    const stop = ledgerStop(tx.state, begin.meterStartWh);
    if (stop) {
      await ctx.storage.transactions.stop({ stationId, transactionId, meterStop: stop.meterStopWh, timestamp: stop.timestamp, reason: stop.reason, ...(stop.idTag ? { idTag: stop.idTag } : {}) });
      const event: TransactionStoppedEvent = {
        sessionId: begin.sessionId,
        stationId,
        transactionId,
        meterStopWh: stop.meterStopWh,
        timestamp: stop.timestamp,
        reason: stop.reason,
        ...(stop.idTag ? { idTag: stop.idTag } : {}),
      };
      tx = await store.update(stationId, id, { stopped: event });
    }
  }
  if (tx.stopped && tx.followed && !tx.stoppedForwarded) {
    // After the readings still in the outbox, so they arrive first.
    await ctx.sessionOutbox.flush(begin.sessionId);
    await ctx.sessionEvents.transactionStopped(tx.stopped);
    await store.update(stationId, id, { stoppedForwarded: true });
  }
  return settled;
}
