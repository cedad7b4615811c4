/**
 * The API's waits are bounded when a charger never answers, on the whole stack (time-skipping
 * Temporal server at wall-clock pace, session worker, gateway, API, PostgreSQL, simulated chargers
 * that stay connected but ignore a command). The app gets an answer within API_START_WAIT_MS /
 * API_STOP_WAIT_MS (plus a little), and the session state it then reads stays consistent with what
 * the charger really did: a start nobody confirmed fails and frees the connector; a stop nobody
 * confirmed ends `interrupted`, billed to the last reading, once; a charger that answers late
 * still gets its session.
 */
import Big from 'big.js';
import { startStack, type Stack } from './support/stack';
import type { SimulatedChargePoint } from '../../src/simulator/charge-point';

const API_WAIT_MS = 1000;
/** How long the gateway waits for one answer from the charger: longer than the API waits. */
const COMMAND_TIMEOUT_MS = 3000;
/** Slack for the HTTP round trip and a busy 2-core machine; the bound is what is asserted. */
const SLACK_MS = 2500;

describe('bounded API waits with a silent charger', () => {
  let stack: Stack;
  let driver: string;

  beforeAll(async () => {
    stack = await startStack({
      name: 'bounded-waits',
      env: {
        LOG_LEVEL: process.env.STACK_LOG ?? 'silent',
        API_START_WAIT_MS: String(API_WAIT_MS),
        API_STOP_WAIT_MS: String(API_WAIT_MS),
        GATEWAY_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS),
        SESSION_COMMAND_TIMEOUT_MS: String(COMMAND_TIMEOUT_MS + 1000),
        SESSION_COMMAND_MAX_ATTEMPTS: '2',
        SESSION_OFFLINE_GRACE_MS: '4000',
        SESSION_STOP_CONFIRM_TIMEOUT_MS: '4000',
      },
    });
    await stack.api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
    for (const id of ['CP_MUTE_START', 'CP_MUTE_STOP', 'CP_LATE']) await stack.addCharger(id);
    driver = await stack.api.createDriver('bo', ['BO-1', 'BO-2', 'BO-3']);
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
    const t0 = Date.now();
    const value = await work;
    return { value, ms: Date.now() - t0 };
  }

  const session = (sessionId: string) => stack.api.call('GET', `/v1/sessions/${sessionId}`, { token: driver });
  const sessionRow = async (sessionId: string) =>
    (await stack.db.pool.query('SELECT status, active FROM sessions WHERE id = $1', [sessionId])).rows[0];
  const start = (cp: SimulatedChargePoint, idTag: string) =>
    stack.api.call('POST', '/v1/sessions', { token: driver, body: { stationId: cp.chargePointId, connectorId: 1, idTag } });

  it('a start the charger never answers returns in bounded time; the session then fails and frees the connector', async () => {
    const cp = await stack.connectCharger('CP_MUTE_START');
    cp.behaviour.RemoteStartTransaction = 'ignore';
    const { value: res, ms } = await timed(start(cp, 'BO-1'));
    expect(ms).toBeLessThan(API_WAIT_MS + SLACK_MS);
    expect(res.status).toBe(202); // not confirmed yet: the app follows the session by id
    expect(res.json.status).toBe('starting');
    const { sessionId } = res.json;

    // Both attempts time out at the gateway; the session fails with the reason, no charge.
    const failed = await stack.eventually('the session failed', () => session(sessionId), (r) => r.json?.status === 'failed', 30_000);
    expect(failed.json.failureReason).toMatch(/did not answer/);
    const receipt = await stack.receipt(sessionId, driver);
    expect(receipt).toMatchObject({ status: 'failed', energy_kwh_exact: '0', total_cost_exact: '0.00' });
    expect(await sessionRow(sessionId)).toEqual({ status: 'failed', active: false });

    // The connector is free again: once the charger answers, the next start goes through.
    cp.behaviour.RemoteStartTransaction = 'accept';
    const again = await start(cp, 'BO-1');
    expect(again.status).toBe(201);
    await stack.eventually('the second session charging', () => session(again.json.sessionId), (r) => r.json?.status === 'charging');
    await cp.stopTransaction(1, 'Local');
    expect(await stack.receipt(again.json.sessionId, driver)).toMatchObject({ status: 'completed' });
  });

  it('a stop the charger never answers returns 202 in bounded time; the session ends interrupted, billed once to the last reading', async () => {
    const cp = await stack.connectCharger('CP_MUTE_STOP', { meterStartWh: 154_200, defaultPowerW: 12_000, transactionMessageRetryMs: 200 });
    const res = await start(cp, 'BO-2');
    expect(res.status).toBe(201);
    const { sessionId } = res.json;
    await stack.eventually('charging', () => session(sessionId), (r) => r.json?.status === 'charging');
    cp.advance(1, 300); // 1000 Wh
    await cp.sendMeterValues(1);
    await stack.eventually('the reading on the live state', () => session(sessionId), (r) => r.json?.energyKwh === '1');

    cp.behaviour.RemoteStopTransaction = 'ignore';
    const { value: stop, ms } = await timed(stack.api.call('POST', `/v1/sessions/${sessionId}/stop`, { token: driver }));
    expect(ms).toBeLessThan(API_WAIT_MS + SLACK_MS);
    expect(stop.status).toBe(202);
    expect(stop.json.status).toBe('stopping');
    // The app asking again (the driver taps twice) gets the same bounded answer; the stop is not sent twice over.
    const { value: again, ms: againMs } = await timed(stack.api.call('POST', `/v1/sessions/${sessionId}/stop`, { token: driver }));
    expect(againMs).toBeLessThan(API_WAIT_MS + SLACK_MS);
    expect(again.status).toBe(202);

    // RemoteStop is tried, the charger given the offline grace, RemoteStop tried again: then it gives up.
    const receipt = (
      await stack.eventually('the interrupted receipt', () => stack.api.call('GET', `/v1/sessions/${sessionId}/receipt`, { token: driver }), (r) => r.status === 200, 60_000)
    ).json;
    expect(receipt).toMatchObject({ status: 'interrupted', meter_start: 154_200, energy_kwh_exact: '1', total_cost_exact: '0.25' });
    expect(receipt.flags).toContain('interrupted');
    expect(await sessionRow(sessionId)).toMatchObject({ status: 'interrupted', active: false });

    // The charger, which went on charging, stops by itself later: its StopTransaction is acknowledged
    // (it must not retry forever), recorded on the transaction, and bills nothing twice.
    cp.advance(1, 300);
    await cp.stopTransaction(1, 'Local');
    expect(cp.queuedMessages).toBe(0);
    const tx = await stack.db.pool.query('SELECT meter_stop FROM transactions WHERE session_id = $1', [sessionId]);
    expect(tx.rows).toEqual([{ meter_stop: 156_200 }]);
    const receipts = await stack.db.pool.query('SELECT count(*)::int AS n, max(total_cost)::text AS cost FROM receipts WHERE session_id = $1', [sessionId]);
    expect(receipts.rows[0].n).toBe(1);
    expect(new Big(receipts.rows[0].cost).eq('0.25')).toBe(true);
  });

  it('a charger that answers after the API stopped waiting still gets its session', async () => {
    const cp = await stack.connectCharger('CP_LATE');
    // Past the API's wait, within the gateway's command timeout.
    cp.replyDelayMs.RemoteStartTransaction = API_WAIT_MS + 1000;
    const { value: res, ms } = await timed(start(cp, 'BO-3'));
    expect(ms).toBeLessThan(API_WAIT_MS + SLACK_MS);
    expect(res.status).toBe(202); // not confirmed yet: the app follows the session by id
    expect(res.json.status).toBe('starting');
    const { sessionId } = res.json;
    await stack.eventually('charging', () => session(sessionId), (r) => r.json?.status === 'charging');
    await cp.stopTransaction(1, 'Local');
    expect(await stack.receipt(sessionId, driver)).toMatchObject({ status: 'completed', stop_reason: 'Local' });
  });
});
