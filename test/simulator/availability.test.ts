/** ChangeAvailability (OCPP 1.6 §5.2) and what an Inoperative connector refuses. */
import { sleep, useSimulatorHarness } from './support/harness';

const h = useSimulatorHarness('AVAIL');
const availability = (id: string, connectorId: number, type: 'Operative' | 'Inoperative') => h.csms.command(id, 'ChangeAvailability', { connectorId, type });

test('an Inoperative connector reports Unavailable, refuses remote and local starts, and is Available again when Operative', async () => {
  const cp = await h.connected({ connectors: 2 });
  const from = h.csms.received(cp.chargePointId).length;
  await expect(availability(cp.chargePointId, 1, 'Inoperative')).resolves.toEqual({ status: 'Accepted' });
  await h.next(cp.chargePointId, (c) => c.action === 'StatusNotification', 2000, true);
  await sleep(50);
  expect(h.labels(cp.chargePointId, from)).toEqual(['Status:1:Unavailable']);

  await expect(h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { connectorId: 1, idTag: 'T' })).resolves.toEqual({ status: 'Rejected' });
  await expect(cp.startTransaction(1, 'LOCAL')).rejects.toThrow(/Unavailable/);
  // Without a connectorId a remote start picks the operative connector.
  const started = cp.waitFor('transactionStarted');
  await expect(h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { idTag: 'T' })).resolves.toEqual({ status: 'Accepted' });
  await expect(started).resolves.toMatchObject({ connectorId: 2 });

  await expect(availability(cp.chargePointId, 1, 'Operative')).resolves.toEqual({ status: 'Accepted' });
  await h.next(cp.chargePointId, (c) => c.action === 'StatusNotification' && c.params.connectorId === 1 && c.params.status === 'Available');
  await expect(cp.startTransaction(1, 'LOCAL')).resolves.toMatchObject({ transactionId: expect.any(Number) });
});

test('connector 0 changes the charge point and every connector, each reported', async () => {
  const cp = await h.connected({ connectors: 2 });
  const from = h.csms.received(cp.chargePointId).length;
  await expect(availability(cp.chargePointId, 0, 'Inoperative')).resolves.toEqual({ status: 'Accepted' });
  await h.next(cp.chargePointId, (c) => c.action === 'StatusNotification' && c.params.connectorId === 2);
  expect(h.labels(cp.chargePointId, from)).toEqual(['Status:0:Unavailable', 'Status:1:Unavailable', 'Status:2:Unavailable']);
  expect(cp.operative(0)).toBe(false);
  await expect(h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { idTag: 'T' })).resolves.toEqual({ status: 'Rejected' });
});

test('a connector with a running transaction answers Scheduled and becomes Unavailable when the transaction ends', async () => {
  // §5.2: "When a transaction is in progress Charge Point SHALL respond with availability status 'Scheduled'".
  const cp = await h.connected();
  await cp.startTransaction(1, 'TAG');
  const from = h.csms.received(cp.chargePointId).length;
  await expect(availability(cp.chargePointId, 1, 'Inoperative')).resolves.toEqual({ status: 'Scheduled' });
  await sleep(100);
  expect(h.labels(cp.chargePointId, from)).toEqual([]);
  expect(cp.transactionId(1)).toBeDefined();
  await cp.stopTransaction(1);
  expect(h.labels(cp.chargePointId, from)).toEqual(['StopTransaction', 'Status:1:Finishing', 'Status:1:Unavailable']);
});

test('connector 0 with a transaction on one connector: the idle one changes now, the busy one and the charge point when it ends', async () => {
  const cp = await h.connected({ connectors: 2 });
  await cp.startTransaction(1, 'TAG');
  const from = h.csms.received(cp.chargePointId).length;
  await expect(availability(cp.chargePointId, 0, 'Inoperative')).resolves.toEqual({ status: 'Scheduled' });
  await sleep(150);
  expect(h.labels(cp.chargePointId, from)).toEqual(['Status:2:Unavailable']);
  await cp.stopTransaction(1);
  expect(h.labels(cp.chargePointId, from)).toEqual(['Status:2:Unavailable', 'StopTransaction', 'Status:1:Finishing', 'Status:1:Unavailable', 'Status:0:Unavailable']);
});

test('asking for the state a connector is already in is Accepted and reports nothing', async () => {
  const cp = await h.connected();
  const from = h.csms.received(cp.chargePointId).length;
  await expect(availability(cp.chargePointId, 1, 'Operative')).resolves.toEqual({ status: 'Accepted' });
  await sleep(100);
  expect(h.labels(cp.chargePointId, from)).toEqual([]);
});

test('a rejecting charger and an unknown connector answer Rejected and change nothing', async () => {
  const cp = await h.connected();
  cp.behaviour.ChangeAvailability = 'reject';
  await expect(availability(cp.chargePointId, 1, 'Inoperative')).resolves.toEqual({ status: 'Rejected' });
  cp.behaviour.ChangeAvailability = 'accept';
  await expect(availability(cp.chargePointId, 7, 'Inoperative')).resolves.toEqual({ status: 'Rejected' });
  await sleep(50);
  expect(cp.operative(1)).toBe(true);
  expect(cp.status(1)).toBe('Available');
});

test('Unavailable persists across a reboot: the boot reports it again', async () => {
  // §4.9 "Persistent states: for example: Connector set to Unavailable shall persist a reboot."
  const cp = await h.connected({ connectors: 2 });
  await availability(cp.chargePointId, 2, 'Inoperative');
  const booted = cp.waitFor('booted');
  await h.csms.command(cp.chargePointId, 'Reset', { type: 'Hard' });
  await booted;
  const boot = h.csms.received(cp.chargePointId, ['BootNotification'])[1];
  await h.next(cp.chargePointId, (c) => c.action === 'StatusNotification' && c.params.connectorId === 2 && c.seq > boot.seq, 2000, true);
  const after = h.csms.received(cp.chargePointId).filter((c) => c.seq > boot.seq);
  expect(after.map((c) => `${c.params.connectorId}:${c.params.status}`)).toEqual(['1:Available', '2:Unavailable']);
});

test('a connector made Operative while the charge point is Inoperative stays Unavailable', async () => {
  const cp = await h.connected();
  await availability(cp.chargePointId, 0, 'Inoperative');
  await sleep(100);
  const from = h.csms.received(cp.chargePointId).length;
  await expect(availability(cp.chargePointId, 1, 'Operative')).resolves.toEqual({ status: 'Accepted' });
  await sleep(100);
  expect(h.labels(cp.chargePointId, from)).toEqual([]);
  await expect(h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { connectorId: 1, idTag: 'T' })).resolves.toEqual({ status: 'Rejected' });
  await availability(cp.chargePointId, 0, 'Operative');
  await sleep(100);
  expect(h.labels(cp.chargePointId, from)).toEqual(['Status:0:Available', 'Status:1:Available']);
});
