/** Malformed input gets the OCPP-J error reply and the connection stays up. */
import { Writable } from 'node:stream';
import pino from 'pino';
import { createGatewayHarness, rawSocket, type GatewayHarness, type RawOcppSocket } from './support/gateway-harness';

describe('gateway frame validation', () => {
  let h: GatewayHarness;
  let ws: RawOcppSocket;
  const logLines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    new Writable({
      write(chunk, _enc, done) {
        logLines.push(JSON.parse(chunk.toString()));
        done();
      },
    }),
  );

  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.start({ GATEWAY_MAX_FRAME_BYTES: '4096' }, { logger });
    await h.addCharger('CP_RAW');
    await h.addCharger('CP_BIG');
  });
  beforeEach(async () => {
    ws = await rawSocket(h, 'CP_RAW');
  });
  afterEach(() => ws.ws.terminate());
  afterAll(() => h.close());

  async function stillUp(): Promise<void> {
    const answer = await ws.call('alive', 'Heartbeat', {});
    expect(answer[0]).toBe(3);
    expect(ws.closed).toBeUndefined();
  }

  it('answers invalid JSON with FormationViolation and keeps the connection', async () => {
    ws.send('[2, "m1", "Heartbeat", {');
    const reply = await ws.reply('-1');
    expect(reply[0]).toBe(4);
    expect(reply[2]).toBe('FormationViolation');
    await stillUp();
  });

  it('answers a frame of the wrong shape with FormationViolation', async () => {
    ws.send(JSON.stringify({ not: 'an array' }));
    expect((await ws.reply('-1'))[2]).toBe('FormationViolation');
    ws.send(JSON.stringify([2, 'shape1', 42, {}]));
    expect((await ws.reply('shape1'))[2]).toBe('FormationViolation');
    await stillUp();
  });

  it('answers an unknown message type with FormationViolation (OCPP 1.6 has no MessageTypeNotSupported)', async () => {
    ws.send(JSON.stringify([7, 'shape2', 'Heartbeat', {}]));
    expect((await ws.reply('-1'))[2]).toBe('FormationViolation');
    await stillUp();
  });

  it('answers a CALL without a JSON object payload with FormationViolation', async () => {
    ws.send(JSON.stringify([2, 'np1', 'Heartbeat']));
    expect((await ws.reply('np1')).slice(0, 3)).toEqual([4, 'np1', 'FormationViolation']);
    for (const [id, payload] of [['np2', null], ['np3', []], ['np4', 'payload'], ['np5', 42]] as const) {
      expect((await ws.call(id, 'Heartbeat', payload)).slice(0, 3)).toEqual([4, id, 'FormationViolation']);
    }
    await stillUp();
  });

  it('names the broken field and constraint in errorDetails without echoing the request', async () => {
    const reply = await ws.call('d1', 'BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'M', firmwareVersion: 'SECRET-FW-'.repeat(10) });
    expect(reply.slice(0, 3)).toEqual([4, 'd1', 'PropertyConstraintViolation']);
    expect(reply[4]).toEqual({ property: '/firmwareVersion', constraint: 'maxLength' });
    expect(reply[3]).toMatch(/firmwareVersion/);
    expect(JSON.stringify(reply)).not.toContain('SECRET-FW');
    expect(JSON.stringify(reply)).not.toContain('Acme');
    const missing = await ws.call('d2', 'BootNotification', { chargePointVendor: 'Acme' });
    expect(missing[4]).toEqual({ property: '/chargePointModel', constraint: 'required' });
  });

  it('answers schema violations with the OCPP-J 1.6 code of the constraint that was broken', async () => {
    const code = async (id: string, action: string, payload: unknown) => {
      const reply = await ws.call(id, action, payload);
      expect(reply.slice(0, 2)).toEqual([4, id]);
      return reply[2];
    };
    // A field of the wrong JSON type.
    expect(await code('t1', 'StatusNotification', { connectorId: 'one', status: 'Available', errorCode: 'NoError' })).toBe('TypeConstraintViolation');
    // A required field missing, or a field the PDU does not define: occurrence, spelled as in OCPP-J 1.6.
    expect(await code('t2', 'BootNotification', { chargePointVendor: 'Acme' })).toBe('OccurenceConstraintViolation');
    expect(await code('t3', 'Heartbeat', { surprise: true })).toBe('OccurenceConstraintViolation');
    // The right type, a value the PDU does not allow: enum, maxLength, date-time format.
    expect(await code('t4', 'StatusNotification', { connectorId: 1, status: 'Sleeping', errorCode: 'NoError' })).toBe('PropertyConstraintViolation');
    expect(await code('t5', 'Authorize', { idTag: 'X'.repeat(21) })).toBe('PropertyConstraintViolation');
    expect(await code('t6', 'StatusNotification', { connectorId: 1, status: 'Available', errorCode: 'NoError', timestamp: 'yesterday' })).toBe('PropertyConstraintViolation');
    // Nothing of the invalid StatusNotification was stored.
    const stored = await h.db.pool.query(`SELECT 1 FROM status_notifications WHERE station_id = 'CP_RAW'`);
    expect(stored.rows).toHaveLength(0);
    await stillUp();
  });

  it('answers an unknown action with NotImplemented', async () => {
    expect((await ws.call('u1', 'MakeCoffee', {})).slice(0, 3)).toEqual([4, 'u1', 'NotImplemented']);
    await stillUp();
  });

  it('answers an OCPP 1.6 action only the central system sends with NotSupported', async () => {
    expect((await ws.call('s1', 'RemoteStartTransaction', { idTag: 'X' })).slice(0, 3)).toEqual([4, 's1', 'NotSupported']);
    expect((await ws.call('s2', 'ChangeConfiguration', { key: 'HeartbeatInterval', value: '1' })).slice(0, 3)).toEqual([4, 's2', 'NotSupported']);
    expect((await ws.call('s3', 'Reset', { type: 'Hard' })).slice(0, 3)).toEqual([4, 's3', 'NotSupported']);
    expect((await ws.call('s4', 'GetConfiguration', {})).slice(0, 3)).toEqual([4, 's4', 'NotSupported']);
    await stillUp();
  });

  it('closes a connection that sends a frame above the size limit, and the charger can reconnect', async () => {
    const big = await rawSocket(h, 'CP_BIG');
    big.send(JSON.stringify([2, 'big', 'DataTransfer', { vendorId: 'x', data: 'y'.repeat(8000) }]));
    await new Promise<void>((resolve) => big.ws.once('close', () => resolve()));
    expect(big.closed?.code).toBe(1009);
    expect(logLines.find((l) => l.stationId === 'CP_BIG' && /above GATEWAY_MAX_FRAME_BYTES/.test(String(l.msg)))).toMatchObject({ maxFrameBytes: 4096 });
    const again = await rawSocket(h, 'CP_BIG');
    expect((await again.call('ok', 'Heartbeat', {}))[0]).toBe(3);
    again.ws.terminate();
  });

  it('accepts frames up to 1 MiB by default (a long StopTransaction exceeds 64 KiB)', async () => {
    const limited = h.gateway;
    try {
      expect((await h.start({ GATEWAY_ID: 'gw-default-frames' })).url).not.toBe(limited.url);
      await h.addCharger('CP_LONG');
      const long = await rawSocket(h, 'CP_LONG');
      const reply = await long.call('long', 'DataTransfer', { vendorId: 'x', data: 'y'.repeat(512 * 1024) });
      expect(reply[0]).toBe(3);
      expect(long.closed).toBeUndefined();
      long.ws.terminate();
    } finally {
      h.gateway = limited;
    }
  });

  it('answers InternalError when the data cannot be stored, and keeps going', async () => {
    // A charger row that vanished (deleted by an operator) makes BootNotification fail to persist.
    await h.addCharger('CP_GONE');
    const gone = await rawSocket(h, 'CP_GONE');
    await h.db.pool.query(`DELETE FROM chargers WHERE id = 'CP_GONE'`);
    const reply = await gone.call('b1', 'BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'M' });
    expect(reply[2]).toBe('InternalError');
    expect((await gone.call('b2', 'Heartbeat', {}))[0]).toBe(3);
    gone.ws.terminate();
  });
});
