import type { StartTransactionRequest, StartTransactionResponse } from '../../../ocpp/ocpp16-messages';
import type { Handler } from '../handler';

/** Issues (or, for a replay, finds) the transaction and its session (src/gateway/rules/transaction-session.ts), then tells the session. */
export const startTransaction: Handler<StartTransactionRequest, StartTransactionResponse> = async (ctx, request) => {
  const started = await ctx.storage.transactions.start({ stationId: ctx.stationId, ...request });
  const log = ctx.logger.child({ transactionId: started.transactionId, sessionId: started.sessionId });
  if (started.conflict) {
    // Stored (the station did start it) but tied to a failed, inactive session: no session workflow owns it.
    log.warn({ connectorId: request.connectorId }, 'StartTransaction on a connector that already has a transaction: not forwarded');
  } else {
    if (started.replay) log.info('replayed StartTransaction: same transaction id, forwarded again');
    await ctx.sessionEvents.transactionStarted({
      sessionId: started.sessionId,
      stationInitiated: started.stationInitiated,
      stationId: ctx.stationId,
      connectorId: request.connectorId,
      transactionId: started.transactionId,
      idTag: request.idTag,
      driverId: started.driverId,
      meterStartWh: request.meterStart,
      timestamp: request.timestamp,
      ...(request.reservationId === undefined ? {} : { reservationId: request.reservationId }),
      idTagStatus: started.idTagInfo.status,
    });
  }
  return { transactionId: started.transactionId, idTagInfo: started.idTagInfo };
};
