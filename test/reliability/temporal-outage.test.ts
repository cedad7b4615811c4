/**
 * Temporal unreachable from the gateway (a real TCP outage between them; the API and the worker
 * keep theirs), on the whole stack. A charger's MeterValues are answered after the PostgreSQL
 * commit, never after Temporal: while the link is down every reading is still acknowledged and
 * waits in the session outbox; when it is back, each reaches its session once and the bill is
 * exact. The same holds when the gateway is replaced while readings wait: the new process
 * delivers what the old one had acknowledged.
 */
import Big from 'big.js';
import { startStack, type Stack } from './support/stack';
import type { SimulatedChargePoint } from '../../src/simulator/charge-point';

describe('Temporal unreachable from the gateway', () => {
  let stack: Stack;
  let driver: string;

  beforeAll(async () => {
    stack = await startStack({
      name: 'temporal-outage',
      gatewayTemporalLink: true,
      gatewayOutbox: { sweepIntervalMs: 300, staleMs: 200, retryInitialMs: 100, retryMaxMs: 500 },
      env: { LOG_LEVEL: process.env.STACK_LOG ?? 'silent' },
    });
    await stack.api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
    for (const id of ['CP_TO_A', 'CP_TO_B']) await stack.addCharger(id);
    driver = await stack.api.createDriver('tora', ['TORA-A', 'TORA-B']);
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function startCharging(cp: SimulatedChargePoint, idTag: string): Promise<string> {
    const res = await stack.api.call('POST', '/v1/sessions', { token: driver, body: { stationId: cp.chargePointId, connectorId: 1, idTag } });
    expect(res.status).toBe(201);
    const sessionId: string = res.json.sessionId;
    // Charging, and done asking the charger about SoC (so no command is under way when the gateway goes).
    await stack.eventually(`${sessionId} charging`, () => stack.api.call('GET', `/v1/sessions/${sessionId}`, { token: driver }), (r) => r.json?.status === 'charging' && r.json?.socReporting?.status !== 'unknown');
    return sessionId;
  }

  /** One reading after `seconds` at 12 kW; resolves when the gateway has answered it. */
  async function meter(cp: SimulatedChargePoint, seconds: number): Promise<number> {
    cp.advance(1, seconds);
    await cp.sendMeterValues(1);
    return cp.meterRegisterWh(1).round(0, Big.roundDown).toNumber();
  }

  const outboxRows = async (sessionId: string): Promise<number> =>
    (await stack.db.pool.query('SELECT count(*)::int AS n FROM session_outbox WHERE session_id = $1', [sessionId])).rows[0].n;

  const liveEnergy = (sessionId: string, meterStartWh: number, registerWh: number) =>
    stack.eventually(
      `${sessionId} live energy at ${registerWh} Wh`,
      () => stack.api.call('GET', `/v1/sessions/${sessionId}`, { token: driver }),
      (r) => r.json?.energyKwh === new Big(registerWh - meterStartWh).div(1000).toString(),
      20_000,
    );

  async function expectExactReceipt(sessionId: string, cp: SimulatedChargePoint, meterStartWh: number): Promise<void> {
    const receipt = await stack.receipt(sessionId, driver);
    const stopWh = cp.meterRegisterWh(1).round(0, Big.roundDown).toNumber();
    expect(receipt).toMatchObject({ status: 'completed', meter_start: meterStartWh, meter_stop: stopWh, flags: [] });
    expect(receipt.energy_kwh_exact).toBe(new Big(stopWh - meterStartWh).div(1000).toString());
    expect(receipt.total_cost_exact).toBe(new Big(receipt.energy_kwh_exact).times('0.25').round(2, Big.roundHalfUp).toFixed(2));
  }

  it('MeterValues are answered while Temporal is unreachable, wait in the outbox, and reach the session once when it is back', async () => {
    const cp = await stack.connectCharger('CP_TO_A', { reconnect: true, defaultPowerW: 12_000, meterStartWh: 154_200 });
    const sessionId = await startCharging(cp, 'TORA-A');
    await liveEnergy(sessionId, 154_200, await meter(cp, 60));

    stack.temporalLink!.cut();
    let last = 0;
    for (let i = 0; i < 3; i++) last = await meter(cp, 60); // each answered: sendMeterValues rejects on a CALLERROR
    expect(await outboxRows(sessionId)).toBe(3);
    const during = await stack.api.call('GET', `/v1/sessions/${sessionId}`, { token: driver });
    expect(during.json.energyKwh).toBe('0.2'); // the session has not been told yet

    stack.temporalLink!.restore();
    await liveEnergy(sessionId, 154_200, last);
    await stack.eventually('outbox emptied', () => outboxRows(sessionId), (n) => n === 0);

    await cp.stopTransaction(1, 'EVDisconnected');
    await expectExactReceipt(sessionId, cp, 154_200);
  });

  it('readings a replaced gateway acknowledged but never delivered are delivered by the next one', async () => {
    const cp = await stack.connectCharger('CP_TO_B', { reconnect: true, defaultPowerW: 12_000, meterStartWh: 20_000 });
    const sessionId = await startCharging(cp, 'TORA-B');

    stack.temporalLink!.cut();
    let last = 0;
    for (let i = 0; i < 2; i++) last = await meter(cp, 120);
    expect(await outboxRows(sessionId)).toBe(2);
    // The old process goes while its readings are undelivered; the new one starts with the link still down.
    await stack.restartGateway(200);
    await stack.eventually('charger reconnected', async () => cp.connected, (c) => c, 30_000);
    expect(await outboxRows(sessionId)).toBe(2);

    stack.temporalLink!.restore();
    await liveEnergy(sessionId, 20_000, last);
    await stack.eventually('outbox emptied', () => outboxRows(sessionId), (n) => n === 0);
    await meter(cp, 60);
    await cp.stopTransaction(1, 'EVDisconnected');
    await expectExactReceipt(sessionId, cp, 20_000);
  });
});
