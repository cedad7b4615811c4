import type { MeterValuesRequest, MeterValuesResponse } from '../../../ocpp/ocpp16-messages';
import type { Handler } from '../handler';
import { readingOf } from '../meter-readings';
import { resolveMeterValues } from './meter-readings';

/**
 * Stores every sample and, in the same commit, the readings its session is to be told (the
 * session outbox); answers as soon as that is committed, and the outbox forwarder signals the
 * workflow afterwards. Samples claiming a transaction this station does not have (never issued,
 * or another station's) are kept without it: they must never count towards, or later be
 * mistaken for, that transaction.
 */
export const meterValues: Handler<MeterValuesRequest, MeterValuesResponse> = async (ctx, request) => {
  const transactionId = request.transactionId ?? null;
  const samples = resolveMeterValues(request.meterValue);
  const tx = await ctx.storage.transactions.recordMeterValues(ctx.stationId, request.connectorId, transactionId, samples, samples.map(readingOf));
  if (transactionId === null) return {};
  if (!tx) ctx.logger.warn({ transactionId }, 'MeterValues for an unknown transaction: stored without the transaction id, not forwarded');
  else if (tx.followed) ctx.sessionOutbox.wake(tx.sessionId, tx.outboxEntry ?? undefined);
  return {};
};
