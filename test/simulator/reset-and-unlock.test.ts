/** Reset (OCPP 1.6 §5.14) and UnlockConnector (§5.18). */
import { sleep, useSimulatorHarness } from './support/harness';

const h = useSimulatorHarness('RST');

test.each([
  ['Soft', 'SoftReset'],
  ['Hard', 'HardReset'],
])('a %s reset ends the running transactions with reason %s, then the charger reconnects and boots', async (type, reason) => {
  const cp = await h.connected({ connectors: 2 });
  const { transactionId } = await cp.startTransaction(2, 'TAG');
  const booted = cp.waitFor('booted');
  await expect(h.csms.command(cp.chargePointId, 'Reset', { type })).resolves.toEqual({ status: 'Accepted' });
  await booted;
  const stop = h.csms.received(cp.chargePointId, ['StopTransaction'])[0];
  expect(stop.params).toMatchObject({ transactionId, reason });
  const boot = h.csms.received(cp.chargePointId, ['BootNotification'])[1];
  expect(stop.seq).toBeLessThan(boot.seq);
  expect(cp.transactionId(2)).toBeUndefined();
  expect(cp.connected).toBe(true);
});

test('a rejected reset changes nothing', async () => {
  const cp = await h.connected();
  await cp.startTransaction(1, 'TAG');
  cp.behaviour.Reset = 'reject';
  await expect(h.csms.command(cp.chargePointId, 'Reset', { type: 'Soft' })).resolves.toEqual({ status: 'Rejected' });
  await sleep(100);
  expect(h.csms.received(cp.chargePointId, ['StopTransaction', 'BootNotification'])).toHaveLength(1);
});

test('UnlockConnector: Unlocked (a running transaction is stopped first with UnlockCommand), UnlockFailed, NotSupported', async () => {
  const cp = await h.connected();
  const { transactionId } = await cp.startTransaction(1, 'TAG');
  const stopped = cp.waitFor('transactionStopped');
  await expect(h.csms.command(cp.chargePointId, 'UnlockConnector', { connectorId: 1 })).resolves.toEqual({ status: 'Unlocked' });
  await expect(stopped).resolves.toMatchObject({ transactionId, reason: 'UnlockCommand' });
  cp.behaviour.UnlockConnector = 'reject';
  await expect(h.csms.command(cp.chargePointId, 'UnlockConnector', { connectorId: 1 })).resolves.toEqual({ status: 'UnlockFailed' });
  cp.behaviour.UnlockConnector = 'accept';
  // UnlockStatus NotSupported: "no connector lock, or ConnectorId is unknown".
  await expect(h.csms.command(cp.chargePointId, 'UnlockConnector', { connectorId: 9 })).resolves.toEqual({ status: 'NotSupported' });
  const noLock = await h.connected({ connectorLock: false });
  await expect(h.csms.command(noLock.chargePointId, 'UnlockConnector', { connectorId: 1 })).resolves.toEqual({ status: 'NotSupported' });
});
