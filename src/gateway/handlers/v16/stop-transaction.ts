import type { StopTransactionRequest, StopTransactionResponse } from '../../../ocpp/ocpp16-messages';
import { authorization } from '../../rules/id-tag-authorization';
import type { Handler } from '../handler';
import { resolveMeterValues } from './meter-readings';

/**
 * Records the stop (the first one reported wins) and its transactionData, tells the session (after
 * the readings still in its outbox, so they arrive first), and answers for the id tag if one is given.
 */
export const stopTransaction: Handler<StopTransactionRequest, StopTransactionResponse> = async (ctx, request) => {
  const { transactionData, ...stop } = request;
  const tx = await ctx.storage.transactions.stop({
    stationId: ctx.stationId,
    ...stop,
    ...(transactionData ? { transactionData, samples: resolveMeterValues(transactionData) } : {}),
  });
  if (!tx) {
    ctx.logger.warn({ transactionId: request.transactionId }, 'StopTransaction for an unknown transaction: stored samples, answered');
  } else if (tx.followed) {
    await ctx.sessionOutbox.flush(tx.sessionId);
    await ctx.sessionEvents.transactionStopped({
      sessionId: tx.sessionId,
      stationId: ctx.stationId,
      transactionId: tx.transactionId,
      meterStopWh: request.meterStop,
      timestamp: request.timestamp,
      reason: request.reason ?? 'Local',
      ...(request.idTag ? { idTag: request.idTag } : {}),
    });
  }
  if (!request.idTag) return {};
  return { idTagInfo: authorization(await ctx.storage.idTags.find(request.idTag, ctx.stationId)).info };
};
