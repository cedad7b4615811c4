/** Charger commands through gateway.commands (the same functions the Temporal activities are), against the simulator. */
import { ChargerCommandErrors } from '../../src/ocpp/charger-commands';
import type { RunningGateway } from '../../src/gateway/gateway';
import { commandFailure, createGatewayHarness, eventually, rawSocket, type GatewayHarness } from './support/gateway-harness';
import type { SimulatedChargePoint } from '../../src/simulator/charge-point';

describe('gateway charger commands', () => {
  let h: GatewayHarness;
  let gw: RunningGateway;

  beforeAll(async () => {
    h = await createGatewayHarness();
    gw = await h.start({ GATEWAY_COMMAND_TIMEOUT_MS: '400' });
    await h.addIdTag('DRIVER1');
  });
  afterAll(() => h.close());

  async function connected(id: string, options: object = {}): Promise<SimulatedChargePoint> {
    await h.addCharger(id);
    const cp = h.chargePoint({ chargePointId: id, ...options });
    await cp.connect();
    return cp;
  }

  it('RemoteStartTransaction: Accepted (and the charger then starts), or Rejected', async () => {
    const cp = await connected('CP_CMD_START');
    expect(await gw.commands.remoteStartTransaction({ stationId: 'CP_CMD_START', connectorId: 1, idTag: 'DRIVER1' })).toEqual({ status: 'Accepted' });
    const started = await h.events.waitFor('transactionStarted', (e) => e.stationId === 'CP_CMD_START');
    expect(started).toMatchObject({ idTag: 'DRIVER1', connectorId: 1 });
    await eventually(async () => cp.transactionId(1), (id) => id === started.transactionId);
    cp.behaviour.RemoteStartTransaction = 'reject';
    expect(await gw.commands.remoteStartTransaction({ stationId: 'CP_CMD_START', idTag: 'DRIVER1' })).toEqual({ status: 'Rejected' });
    expect(await gw.commands.remoteStopTransaction({ stationId: 'CP_CMD_START', transactionId: cp.transactionId(1)! })).toEqual({ status: 'Accepted' });
  });

  it('GetConfiguration and ChangeConfiguration return the typed answers', async () => {
    const cp = await connected('CP_CMD_CONF');
    const conf = await gw.commands.getConfiguration({ stationId: 'CP_CMD_CONF', key: ['MeterValuesSampledData', 'NoSuchKey'] });
    expect(conf).toEqual({
      configurationKey: [{ key: 'MeterValuesSampledData', readonly: false, value: 'Energy.Active.Import.Register' }],
      unknownKey: ['NoSuchKey'],
    });
    const all = await gw.commands.getConfiguration({ stationId: 'CP_CMD_CONF' });
    expect(all.configurationKey.length).toBeGreaterThan(5);
    expect(await gw.commands.changeConfiguration({ stationId: 'CP_CMD_CONF', key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register,SoC' })).toEqual({
      status: 'Accepted',
    });
    expect(cp.configuration.get('MeterValuesSampledData')).toBe('Energy.Active.Import.Register,SoC');
    cp.behaviour.ChangeConfiguration = 'not_supported';
    expect(await gw.commands.changeConfiguration({ stationId: 'CP_CMD_CONF', key: 'HeartbeatInterval', value: '30' })).toEqual({ status: 'NotSupported' });
  });

  it('TriggerMessage, Reset, UnlockConnector, ChangeAvailability, ClearCache and DataTransfer reach the charger', async () => {
    const cp = await connected('CP_CMD_MISC');
    expect(await gw.commands.triggerMessage({ stationId: 'CP_CMD_MISC', requestedMessage: 'Heartbeat' })).toEqual({ status: 'Accepted' });
    expect(await gw.commands.unlockConnector({ stationId: 'CP_CMD_MISC', connectorId: 1 })).toEqual({ status: 'Unlocked' });
    expect(await gw.commands.changeAvailability({ stationId: 'CP_CMD_MISC', connectorId: 1, type: 'Inoperative' })).toEqual({ status: 'Accepted' });
    expect(await gw.commands.clearCache({ stationId: 'CP_CMD_MISC' })).toEqual({ status: 'Accepted' });
    // The simulator knows no vendor unless given a DataTransfer handler.
    expect(await gw.commands.dataTransfer({ stationId: 'CP_CMD_MISC', vendorId: 'com.acme', messageId: 'Ping' })).toEqual({ status: 'UnknownVendorId' });
    cp.behaviour.Reset = 'reject';
    expect(await gw.commands.reset({ stationId: 'CP_CMD_MISC', type: 'Soft' })).toEqual({ status: 'Rejected' });
  });

  it('a charger that does not answer in time raises a retryable ChargerResponseTimeout', async () => {
    const cp = await connected('CP_CMD_SLOW');
    cp.behaviour.ClearCache = 'ignore';
    const started = Date.now();
    const err = await commandFailure(gw.commands.clearCache({ stationId: 'CP_CMD_SLOW' }));
    expect(err.type).toBe(ChargerCommandErrors.ResponseTimeout);
    expect(err.nonRetryable).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
    // The connection is still usable afterwards.
    cp.behaviour.ClearCache = 'accept';
    expect(await gw.commands.clearCache({ stationId: 'CP_CMD_SLOW' })).toEqual({ status: 'Accepted' });
  });

  it('a charger that is not connected raises a retryable ChargerNotConnected', async () => {
    const err = await commandFailure(gw.commands.reset({ stationId: 'CP_NOWHERE', type: 'Hard' }));
    expect(err.type).toBe(ChargerCommandErrors.NotConnected);
    expect(err.nonRetryable).toBe(false);
    const cp = await connected('CP_CMD_GONE');
    await cp.close();
    await eventually(async () => commandFailure(gw.commands.clearCache({ stationId: 'CP_CMD_GONE' })).then((e) => e.type), (t) => t === ChargerCommandErrors.NotConnected);
  });

  it('a CALLERROR raises a non-retryable OcppCallError carrying the error code', async () => {
    const cp = await connected('CP_CMD_ERR');
    cp.behaviour.GetConfiguration = 'callerror';
    const err = await commandFailure(gw.commands.getConfiguration({ stationId: 'CP_CMD_ERR' }));
    expect(err.type).toBe(ChargerCommandErrors.CallError);
    expect(err.nonRetryable).toBe(true);
    expect(err.details?.[0]).toMatchObject({ errorCode: 'InternalError', errorDescription: 'simulated failure of GetConfiguration' });
  });

  it('sends commands to one charger one at a time: the second goes out only after the first is answered', async () => {
    await h.addCharger('CP_CMD_QUEUE');
    const ws = await rawSocket(h, 'CP_CMD_QUEUE');
    const calls = () => ws.received.filter((m) => m[0] === 2);
    const first = gw.commands.clearCache({ stationId: 'CP_CMD_QUEUE' });
    const second = gw.commands.reset({ stationId: 'CP_CMD_QUEUE', type: 'Soft' });
    await eventually(async () => calls().length, (n) => n >= 1);
    await new Promise((r) => setTimeout(r, 150));
    expect(calls().map((c) => c[2])).toEqual(['ClearCache']);
    ws.send(JSON.stringify([3, calls()[0][1], { status: 'Accepted' }]));
    expect(await first).toEqual({ status: 'Accepted' });
    await eventually(async () => calls().length, (n) => n === 2);
    expect(calls()[1][2]).toBe('Reset');
    ws.send(JSON.stringify([3, calls()[1][1], { status: 'Rejected' }]));
    expect(await second).toEqual({ status: 'Rejected' });
  });

  it('an answer that breaks the OCPP schema is a non-retryable ChargerInvalidResponse, not a CALLERROR', async () => {
    await h.addCharger('CP_CMD_BAD');
    const ws = await rawSocket(h, 'CP_CMD_BAD');
    const pending = gw.commands.clearCache({ stationId: 'CP_CMD_BAD' });
    const call = await eventually(async () => ws.received.find((m) => m[0] === 2), (m) => m !== undefined);
    ws.send(JSON.stringify([3, call![1], { status: 'Maybe' }]));
    const err = await commandFailure(pending);
    expect(err.type).toBe(ChargerCommandErrors.InvalidResponse);
    expect(err.nonRetryable).toBe(true);
    expect(err.details?.[0]).toMatchObject({
      errorCode: 'PropertyConstraintViolation',
      errorDescription: expect.stringMatching(/^the charger's answer breaks the OCPP 1\.6 schema: \/status /),
      errorDetails: { property: '/status', constraint: 'enum' },
    });
  });

  it('routes by gateway: each of two gateways on one database reaches only the chargers it holds', async () => {
    const other = await h.start({ GATEWAY_ID: 'gw-other' });
    try {
      await h.addCharger('CP_ON_A');
      await h.addCharger('CP_ON_B');
      const a = h.chargePoint({ chargePointId: 'CP_ON_A', url: gw.url });
      const b = h.chargePoint({ chargePointId: 'CP_ON_B', url: other.url });
      await a.connect();
      await b.connect();
      const routes = await h.db.pool.query(`SELECT id, gateway_id, online FROM chargers WHERE id IN ('CP_ON_A', 'CP_ON_B') ORDER BY id`);
      expect(routes.rows).toEqual([
        { id: 'CP_ON_A', gateway_id: 'gw-test', online: true },
        { id: 'CP_ON_B', gateway_id: 'gw-other', online: true },
      ]);
      expect(other.taskQueue).toBe('ocpp-gateway.gw-other');
      expect(await other.commands.clearCache({ stationId: 'CP_ON_B' })).toEqual({ status: 'Accepted' });
      expect((await commandFailure(gw.commands.clearCache({ stationId: 'CP_ON_B' }))).type).toBe(ChargerCommandErrors.NotConnected);
      expect((await commandFailure(other.commands.clearCache({ stationId: 'CP_ON_A' }))).type).toBe(ChargerCommandErrors.NotConnected);

      // The charger moves to the other gateway: routing follows the newer connection.
      const moved = h.chargePoint({ chargePointId: 'CP_ON_A', url: other.url });
      await moved.connect();
      const route = (await h.db.pool.query(`SELECT gateway_id, online FROM chargers WHERE id = 'CP_ON_A'`)).rows[0];
      expect(route).toEqual({ gateway_id: 'gw-other', online: true });
      await a.close();
      await new Promise((r) => setTimeout(r, 100));
      expect((await h.db.pool.query(`SELECT gateway_id, online FROM chargers WHERE id = 'CP_ON_A'`)).rows[0]).toEqual({ gateway_id: 'gw-other', online: true });
    } finally {
      await other.close();
    }
    const afterClose = await h.db.pool.query(`SELECT id, online FROM chargers WHERE id IN ('CP_ON_A', 'CP_ON_B') ORDER BY id`);
    expect(afterClose.rows).toEqual([
      { id: 'CP_ON_A', online: false },
      { id: 'CP_ON_B', online: false },
    ]);
  });
});
