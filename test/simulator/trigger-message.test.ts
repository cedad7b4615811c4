/** TriggerMessage (OCPP 1.6 §5.17): the requested message follows the TriggerMessage.conf. */
import { sleep, useSimulatorHarness } from './support/harness';

const h = useSimulatorHarness('TRIG');
const trigger = (id: string, requestedMessage: string, connectorId?: number) =>
  h.csms.command(id, 'TriggerMessage', connectorId === undefined ? { requestedMessage } : { requestedMessage, connectorId });

test.each([
  ['BootNotification', { chargePointVendor: 'Simulator', firmwareVersion: '1.0.0' }],
  ['Heartbeat', {}],
  ['FirmwareStatusNotification', { status: 'Idle' }],
  ['DiagnosticsStatusNotification', { status: 'Idle' }],
  ['StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError' }],
  ['MeterValues', { connectorId: 1 }],
])('%s is Accepted and then sent, after the conf', async (requestedMessage, params) => {
  const cp = await h.connected();
  const sent = h.next(cp.chargePointId, (c) => c.action === requestedMessage);
  await expect(trigger(cp.chargePointId, requestedMessage)).resolves.toEqual({ status: 'Accepted' });
  const call = await sent;
  expect(call.params).toMatchObject(params);
  const answer = h.csms.answers.find((a) => a.chargePointId === cp.chargePointId && a.action === 'TriggerMessage')!;
  expect(answer.seq).toBeLessThan(call.seq);
});

test('StatusNotification without connectorId reports every connector; with one, only that one; connector 0 is the charge point', async () => {
  const cp = await h.connected({ connectors: 3 });
  let from = h.csms.received(cp.chargePointId).length;
  const third = h.next(cp.chargePointId, (c) => c.action === 'StatusNotification' && c.params.connectorId === 3);
  await trigger(cp.chargePointId, 'StatusNotification');
  await third;
  expect(h.labels(cp.chargePointId, from)).toEqual(['Status:1:Available', 'Status:2:Available', 'Status:3:Available']);

  from = h.csms.received(cp.chargePointId).length;
  await trigger(cp.chargePointId, 'StatusNotification', 2);
  await trigger(cp.chargePointId, 'StatusNotification', 0);
  await h.next(cp.chargePointId, (c) => c.action === 'StatusNotification' && c.params.connectorId === 0, 2000, true);
  await sleep(50);
  expect(h.labels(cp.chargePointId, from)).toEqual(['Status:2:Available', 'Status:0:Available']);
});

test('a triggered MeterValues during a transaction carries its id and the Trigger context; without connectorId every connector reports', async () => {
  const cp = await h.connected({ connectors: 2, meterStartWh: 42 });
  const { transactionId } = await cp.startTransaction(2, 'TAG');
  await trigger(cp.chargePointId, 'MeterValues', 2);
  const mv = await h.next(cp.chargePointId, (c) => c.action === 'MeterValues', 2000, true);
  expect(mv.params).toMatchObject({ connectorId: 2, transactionId });
  expect(mv.params.meterValue[0].sampledValue[0]).toMatchObject({ context: 'Trigger', value: '42' });

  await trigger(cp.chargePointId, 'MeterValues');
  await h.next(cp.chargePointId, (c) => c.action === 'MeterValues' && c.params.connectorId === 2 && c.seq > mv.seq);
  expect(h.csms.received(cp.chargePointId, ['MeterValues']).map((c) => c.params.connectorId)).toEqual([2, 1, 2]);
});

test('a triggered BootNotification takes the new heartbeat interval', async () => {
  const cp = await h.connected();
  h.csms.heartbeatInterval = 77;
  const boot = h.next(cp.chargePointId, (c) => c.action === 'BootNotification');
  await trigger(cp.chargePointId, 'BootNotification');
  await boot;
  await sleep(50);
  expect(cp.configuration.get('HeartbeatInterval')).toBe('77');
});

test('an unknown connector and a rejecting charger answer Rejected and send nothing; a message it lacks is NotImplemented', async () => {
  const cp = await h.connected({ notImplementedTriggers: ['DiagnosticsStatusNotification'] });
  const from = h.csms.received(cp.chargePointId).length;
  await expect(trigger(cp.chargePointId, 'StatusNotification', 5)).resolves.toEqual({ status: 'Rejected' });
  await expect(trigger(cp.chargePointId, 'DiagnosticsStatusNotification')).resolves.toEqual({ status: 'NotImplemented' });
  cp.behaviour.TriggerMessage = 'reject';
  await expect(trigger(cp.chargePointId, 'Heartbeat')).resolves.toEqual({ status: 'Rejected' });
  cp.behaviour.TriggerMessage = 'not_supported';
  await expect(trigger(cp.chargePointId, 'Heartbeat')).resolves.toEqual({ status: 'NotImplemented' });
  await sleep(100);
  expect(h.labels(cp.chargePointId, from)).toEqual([]);
});

test('MeterValues for connector 0 reports the main meter: the connectors summed', async () => {
  const cp = await h.connected({ connectors: 2 });
  cp.setMeterRegister(1, 1000);
  cp.setMeterRegister(2, 2500);
  const mv = h.next(cp.chargePointId, (c) => c.action === 'MeterValues');
  await expect(trigger(cp.chargePointId, 'MeterValues', 0)).resolves.toEqual({ status: 'Accepted' });
  const { params } = await mv;
  expect(params.connectorId).toBe(0);
  expect(params.transactionId).toBeUndefined();
  expect(params.meterValue[0].sampledValue).toEqual([expect.objectContaining({ measurand: 'Energy.Active.Import.Register', value: '3500', context: 'Trigger' })]);
});

test('a requestedMessage outside the 1.6 enumeration fails the charger\'s schema validation: a CALLERROR, not NotImplemented', async () => {
  // TriggerMessage.req's schema lists the six messages, so with strict validation an unknown one never reaches the handler.
  const cp = await h.connected();
  const reply = await h.csms.rawCall(cp.chargePointId, 'TriggerMessage', { requestedMessage: 'SignedFirmwareStatusNotification' });
  expect(reply[0]).toBe(4);
  expect(['PropertyConstraintViolation', 'FormationViolation', 'TypeConstraintViolation']).toContain(reply[2]);
});
