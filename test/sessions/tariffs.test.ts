/**
 * Tariff components in the chargingSession workflow on the time-skipping server: a session
 * crossing a time-of-use boundary, an idle fee after the EV reports full, a cost limit.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { stationId, createSessionWorld, startedEvent, startRequest, type SessionWorld } from './support/session-harness';
import type { Receipt } from '../../workflows/session-messages';

let world: SessionWorld;
beforeEach(async () => {
  world = await createSessionWorld();
});
afterEach(async () => {
  await world?.close();
  world = undefined as unknown as SessionWorld;
});

async function charging(sessionId: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if ((await world.sessions.getState(sessionId))?.status === 'charging') return;
    await delay(25);
  }
  throw new Error(`session ${sessionId} never started charging`);
}
const reading = (sessionId: string, timestamp: string, energyWh: string) => ({ sessionId, stationId, connectorId: 1, transactionId: 41, readings: [{ timestamp, energyWh }] });

test('a session crossing a time-of-use boundary is split exactly between the two prices', async () => {
  // Peak until 11:15 in Berlin (10:15Z in winter) at 0.40; after it the base 0.25.
  await world.db.pool.query(`UPDATE chargers SET time_zone = 'Europe/Berlin' WHERE id = $1`, [stationId]);
  await world.db.pool.query(
    `UPDATE tariffs SET time_of_use = '[{"name":"Peak","from":"00:00","to":"11:15","energyPricePerKwh":"0.40"}]' WHERE id = 'standard'`,
  );
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession(startRequest);
    await world.events.transactionStarted(startedEvent(sessionId));
    await world.events.meterValues([reading(sessionId, '2026-11-24T10:10:00.000Z', '155000')]);
    // 10:10Z → 10:20Z straddles 10:15Z: 250 Wh on each side.
    await world.events.meterValues([reading(sessionId, '2026-11-24T10:20:00.000Z', '155500')]);
    await world.events.transactionStopped({ sessionId, stationId, transactionId: 41, meterStopWh: 156700, timestamp: '2026-11-24T10:30:00.000Z', reason: 'EVDisconnected' });
    const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
    // Peak 800 + 250 Wh = 1.05 kWh × 0.40 = 0.42; base 250 + 1200 Wh = 1.45 kWh × 0.25 = 0.3625 → 0.36.
    expect(receipt.line_items.map((l) => [l.description, l.quantity, l.unit_price, l.amount])).toEqual([
      ['Energy', '1.45', '0.25', '0.36'],
      ['Energy (Peak) 00:00–11:15', '1.05', '0.4', '0.42'],
    ]);
    expect(receipt).toMatchObject({ energy_kwh_exact: '2.5', subtotal_exact: '0.78', tax_exact: '0.00', total_cost_exact: '0.78', tariff_version: 2 });
  });
});

test('an idle fee accrues after the EV reports full (SuspendedEV), past the grace period', async () => {
  await world.db.pool.query(`UPDATE tariffs SET idle_fee_per_minute = 0.10, idle_grace_minutes = 5 WHERE id = 'standard'`);
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession(startRequest);
    await world.events.transactionStarted(startedEvent(sessionId));
    await world.events.meterValues([reading(sessionId, '2026-11-24T10:20:00.000Z', '156700')]);
    await charging(sessionId);
    await world.events.connectorStatus({ sessionId, stationId, connectorId: 1, status: 'SuspendedEV', errorCode: 'NoError', at: '2026-11-24T10:20:00.000Z' });
    await world.events.transactionStopped({ sessionId, stationId, transactionId: 41, meterStopWh: 156700, timestamp: '2026-11-24T10:45:00.000Z', reason: 'EVDisconnected' });
    const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
    // 25 idle minutes − 5 free = 20 × 0.10 = 2.00; energy 2.5 kWh × 0.25 = 0.63.
    expect(receipt.line_items.map((l) => [l.component, l.quantity, l.amount])).toEqual([
      ['energy', '2.5', '0.63'],
      ['idle', '20', '2.00'],
    ]);
    expect(receipt.total_cost_exact).toBe('2.63');
  });
});

test('a cost limit stops the session by itself, counting every component', async () => {
  await world.db.pool.query(`UPDATE tariffs SET session_fee = 0.50 WHERE id = 'standard'`);
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession({ ...startRequest, limits: { maxCost: '1.00' } });
    await world.events.transactionStarted(startedEvent(sessionId));
    world.gateway.answers.remoteStopTransaction = async () => {
      setImmediate(() => void world.events.transactionStopped({ sessionId, stationId, transactionId: 41, meterStopWh: 156300, timestamp: '2026-11-24T10:21:00.000Z', reason: 'Remote' }));
      return { status: 'Accepted' };
    };
    // 0.50 fee + 1 kWh × 0.25 = 0.75: charging on; + 2 kWh = 1.00: the limit is reached.
    await world.events.meterValues([reading(sessionId, '2026-11-24T10:10:00.000Z', '155200')]);
    await world.events.meterValues([reading(sessionId, '2026-11-24T10:20:00.000Z', '156200')]);
    const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
    expect(receipt.stop_reason).toBe('cost limit of 1.00 EUR reached');
    expect(receipt.line_items.map((l) => [l.component, l.amount])).toEqual([
      ['energy', '0.53'],
      ['session_fee', '0.50'],
    ]);
    expect(receipt.total_cost_exact).toBe('1.03');
  });
});

test('an EV already full when the transaction starts: the early SuspendedEV still starts the idle clock', async () => {
  await world.db.pool.query(`UPDATE tariffs SET idle_fee_per_minute = 0.10, idle_grace_minutes = 5 WHERE id = 'standard'`);
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession(startRequest);
    // Back to back, as the gateway forwards them: the status reaches the workflow with its StartTransaction.
    await world.events.transactionStarted(startedEvent(sessionId));
    await world.events.connectorStatus({ sessionId, stationId, connectorId: 1, status: 'SuspendedEV', errorCode: 'NoError', at: '2026-11-24T10:00:00.000Z' });
    await world.events.transactionStopped({ sessionId, stationId, transactionId: 41, meterStopWh: 154200, timestamp: '2026-11-24T10:30:00.000Z', reason: 'EVDisconnected' });
    const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
    // 30 idle minutes − 5 free = 25 × 0.10 = 2.50; no energy.
    expect(receipt.line_items.find((l) => l.component === 'idle')).toMatchObject({ quantity: '25', amount: '2.50' });
  });
});

test('a cost limit stops one reading early when the next reading at the same pace would pass it', async () => {
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession({ ...startRequest, limits: { maxCost: '1.00' } });
    await world.events.transactionStarted(startedEvent(sessionId));
    world.gateway.answers.remoteStopTransaction = async () => {
      setImmediate(() => void world.events.transactionStopped({ sessionId, stationId, transactionId: 41, meterStopWh: 157900, timestamp: '2026-11-24T10:21:00.000Z', reason: 'Remote' }));
      return { status: 'Accepted' };
    };
    await charging(sessionId);
    // 0.30, then 0.60 (next at that pace 0.90), then 0.65 (next 0.70): under 1.00, charging on.
    await world.events.meterValues([reading(sessionId, '2026-11-24T10:05:00.000Z', '155400')]);
    await world.events.meterValues([reading(sessionId, '2026-11-24T10:10:00.000Z', '156600')]);
    await world.events.meterValues([reading(sessionId, '2026-11-24T10:15:00.000Z', '156800')]);
    // 0.90: the next reading at this pace would be 1.15, past the limit: stop now.
    await world.events.meterValues([reading(sessionId, '2026-11-24T10:20:00.000Z', '157800')]);
    const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
    expect(receipt.stop_reason).toBe('cost limit of 1.00 EUR would be exceeded by the next reading');
    expect(receipt.total_cost_exact).toBe('0.93');
  });
});
