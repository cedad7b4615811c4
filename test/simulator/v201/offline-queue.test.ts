/** TransactionEvents while offline (E04): queued, flagged offline, delivered in order; and the scripted faults. */
import { sleep, useStationHarness } from './support/harness';

const h = useStationHarness('OQ201');
const { connected } = h;

describe('offline queue', () => {
  test('events generated while offline are delivered after reconnect in seqNo order with offline: true (TC_E_04_CS)', async () => {
    const s = await connected({ meterStartWh: 1000 });
    const { transactionId } = await s.startTransaction(1, 'TAG');
    s.dropConnection();
    await sleep(50);
    s.setMeterRegister(1, 1500);
    await s.sendMeterValues(1);
    s.setMeterRegister(1, 2000);
    await s.stopTransaction(1);
    expect(s.queuedEvents).toBe(2);
    await expect(s.heartbeat()).rejects.toThrow(/not connected/);
    await s.reconnect();
    await s.drained();
    const events = h.csms.events(s.stationId);
    expect(events.map((e) => [e.eventType, e.seqNo, e.offline, e.transactionInfo.transactionId])).toEqual([
      ['Started', 0, undefined, transactionId],
      ['Updated', 1, true, transactionId],
      ['Ended', 2, true, transactionId],
    ]);
    // The status that changed offline is reported after the reconnect.
    await h.next(s.stationId, (c) => c.action === 'StatusNotification' && c.params.connectorStatus === 'Available', 2000, true);
  });

  test('a transaction started and ended offline goes out whole after reconnect', async () => {
    const s = await connected();
    s.dropConnection();
    await sleep(50);
    await s.startTransaction(1, 'OFFLINE');
    await s.stopTransaction(1);
    await s.reconnect();
    await s.drained();
    expect(h.csms.events(s.stationId).map((e) => [e.eventType, e.seqNo, e.offline])).toEqual([
      ['Started', 0, true],
      ['Ended', 1, true],
    ]);
  });

  test('offline, a card in the local cache is authorized by LocalAuthorizeOffline', async () => {
    const s = await connected();
    await s.authorize({ idToken: 'CACHED', type: 'ISO14443' });
    s.dropConnection();
    await sleep(50);
    await expect(s.presentIdToken(1, 'CACHED')).resolves.toEqual({ started: true, status: 'Accepted' });
    await expect(s.presentIdToken(1, 'UNKNOWN')).resolves.toMatchObject({ started: false });
    await s.reconnect();
    await s.drained();
    expect(h.csms.events(s.stationId)[0]).toMatchObject({ eventType: 'Started', offline: true, idToken: { idToken: 'CACHED' } });
  });

  test('a CALLERROR is retried MessageAttempts times, then the event is given up and the next one goes', async () => {
    let failures = 0;
    h.csms.responders.set('TransactionEvent', (c) => {
      if (c.params.eventType === 'Updated') {
        failures++;
        throw new Error('boom');
      }
      return {};
    });
    const s = await connected({ variables: { 'OCPPCommCtrlr.MessageAttempts[TransactionEvent]': '2' } });
    await s.startTransaction(1, 'TAG');
    await expect(s.sendMeterValues(1)).rejects.toThrow();
    await s.stopTransaction(1);
    expect(failures).toBe(2);
    expect(h.csms.events(s.stationId).map((e) => e.eventType)).toEqual(['Started', 'Updated', 'Updated', 'Ended']);
  });
});

test('while the boot is Pending a transaction waits in the queue and goes out, not flagged offline, once Accepted', async () => {
  h.csms.bootStatus = 'Pending';
  h.csms.bootInterval = 1;
  const s = h.station({ secondMs: 100 });
  await s.connect();
  await s.startTransaction(1, 'TAG');
  await sleep(30);
  expect(h.csms.events(s.stationId)).toEqual([]);
  h.csms.bootStatus = 'Accepted';
  const started = await h.next(s.stationId, (c) => c.action === 'TransactionEvent', 3000);
  expect(started.params).toMatchObject({ eventType: 'Started', seqNo: 0 });
  expect(started.params.offline).toBeUndefined();
});

describe('scripted faults', () => {
  async function offlineSession(faults: object) {
    const s = await connected();
    const { transactionId } = await s.startTransaction(1, 'TAG');
    s.dropConnection();
    await sleep(50);
    await s.sendMeterValues(1);
    await s.sendMeterValues(1);
    await s.stopTransaction(1);
    s.faults = faults;
    await s.reconnect();
    await s.drained();
    return { s, transactionId, seqNos: h.csms.events(s.stationId).map((e) => e.seqNo) };
  }

  test('duplicateNext sends the next events twice', async () => {
    const { seqNos } = await offlineSession({ duplicateNext: 2 });
    expect(seqNos).toEqual([0, 1, 1, 2, 2, 3]);
  });

  test('reorderQueue delivers the offline backlog in reverse: the Updated events come after the Ended', async () => {
    const { seqNos, s } = await offlineSession({ reorderQueue: true });
    expect(seqNos).toEqual([0, 3, 2, 1]);
    expect(s.faults.reorderQueue).toBe(false);
  });

  test('dropStarted loses a Started that was queued offline, so the Ended arrives without it', async () => {
    const s = await connected();
    s.dropConnection();
    await sleep(50);
    const { transactionId } = await s.startTransaction(1, 'TAG');
    await s.stopTransaction(1);
    s.faults = { dropStarted: true };
    await s.reconnect();
    await s.drained();
    expect(h.csms.events(s.stationId).map((e) => [e.eventType, e.seqNo, e.transactionInfo.transactionId])).toEqual([['Ended', 1, transactionId]]);
  });
});
