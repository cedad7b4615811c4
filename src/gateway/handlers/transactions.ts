/** Authorize, StartTransaction, MeterValues, StopTransaction: persisted first, then forwarded to the session layer. */
import type { MeterValue } from '../meter-readings';
import { readingsOf } from '../meter-readings';
import type { OcppHandler } from './context';

export const authorize: OcppHandler = async (ctx, params: { idTag: string }) => {
  const { info } = await ctx.store.idTagInfo(params.idTag);
  return { idTagInfo: info };
};

export const startTransaction: OcppHandler = async (ctx, params: { connectorId: number; idTag: string; meterStart: number; timestamp: string; reservationId?: number }) => {
  const started = await ctx.store.startTransaction({ stationId: ctx.stationId, ...params });
  const log = ctx.logger.child({ transactionId: started.transactionId, sessionId: started.sessionId });
  if (started.conflict) {
    // Stored (the charger did start it) but tied to a failed, inactive session: no session workflow owns it.
    log.warn({ connectorId: params.connectorId }, 'StartTransaction on a connector that already has a transaction: not forwarded');
  } else {
    if (started.replay) log.info('replayed StartTransaction: same transaction id, forwarded again');
    await ctx.sessionEvents.transactionStarted({
      sessionId: started.sessionId,
      stationInitiated: started.stationInitiated,
      stationId: ctx.stationId,
      connectorId: params.connectorId,
      transactionId: started.transactionId,
      idTag: params.idTag,
      driverId: started.driverId,
      meterStartWh: params.meterStart,
      timestamp: params.timestamp,
    });
  }
  return { transactionId: started.transactionId, idTagInfo: started.idTagInfo };
};

export const meterValues: OcppHandler = async (ctx, params: { connectorId: number; transactionId?: number; meterValue: MeterValue[] }) => {
  const transactionId = params.transactionId ?? null;
  // One round trip: the transaction lookup and the sample INSERT. Samples claiming a transaction this
  // charger does not have (never issued, or another charger's) are kept without it: they must never
  // count towards, or later be mistaken for, that transaction.
  const tx =
    transactionId === null
      ? await ctx.store.recordMeterValues(ctx.stationId, params.connectorId, null, params.meterValue).then(() => null)
      : await ctx.store.recordTransactionMeterValues(ctx.stationId, params.connectorId, transactionId, params.meterValue);
  const own = tx !== null && tx.stationId === ctx.stationId;
  if (transactionId !== null) {
    if (tx && own && !tx.failed) {
      await ctx.sessionEvents.meterValues({
        sessionId: tx.sessionId,
        stationId: ctx.stationId,
        connectorId: params.connectorId,
        transactionId,
        readings: readingsOf(params.meterValue),
      });
    } else if (!own) {
      ctx.logger.warn({ transactionId }, 'MeterValues for an unknown transaction: stored without the transaction id, not forwarded');
    }
  }
  return {};
};

export const stopTransaction: OcppHandler = async (
  ctx,
  params: { transactionId: number; meterStop: number; timestamp: string; reason?: string; idTag?: string; transactionData?: MeterValue[] },
) => {
  const tx = await ctx.store.stopTransaction({ stationId: ctx.stationId, ...params });
  if (!tx) {
    ctx.logger.warn({ transactionId: params.transactionId }, 'StopTransaction for an unknown transaction: stored samples, answered');
  } else {
    const stored = await ctx.store.transaction(tx.transactionId);
    if (stored && !stored.failed) {
      await ctx.sessionEvents.transactionStopped({
        sessionId: tx.sessionId,
        stationId: ctx.stationId,
        transactionId: tx.transactionId,
        meterStopWh: params.meterStop,
        timestamp: params.timestamp,
        reason: params.reason ?? 'Local',
        ...(params.idTag ? { idTag: params.idTag } : {}),
      });
    }
  }
  if (!params.idTag) return {};
  const { info } = await ctx.store.idTagInfo(params.idTag);
  return { idTagInfo: info };
};
