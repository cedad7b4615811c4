import { meterValues } from '../../../../src/gateway/handlers/v16/meter-values';
import { startTransaction } from '../../../../src/gateway/handlers/v16/start-transaction';
import { stopTransaction } from '../../../../src/gateway/handlers/v16/stop-transaction';
import { handlerWorld } from '../../support/handler-context';

const stop = { meterStop: 156700, timestamp: '2026-11-24T10:30:00.000Z' };

describe('StopTransaction (OCPP 1.6)', () => {
  it('records the stop and its transactionData, tells the session (reason Local when absent) and answers for the id tag', async () => {
    const { ctx, storage, events } = handlerWorld();
    storage.addIdTag('TAG');
    const { transactionId } = await startTransaction(ctx, { connectorId: 1, idTag: 'TAG', meterStart: 154200, timestamp: '2026-11-24T10:00:00.000Z' });
    const transactionData = [{ timestamp: '2026-11-24T10:30:00.000Z', sampledValue: [{ value: '156700', context: 'Transaction.End' as const }] }];
    const answer = await stopTransaction(ctx, { ...stop, transactionId, idTag: 'TAG', transactionData });
    expect(answer).toEqual({ idTagInfo: { status: 'Accepted' } });
    expect(storage.transactionRows[0].stop).toMatchObject({ meterStop: 156700, idTag: 'TAG', transactionData });
    expect(storage.samples).toEqual([expect.objectContaining({ transactionId, context: 'Transaction.End', unit: 'Wh' })]);
    expect(events.of('transactionStopped')).toEqual([
      { sessionId: storage.transactionRows[0].sessionId, stationId: 'CP_UNIT', transactionId, meterStopWh: 156700, timestamp: stop.timestamp, reason: 'Local', idTag: 'TAG' },
    ]);
  });

  it('answers a stop of an unknown transaction with an empty answer and tells no session', async () => {
    const { ctx, events } = handlerWorld();
    expect(await stopTransaction(ctx, { ...stop, transactionId: 4242, reason: 'EVDisconnected' })).toEqual({});
    expect(events.events).toEqual([]);
  });

  it('tells no session about the stop of a transaction tied to a failed session (a conflict)', async () => {
    const { ctx, storage, events } = handlerWorld();
    storage.addIdTag('A').addIdTag('B');
    await startTransaction(ctx, { connectorId: 1, idTag: 'A', meterStart: 0, timestamp: '2026-11-24T10:00:00.000Z' });
    const conflict = await startTransaction(ctx, { connectorId: 1, idTag: 'B', meterStart: 5, timestamp: '2026-11-24T10:01:00.000Z' });
    await stopTransaction(ctx, { ...stop, transactionId: conflict.transactionId });
    expect(events.of('transactionStopped')).toEqual([]);
  });

  it('delivers the readings still in the outbox before the stop, and fails (the station retries) while the session layer is unreachable', async () => {
    const { ctx, storage, events } = handlerWorld();
    storage.addIdTag('TAG');
    const { transactionId } = await startTransaction(ctx, { connectorId: 1, idTag: 'TAG', meterStart: 154200, timestamp: '2026-11-24T10:00:00.000Z' });
    events.failing.add('meterValues');
    await meterValues(ctx, { connectorId: 1, transactionId, meterValue: [{ timestamp: '2026-11-24T10:20:00.000Z', sampledValue: [{ value: '156000' }] }] });
    await expect(stopTransaction(ctx, { ...stop, transactionId })).rejects.toThrow(/unavailable/);
    expect(events.of('transactionStopped')).toEqual([]);

    events.failing.delete('meterValues');
    await stopTransaction(ctx, { ...stop, transactionId }); // the station's retry
    expect(events.events.map((e) => e.kind)).toEqual(['transactionStarted', 'meterValues', 'transactionStopped']);
    expect(storage.outboxEntries).toEqual([]);
  });
});
