import { startTransaction } from '../../../../src/gateway/handlers/v16/start-transaction';
import { handlerWorld } from '../../support/handler-context';

const start = { connectorId: 1, idTag: 'TAG', meterStart: 154200, timestamp: '2026-11-24T10:00:00.000Z' };

describe('StartTransaction (OCPP 1.6)', () => {
  it('ties the transaction to the app session waiting on the connector and tells that session', async () => {
    const { ctx, storage, events } = handlerWorld();
    storage.addIdTag('TAG').addAppSession({ sessionId: 'sess-app', stationId: 'CP_UNIT', connectorId: 1, idTag: 'TAG', driverId: 'drv-1' });
    const answer = await startTransaction(ctx, start);
    expect(answer.idTagInfo.status).toBe('Accepted');
    expect(events.of('transactionStarted')).toEqual([
      { sessionId: 'sess-app', stationInitiated: false, stationId: 'CP_UNIT', connectorId: 1, transactionId: answer.transactionId, idTag: 'TAG', driverId: 'drv-1', meterStartWh: 154200, timestamp: start.timestamp, idTagStatus: 'Accepted' },
    ]);
  });

  it('stores and forwards a start with a tag revoked meanwhile (the station authorized it locally), telling the session the tag\'s status', async () => {
    const { ctx, storage, events } = handlerWorld();
    storage.addIdTag('TAG', { status: 'Blocked' });
    const answer = await startTransaction(ctx, start);
    expect(answer.idTagInfo.status).toBe('Blocked');
    expect(storage.transactionRows).toHaveLength(1);
    expect(events.of('transactionStarted')).toEqual([expect.objectContaining({ stationInitiated: true, idTagStatus: 'Blocked', transactionId: answer.transactionId })]);
  });

  it('creates a station-initiated session for an RFID start, and a replay gets the same transaction id and is forwarded again', async () => {
    const { ctx, storage, events } = handlerWorld();
    storage.addIdTag('TAG');
    const first = await startTransaction(ctx, start);
    const again = await startTransaction(ctx, start);
    expect(again.transactionId).toBe(first.transactionId);
    const forwarded = events.of('transactionStarted');
    expect(forwarded).toHaveLength(2);
    expect(forwarded.every((e) => e.stationInitiated && e.sessionId === forwarded[0].sessionId)).toBe(true);
    expect(storage.transactionRows).toHaveLength(1);
  });

  it('stores a second transaction on a busy connector under a failed session and forwards nothing', async () => {
    const { ctx, storage, events } = handlerWorld();
    storage.addIdTag('TAG').addIdTag('OTHER');
    await startTransaction(ctx, start);
    const second = await startTransaction(ctx, { ...start, idTag: 'OTHER', meterStart: 200000 });
    expect(storage.transactionRows).toHaveLength(2);
    const conflict = storage.sessionRows.find((s) => s.transactionId === second.transactionId)!;
    expect(conflict).toMatchObject({ active: false, status: 'failed' });
    expect(events.of('transactionStarted')).toHaveLength(1);
  });

  it('answers ConcurrentTx for a tag already charging elsewhere', async () => {
    const { ctx, storage } = handlerWorld();
    storage.addIdTag('TAG');
    await startTransaction(ctx, start);
    expect((await startTransaction(ctx, { ...start, connectorId: 2, meterStart: 1 })).idTagInfo.status).toBe('ConcurrentTx');
  });

  it('passes StartTransaction.reservationId on to the session, which ends the reservation and carries its fee', async () => {
    const { ctx, storage, events } = handlerWorld();
    storage.addIdTag('TAG');
    await startTransaction(ctx, { ...start, reservationId: 7 });
    await startTransaction(ctx, { ...start, connectorId: 2, idTag: 'TAG', meterStart: 1 });
    expect(events.of('transactionStarted').map((e) => e.reservationId)).toEqual([7, undefined]);
  });
});
