/**
 * The gateway redeployed while an OCPP 2.0.1 station charges (the whole stack, the 2.0.1
 * simulator reconnecting by itself): its TransactionEvents queue while the gateway is away and
 * arrive `offline: true` after it is back, the driver's stop sent meanwhile reaches the station
 * as RequestStopTransaction once it reconnects, and the receipt bills every Wh exactly once.
 */
import { SimulatedChargingStation201 } from '../../src/simulator/v201/charging-station';
import { chargerPassword, startStack, type Stack } from './support/stack';

describe('the gateway restarted while an OCPP 2.0.1 station charges', () => {
  let stack: Stack;
  let driver: string;
  let station: SimulatedChargingStation201 | undefined;

  beforeAll(async () => {
    stack = await startStack({ name: 'gateway-restart-201', env: { LOG_LEVEL: process.env.STACK_LOG ?? 'silent' } });
    await stack.api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
    await stack.addCharger('CS201_GW');
    driver = await stack.api.createDriver('gwen', ['GWEN-201']);
  });
  afterAll(async () => {
    await station?.close().catch(() => undefined);
    await stack?.close();
  });

  const tick = () => new Promise((r) => setTimeout(r, 5)); // distinct timestamps per reading

  it('queued events arrive after the redeploy, the stop sent meanwhile is delivered, and nothing is lost or doubled', async () => {
    station = new SimulatedChargingStation201({ url: stack.gateway.url, stationId: 'CS201_GW', password: chargerPassword, reconnect: true, meterStartWh: 154200, transactionMessageRetryMs: 300, callTimeoutMs: 5000 });
    await station.connect();
    const started = await stack.api.call('POST', '/v1/sessions', { token: driver, body: { stationId: 'CS201_GW', connectorId: 1 } });
    expect(started.status).toBe(201);
    const sessionId: string = started.json.sessionId;
    await stack.eventually('charging', () => stack.api.call('GET', `/v1/sessions/${sessionId}`, { token: driver }), (r) => r.json?.status === 'charging');
    station.setMeterRegister(1, 155000);
    await station.sendMeterValues(1);
    await tick();

    const restarting = stack.restartGateway(1500);
    await stack.eventually('the station disconnected', async () => (await stack.db.pool.query(`SELECT online FROM chargers WHERE id = 'CS201_GW'`)).rows[0].online, (online) => online === false);
    // While the gateway is away: the station meters on (queued), and the driver asks to stop.
    station.setMeterRegister(1, 155800);
    await station.sendMeterValues(1);
    await tick();
    station.setMeterRegister(1, 156700);
    await station.sendMeterValues(1);
    const stop = stack.api.call('POST', `/v1/sessions/${sessionId}/stop`, { token: driver });
    await restarting;

    await stack.eventually('the stop delivered', async () => station!.received.filter((r) => r.action === 'RequestStopTransaction').length, (n) => n >= 1);
    expect([200, 202]).toContain((await stop).status);
    const receipt = await stack.receipt(sessionId, driver, 30_000);
    expect(receipt).toMatchObject({ status: 'completed', meter_start: 154200, meter_stop: 156700, energy_kwh_exact: '2.5', total_cost_exact: '0.63' });
    const offline = await stack.db.pool.query(`SELECT seq_no, offline FROM ocpp201_transaction_events WHERE station_id = 'CS201_GW' ORDER BY seq_no`);
    expect(offline.rows.filter((r) => r.offline).map((r) => r.seq_no)).toEqual([2, 3]);
    const registers = await stack.db.pool.query(
      `SELECT s.value FROM meter_samples s JOIN transactions t ON t.id = s.transaction_id WHERE t.session_id = $1 AND s.context = 'Sample.Periodic' AND s.measurand = 'Energy.Active.Import.Register' ORDER BY s.timestamp`,
      [sessionId],
    );
    expect(registers.rows.map((r) => r.value)).toEqual(['155000', '155800', '156700']);
  });
});
