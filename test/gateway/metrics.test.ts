/** A gateway running as its own process is scraped on its own port: its OCPP series live there. */
import { createGatewayHarness, type GatewayHarness } from './support/gateway-harness';

describe('gateway /metrics', () => {
  let h: GatewayHarness;
  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.start();
  });
  afterAll(() => h.close());

  const scrape = async () => {
    const res = await fetch(`${h.gateway.url.replace(/^ws/, 'http').replace(/\/ocpp$/, '')}/metrics`);
    return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
  };
  const heartbeatsOk = (text: string) => Number(/csms_ocpp_messages_total\{action="Heartbeat",result="ok"\} (\d+)/.exec(text)?.[1] ?? 0);

  it('serves the Prometheus text with the OCPP messages it handled and its live connections', async () => {
    const before = heartbeatsOk((await scrape()).text);
    await h.addCharger('CP_METRICS');
    const cp = h.chargePoint({ chargePointId: 'CP_METRICS' });
    await cp.connect();
    await cp.heartbeat();
    await cp.heartbeat();
    const after = await scrape();
    expect(after.status).toBe(200);
    expect(after.type).toContain('text/plain');
    expect(heartbeatsOk(after.text)).toBe(before + 2);
    expect(Number(/^csms_connected_chargers (\d+)/m.exec(after.text)?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('answers any other plain HTTP request 426 Upgrade Required', async () => {
    const res = await fetch(`${h.gateway.url.replace(/^ws/, 'http')}/CP_METRICS`);
    expect(res.status).toBe(426);
    expect(res.headers.get('upgrade')).toBe('websocket');
  });
});
