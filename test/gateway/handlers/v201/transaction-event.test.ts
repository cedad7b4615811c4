import { transactionEvent } from '../../../../src/gateway/handlers/v201/transaction-event';
import type { TransactionEventRequest } from '../../../../src/ocpp/ocpp201-messages';
import { handlerWorld } from '../../support/handler-context';

const t0 = '2026-11-24T10:00:00.000Z';
const t1 = '2026-11-24T10:30:00.000Z';
const begin = (wh: number, context: 'Transaction.Begin' | 'Transaction.End', timestamp: string) => ({ timestamp, sampledValue: [{ value: wh, context }] as [{ value: number; context: typeof context }] });

const started = (transactionId: string, evseId = 1): TransactionEventRequest => ({
  eventType: 'Started',
  timestamp: t0,
  triggerReason: 'Authorized',
  seqNo: 0,
  transactionInfo: { transactionId },
  evse: { id: evseId, connectorId: 1 },
  idToken: { idToken: 'TAG', type: 'ISO14443' },
  meterValue: [begin(154200, 'Transaction.Begin', t0)],
});
const ended = (transactionId: string, seqNo: number): TransactionEventRequest => ({
  eventType: 'Ended',
  timestamp: t1,
  triggerReason: 'EVCommunicationLost',
  seqNo,
  transactionInfo: { transactionId, stoppedReason: 'EVDisconnected' },
  meterValue: [begin(156700, 'Transaction.End', t1)],
});

describe('TransactionEvent (OCPP 2.0.1)', () => {
  it('ties a Started to the app session waiting on the EVSE, as 1.6 StartTransaction does', async () => {
    const { ctx, storage, events } = handlerWorld();
    storage.addIdTag('TAG').addAppSession({ sessionId: 'sess-app', stationId: 'CP_UNIT', connectorId: 2, idTag: 'TAG', driverId: 'drv-1' });
    const answer = await transactionEvent(ctx, started('tx-1', 2));
    expect(answer).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expect(events.of('transactionStarted')).toEqual([
      { sessionId: 'sess-app', stationInitiated: false, stationId: 'CP_UNIT', connectorId: 2, transactionId: 1, idTag: 'TAG', driverId: 'drv-1', meterStartWh: 154200, timestamp: t0, idTagStatus: 'Accepted' },
    ]);
    expect(storage.transactions201Rows.get('CP_UNIT tx-1')).toMatchObject({ transactionId: 1, startedForwarded: true, followed: true });
  });

  it('stores a second transaction on a busy EVSE under a failed session and tells no session anything about it', async () => {
    const { ctx, storage, events, delivered } = handlerWorld();
    storage.addIdTag('TAG').addIdTag('OTHER');
    await transactionEvent(ctx, started('tx-first'));
    await transactionEvent(ctx, { ...started('tx-second'), idToken: { idToken: 'OTHER', type: 'ISO14443' } });
    await transactionEvent(ctx, ended('tx-second', 1));
    await delivered();
    expect(storage.transactionRows).toHaveLength(2);
    expect(storage.transactions201Rows.get('CP_UNIT tx-second')).toMatchObject({ transactionId: 2, followed: false, startedForwarded: false, stoppedForwarded: false });
    expect(events.events.filter((e) => e.event.transactionId === 2)).toEqual([]);
    // Its samples are kept under it all the same.
    expect(storage.samples.filter((s) => s.transactionId === 2).map((s) => s.value)).toEqual(['154200', '156700']);
  });

  it("never maps a station transaction onto another's: a second one the ledger takes for a replay of the first (same EVSE, id tag, register, time) is not billed and stops nothing", async () => {
    const { ctx, storage, events } = handlerWorld();
    storage.addIdTag('TAG');
    await transactionEvent(ctx, started('tx-first'));
    expect(await transactionEvent(ctx, started('tx-twin'))).toEqual({ idTokenInfo: { status: 'Accepted' } });
    await transactionEvent(ctx, ended('tx-twin', 1));
    expect(storage.transactionRows).toHaveLength(1);
    expect(storage.transactionRows[0].stop).toBeUndefined();
    expect(storage.transactions201Rows.get('CP_UNIT tx-twin')).toMatchObject({ transactionId: null, started: null });
    expect(events.of('transactionStopped')).toEqual([]);
  });

  it('finishes a start an attempt left half recorded (our id mapped, the start not): the retry finds the same ledger transaction and tells the session', async () => {
    const { ctx, storage, events } = handlerWorld();
    storage.addIdTag('TAG');
    const update = storage.transactions201.update;
    let calls = 0;
    storage.transactions201.update = async (...args) => {
      if (++calls === 2) throw new Error('the process stopped here');
      return update(...args);
    };
    await expect(transactionEvent(ctx, started('tx-half'))).rejects.toThrow('the process stopped here');
    expect(storage.transactions201Rows.get('CP_UNIT tx-half')).toMatchObject({ transactionId: 1, started: null });
    await transactionEvent(ctx, started('tx-half'));
    expect(storage.transactionRows).toHaveLength(1);
    expect(events.of('transactionStarted')).toEqual([expect.objectContaining({ transactionId: 1, meterStartWh: 154200 })]);
  });

  it("passes the Started's reservationId to the ledger and the session, as StartTransaction's", async () => {
    const { ctx, storage, events } = handlerWorld();
    storage.addIdTag('TAG');
    await transactionEvent(ctx, { ...started('tx-reserved'), reservationId: 42 });
    expect(storage.transactionRows[0]).toMatchObject({ reservationId: 42 });
    expect(events.of('transactionStarted')).toEqual([expect.objectContaining({ reservationId: 42 })]);
  });

  it('answers an id token of type NoAuthorization (free vend) without idTokenInfo, and starts with the empty id tag', async () => {
    const { ctx, storage, events } = handlerWorld();
    const answer = await transactionEvent(ctx, { ...started('tx-free'), idToken: { idToken: '', type: 'NoAuthorization' } });
    expect(answer).toEqual({});
    expect(events.of('transactionStarted')).toEqual([expect.objectContaining({ idTag: '', stationInitiated: true })]);
    expect(storage.transactionRows[0]).toMatchObject({ idTag: '', meterStart: 154200 });
  });

  it('refuses a multiplier beyond any unit of measure as the station\'s data error, storing nothing', async () => {
    const { ctx, storage } = handlerWorld();
    storage.addIdTag('TAG');
    const request = { ...started('tx-huge'), meterValue: [{ timestamp: t0, sampledValue: [{ value: 1, unitOfMeasure: { multiplier: 400 } }] }] } as TransactionEventRequest;
    await expect(transactionEvent(ctx, request)).rejects.toThrow(/multiplier/);
    expect(storage.transactions201Rows.size).toBe(0);
  });
});
