import type { MeterValuesRequest, MeterValuesResponse } from '../../../ocpp/ocpp16-messages';
import type { Handler } from '../handler';
import { readingOf, resolveMeterValues } from './meter-readings';

/**
 * Stores every sample, then tells the session the readings of its transaction. Samples claiming a
 * transaction this station does not have (never issued, or another station's) are kept without
 * it: they must never count towards, or later be mistaken for, that transaction.
 */
export const meterValues: Handler<MeterValuesRequest, MeterValuesResponse> = async (ctx, request) => {
  const transactionId = request.transactionId ?? null;
  const samples = resolveMeterValues(request.meterValue);
  const tx = await ctx.storage.transactions.recordMeterValues(ctx.stationId, request.connectorId, transactionId, samples);
  if (transactionId === null) return {};
  if (!tx) {
    ctx.logger.warn({ transactionId }, 'MeterValues for an unknown transaction: stored without the transaction id, not forwarded');
  } else if (tx.followed) {
    await ctx.sessionEvents.meterValues({
      sessionId: tx.sessionId,
      stationId: ctx.stationId,
      connectorId: request.connectorId,
      transactionId,
      readings: samples.map(readingOf),
    });
  }
  return {};
};
