/**
 * The gateway redeployed while chargers are connected, on the whole stack (time-skipping Temporal
 * server at wall-clock pace, session worker, gateway, API, PostgreSQL, simulated chargers that
 * reconnect by themselves as real ones do).
 *
 * While the gateway is away the chargers go on metering (OCPP queues transaction messages offline),
 * and the driver of one session asks the app to stop. After the new gateway process is up on the
 * same id and port: the chargers reconnect, the queued readings arrive, the stop sent while the
 * gateway was down is delivered (the session workflow retries it), as is one the charger had not
 * answered when the gateway went down, and every reading is stored exactly once and billed exactly.
 */
import Big from 'big.js';
import { startStack, type Stack } from './support/stack';
import type { SimulatedChargePoint } from '../../src/simulator/charge-point';

const ENERGY = 'Energy.Active.Import.Register';

describe('the gateway restarted while chargers are connected', () => {
  let stack: Stack;
  let driver: string;

  beforeAll(async () => {
    stack = await startStack({ name: 'gateway-restart', env: { LOG_LEVEL: process.env.STACK_LOG ?? 'silent' } });
    await stack.api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
    for (const id of ['CP_GW_A', 'CP_GW_B', 'CP_GW_C']) await stack.addCharger(id);
    driver = await stack.api.createDriver('gwen', ['GWEN-A', 'GWEN-B', 'GWEN-C']);
  });

  afterAll(async () => {
    await stack?.close();
  });

  /** What one charger sent: the energy register of each periodic reading, in order. */
  const sent = new Map<string, number[]>();

  /** One periodic reading after `seconds` of charging; queued by the charger while it is offline. */
  function meter(cp: SimulatedChargePoint, seconds: number): Promise<void> {
    cp.advance(1, seconds);
    const list = sent.get(cp.chargePointId) ?? [];
    list.push(cp.meterRegisterWh(1).round(0, Big.roundDown).toNumber());
    sent.set(cp.chargePointId, list);
    return cp.sendMeterValues(1);
  }

  async function startCharging(cp: SimulatedChargePoint, idTag: string): Promise<{ sessionId: string; transactionId: number }> {
    const res = await stack.api.call('POST', '/v1/sessions', { token: driver, body: { stationId: cp.chargePointId, connectorId: 1, idTag } });
    expect(res.status).toBe(201);
    const sessionId: string = res.json.sessionId;
    await stack.eventually(`${sessionId} charging`, () => stack.api.call('GET', `/v1/sessions/${sessionId}`, { token: driver }), (r) => r.json?.status === 'charging');
    return { sessionId, transactionId: cp.transactionId(1)! };
  }

  async function storedReadings(transactionId: number): Promise<{ registers: number[]; rows: number }> {
    const { rows } = await stack.db.pool.query(
      `SELECT value FROM meter_samples WHERE transaction_id = $1 AND measurand = $2 AND context = 'Sample.Periodic' ORDER BY timestamp`,
      [transactionId, ENERGY],
    );
    return { registers: rows.map((r) => Number(r.value)), rows: rows.length };
  }

  const tick = () => new Promise((r) => setTimeout(r, 5)); // distinct timestamps per reading

  it('chargers reconnect, sessions continue, a stop sent while it was down is delivered, and no reading is lost or doubled', async () => {
    // 12 kW: a minute adds exactly 200 Wh, so every register is a whole number of Wh.
    const options = { reconnect: true, defaultPowerW: 12_000, meterStartWh: 154_200, transactionMessageAttempts: 10, transactionMessageRetryMs: 300 };
    const a = await stack.connectCharger('CP_GW_A', options);
    const b = await stack.connectCharger('CP_GW_B', { ...options, meterStartWh: 20_000 });
    const sa = await startCharging(a, 'GWEN-A');
    const sb = await startCharging(b, 'GWEN-B');

    for (const cp of [a, b]) {
      await meter(cp, 120);
      await tick();
    }
    const oldGateway = stack.gateway;

    // The redeploy: the gateway goes away for 1.5 s and comes back on the same id and port.
    const restarting = stack.restartGateway(1500);
    await stack.eventually('both chargers disconnected', async () => [a.connected, b.connected], (c) => !c[0] && !c[1]);

    // Meanwhile the chargers keep charging and metering (queued), and the driver of A asks to stop.
    const offlineReadings: Promise<void>[] = [];
    for (let i = 0; i < 3; i++) {
      for (const cp of [a, b]) offlineReadings.push(meter(cp, 60));
      await tick();
    }
    expect(a.queuedMessages).toBeGreaterThanOrEqual(3);
    const remoteStops: unknown[] = [];
    a.on('remoteStop', (e) => remoteStops.push(e));
    const stopWhileDown = stack.api.call('POST', `/v1/sessions/${sa.sessionId}/stop`, { token: driver });

    await restarting;
    expect(stack.gateway).not.toBe(oldGateway);
    await stack.eventually('both chargers reconnected', async () => [a.connected, b.connected], (c) => c[0] && c[1], 30_000);
    await Promise.all(offlineReadings);
    await b.drained();

    // The stop answers in bounded time, 200 with the receipt or 202 while the charger confirms.
    expect([200, 202]).toContain((await stopWhileDown).status);
    // The stop reaches the charger at the session's next RemoteStop attempt after it is back (backoff 1, 2, 4, 8 s…).
    const receiptA = await stack.receipt(sa.sessionId, driver, 40_000);
    const stopA = a.meterRegisterWh(1).round(0, Big.roundDown).toNumber();
    expect(remoteStops).toEqual([{ connectorId: 1, transactionId: sa.transactionId }]);
    expect(receiptA).toMatchObject({ status: 'completed', stop_reason: 'stopped by driver', meter_start: 154_200, meter_stop: stopA, flags: [] });
    expect(receiptA.energy_kwh_exact).toBe(new Big(stopA - 154_200).div(1000).toString());
    expect(receiptA.total_cost_exact).toBe(new Big(receiptA.energy_kwh_exact).times('0.25').round(2, Big.roundHalfUp).toFixed(2));

    // B's session went on through the restart: its live state has every reading, and it charges on.
    const lastB = sent.get('CP_GW_B')!.at(-1)!;
    await stack.eventually('B live energy includes the readings sent while the gateway was down', () => stack.api.call('GET', `/v1/sessions/${sb.sessionId}`, { token: driver }),
      (r) => r.json?.status === 'charging' && r.json?.energyKwh === new Big(lastB - 20_000).div(1000).toString());
    await meter(b, 60);
    await b.stopTransaction(1, 'EVDisconnected');
    const receiptB = await stack.receipt(sb.sessionId, driver);
    const stopB = b.meterRegisterWh(1).round(0, Big.roundDown).toNumber();
    expect(receiptB).toMatchObject({ status: 'completed', stop_reason: 'EVDisconnected', meter_start: 20_000, meter_stop: stopB });
    expect(receiptB.flags).toEqual([]);

    // Every periodic reading is stored once, in the order sent: none lost while the gateway was down.
    for (const [cp, s] of [[a, sa], [b, sb]] as const) {
      const stored = await storedReadings(s.transactionId);
      expect(stored.registers).toEqual(sent.get(cp.chargePointId));
    }
    const dupes = await stack.db.pool.query(
      `SELECT transaction_id, timestamp, count(*)::int AS n FROM meter_samples WHERE measurand = $1 GROUP BY 1, 2, context HAVING count(*) > 1`,
      [ENERGY],
    );
    expect(dupes.rows).toEqual([]);

    // The connection log shows each charger leaving with the old process and coming back to the new one.
    const events = await stack.db.pool.query(
      `SELECT station_id, event FROM connection_events WHERE station_id IN ('CP_GW_A', 'CP_GW_B') ORDER BY id`,
    );
    for (const id of ['CP_GW_A', 'CP_GW_B']) {
      const mine = events.rows.filter((e) => e.station_id === id).map((e) => e.event);
      expect(mine.filter((e) => e === 'connected').length).toBeGreaterThanOrEqual(2);
      expect(mine.lastIndexOf('connected')).toBeGreaterThan(mine.findIndex((e) => e !== 'connected'));
    }
  });

  it('a command in flight when the gateway goes down is sent again to the reconnected charger, and acts once', async () => {
    const c = await stack.connectCharger('CP_GW_C', { reconnect: true, defaultPowerW: 12_000, meterStartWh: 5_000 });
    const sc = await startCharging(c, 'GWEN-C');
    await meter(c, 300); // 1000 Wh

    // The charger takes the RemoteStop and has not answered it when the gateway goes away.
    const stops: string[] = [];
    c.on('call', (e: { action: string; behaviour: string }) => e.action === 'RemoteStopTransaction' && stops.push(e.behaviour));
    c.behaviour.RemoteStopTransaction = 'ignore';
    const stopping = stack.api.call('POST', `/v1/sessions/${sc.sessionId}/stop`, { token: driver });
    await stack.eventually('RemoteStop outstanding at the charger', async () => stops.length, (n) => n === 1);
    c.behaviour.RemoteStopTransaction = 'accept';
    await stack.restartGateway(500);

    // The session sends it again once the charger is back; this time it is answered and acted on.
    expect([200, 202]).toContain((await stopping).status);
    const receipt = await stack.receipt(sc.sessionId, driver);
    expect(stops).toEqual(['ignore', 'accept']);
    expect(receipt).toMatchObject({ status: 'completed', stop_reason: 'stopped by driver', meter_start: 5_000, meter_stop: 6_000, energy_kwh_exact: '1', total_cost_exact: '0.25', flags: [] });
    const tx = await stack.db.pool.query('SELECT count(*)::int AS n FROM transactions WHERE station_id = $1', ['CP_GW_C']);
    expect(tx.rows[0].n).toBe(1);
  });
});
