/** A charger that reconnects without BootNotification is asked for its connector statuses (markOffline left them Unknown). */
import { createGatewayHarness, eventually, type GatewayHarness } from './support/gateway-harness';

describe('connector statuses after a reconnect without BootNotification', () => {
  let h: GatewayHarness;

  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.start({}, { statusTriggerDelayMs: 300 });
  });
  afterAll(() => h.close());

  const statuses = async (stationId: string) =>
    (await h.db.pool.query('SELECT connector_id, status FROM connectors WHERE station_id = $1 ORDER BY connector_id', [stationId])).rows;

  it('a charger that reconnects without booting gets TriggerMessage(StatusNotification) and its connectors are known again', async () => {
    await h.addCharger('CP_RECONNECT');
    const cp = h.chargePoint({ chargePointId: 'CP_RECONNECT', connectors: 2 });
    const commands: { action: string; params: unknown }[] = [];
    cp.on('call', (c: { action: string; params: unknown }) => commands.push(c));
    await cp.connect();
    await eventually(() => statuses('CP_RECONNECT'), (rows) => rows.length === 2 && rows.every((r) => r.status === 'Available'));
    await new Promise((r) => setTimeout(r, 600));
    // It booted: nothing to ask.
    expect(commands).toEqual([]);

    cp.dropConnection();
    await eventually(() => statuses('CP_RECONNECT'), (rows) => rows.every((r) => r.status === 'Unknown'));
    await cp.reconnect();
    await eventually(async () => commands, (c) => c.length > 0);
    expect(commands).toEqual([expect.objectContaining({ action: 'TriggerMessage', params: { requestedMessage: 'StatusNotification' } })]);
    expect(await eventually(() => statuses('CP_RECONNECT'), (rows) => rows.every((r) => r.status === 'Available'))).toEqual([
      { connector_id: 1, status: 'Available' },
      { connector_id: 2, status: 'Available' },
    ]);
  });
});
