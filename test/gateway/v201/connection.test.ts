/**
 * OCPP 2.0.1 on the shared endpoint: subprotocol negotiation (2.0.1 preferred), the version stored
 * per charger, BootNotification with its reason, and OCPP-J 2.0.1's error codes for bad frames.
 */
import { createGatewayHarness, rawSocket, type GatewayHarness, type RawOcppSocket } from '../support/gateway-harness';

const boot = { reason: 'PowerUp', chargingStation: { vendorName: 'Acme', model: 'AC-22', serialNumber: 'SN-1', firmwareVersion: '4.2.0', modem: { iccid: '8949', imsi: '2620' } } };

describe('OCPP 2.0.1 connections', () => {
  let h: GatewayHarness;

  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.start();
    for (const id of ['CS201', 'CS_BOTH', 'CS16', 'CS_FRAMES', 'CS_CMD']) await h.addCharger(id);
  });
  afterAll(() => h.close());

  const stored = async (id: string) =>
    (await h.db.pool.query('SELECT ocpp_version, boot_reason, vendor, model, serial_number, firmware_version, iccid, imsi FROM chargers WHERE id = $1', [id])).rows[0];

  it('negotiates ocpp2.0.1 when a station offers both versions (TC_B_01_CSMS cold boot, then stored per charger)', async () => {
    const ws = await rawSocket(h, 'CS_BOTH', undefined, ['ocpp1.6', 'ocpp2.0.1']);
    expect(ws.ws.protocol).toBe('ocpp2.0.1');
    const reply = await ws.call('b1', 'BootNotification', boot);
    expect(reply[0]).toBe(3);
    expect(reply[2]).toMatchObject({ status: 'Accepted', interval: 60 });
    expect(await stored('CS_BOTH')).toMatchObject({ ocpp_version: '2.0.1', boot_reason: 'PowerUp', vendor: 'Acme', model: 'AC-22', serial_number: 'SN-1', firmware_version: '4.2.0', iccid: '8949', imsi: '2620' });
    ws.ws.terminate();
  });

  it('keeps ocpp1.6 for a station that offers only 1.6, and records which version each speaks', async () => {
    const ws = await rawSocket(h, 'CS16');
    expect(ws.ws.protocol).toBe('ocpp1.6');
    expect((await ws.call('b1', 'BootNotification', { chargePointVendor: 'Old', chargePointModel: 'M' }))[0]).toBe(3);
    expect(await stored('CS16')).toMatchObject({ ocpp_version: '1.6', boot_reason: null });
    ws.ws.terminate();
  });

  it('answers Heartbeat with the current time', async () => {
    const ws = await rawSocket(h, 'CS201', undefined, ['ocpp2.0.1']);
    await ws.call('b1', 'BootNotification', boot);
    const reply = await ws.call('h1', 'Heartbeat', {});
    expect(reply[0]).toBe(3);
    expect(Math.abs(Date.parse((reply[2] as { currentTime: string }).currentTime) - Date.now())).toBeLessThan(5000);
    ws.ws.terminate();
  });

  it('sends a contract command in its 2.0.1 form and reads the answer back (the rest: test/gateway/v201/commands.test.ts)', async () => {
    const ws = await rawSocket(h, 'CS_CMD', undefined, ['ocpp2.0.1']);
    await ws.call('b1', 'BootNotification', boot);
    ws.ws.on('message', (data) => {
      const [type, id, action] = JSON.parse(data.toString());
      if (type === 2 && action === 'ClearCache') ws.send(JSON.stringify([3, id, { status: 'Rejected' }]));
    });
    await expect(h.gateway.commands.clearCache({ stationId: 'CS_CMD' })).resolves.toEqual({ status: 'Rejected' });
    ws.ws.terminate();
  });

  describe('bad frames get the OCPP-J 2.0.1 error codes', () => {
    let ws: RawOcppSocket;
    beforeAll(async () => {
      ws = await rawSocket(h, 'CS_FRAMES', undefined, ['ocpp2.0.1']);
      await ws.call('b0', 'BootNotification', boot);
    });
    afterAll(() => ws.ws.terminate());

    it('a CALL whose payload is not a JSON object: FormatViolation', async () => {
      for (const [id, payload] of [['p1', null], ['p2', []], ['p3', 'text'], ['p4', 42]] as const) {
        expect((await ws.call(id, 'Heartbeat', payload)).slice(0, 3)).toEqual([4, id, 'FormatViolation']);
      }
    });

    it('a missing or undefined field: OccurrenceConstraintViolation (two r), naming it', async () => {
      const missing = await ws.call('o1', 'BootNotification', { reason: 'PowerUp' });
      expect(missing.slice(0, 3)).toEqual([4, 'o1', 'OccurrenceConstraintViolation']);
      expect(missing[4]).toEqual({ property: '/chargingStation', constraint: 'required' });
      const extra = await ws.call('o2', 'Heartbeat', { surprise: true });
      expect(extra.slice(0, 3)).toEqual([4, 'o2', 'OccurrenceConstraintViolation']);
    });

    it('a field of the wrong type: TypeConstraintViolation; a value out of range or enum: PropertyConstraintViolation', async () => {
      expect((await ws.call('t1', 'BootNotification', { ...boot, chargingStation: { ...boot.chargingStation, model: 7 } }))[2]).toBe('TypeConstraintViolation');
      expect((await ws.call('v1', 'BootNotification', { ...boot, reason: 'Bored' }))[2]).toBe('PropertyConstraintViolation');
      expect((await ws.call('v2', 'BootNotification', { ...boot, chargingStation: { ...boot.chargingStation, model: 'M'.repeat(21) } }))[2]).toBe('PropertyConstraintViolation');
    });

    it('a message only the CSMS sends: NotSupported; an unknown action: NotImplemented', async () => {
      expect((await ws.call('n1', 'RequestStartTransaction', { idToken: { idToken: 'X', type: 'Central' }, remoteStartId: 1 }))[2]).toBe('NotSupported');
      expect((await ws.call('n2', 'MakeCoffee', {}))[2]).toBe('NotImplemented');
    });

    it('a frame that is no valid RPC message: RpcFrameworkError, an unknown message type: MessageTypeNotSupported; the connection stays up', async () => {
      ws.send('[2, "j1", "Heartbeat", {');
      expect((await ws.reply('-1'))[2]).toBe('RpcFrameworkError');
      ws.received.length = 0;
      ws.send(JSON.stringify([7, 'm1', 'Heartbeat', {}]));
      expect((await ws.reply('-1'))[2]).toBe('MessageTypeNotSupported');
      expect((await ws.call('alive', 'Heartbeat', {}))[0]).toBe(3);
      expect(ws.closed).toBeUndefined();
    });
  });
});
