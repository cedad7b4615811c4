/**
 * The whole stack behind the API: time-skipping Temporal server, session worker, OCPP gateway,
 * a simulated charger, real PostgreSQL — driven only through HTTP, as the app and the README's
 * curl walkthrough do. It produces the reference receipt: 154200 → 156700 Wh at 0.25/kWh →
 * 2.5 kWh, 0.63, SoC 74.
 */
import { Client } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { loadConfig } from '../../src/config/config';
import { sessionTimingsFromConfig } from '../../src/sessions/session-timings';
import { createLogger } from '../../src/logger';
import { ChargerCommandService, SessionService } from '../../src/sessions/session-service';
import { createTemporalSessionEventSink } from '../../src/sessions/temporal-session-events';
import { createSessionWorker } from '../../src/worker/session-worker';
import { startGateway, type RunningGateway } from '../../src/gateway/gateway';
import { SimulatedChargePoint } from '../../src/simulator/charge-point';
import { createTestDatabase, TestDatabase } from '../support/database';
import { createTimeSkippingEnv, workflowBundle } from '../support/temporal';
import { startTestApi, TestApi } from './support/api-harness';
import { openEventStream } from './support/event-stream';

const password = 'reference-charger-pass';

describe('sessions through the API on the whole stack', () => {
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let api: TestApi;
  let worker: Awaited<ReturnType<typeof createSessionWorker>>;
  let workerRunning: Promise<void>;
  let gateway: RunningGateway;
  const chargers: SimulatedChargePoint[] = [];
  let alice: string;
  let bob: string;

  async function connectCharger(chargePointId: string, opts: Partial<ConstructorParameters<typeof SimulatedChargePoint>[0]> = {}): Promise<SimulatedChargePoint> {
    const cp = new SimulatedChargePoint({ url: gateway.url, chargePointId, password, ...opts });
    chargers.push(cp);
    await cp.connect();
    return cp;
  }

  beforeAll(async () => {
    env = await createTimeSkippingEnv();
    db = await createTestDatabase();
    const config = loadConfig({
      LOG_LEVEL: 'silent',
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: '0',
      GATEWAY_ID: 'gw-api-test',
      TEMPORAL_TASK_QUEUE: 'api-stack-sessions',
      API_START_WAIT_MS: '10000',
      API_STOP_WAIT_MS: '10000',
    });
    const logger = createLogger(config);
    const namespace = config.TEMPORAL_NAMESPACE;
    worker = await createSessionWorker({
      connection: env.nativeConnection,
      namespace,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      pool: db.pool,
      logger,
      config,
      workflowBundle: await workflowBundle(),
    });
    workerRunning = worker.run();
    const sessionEvents = createTemporalSessionEventSink({ client: new Client({ connection: env.connection }), taskQueue: config.TEMPORAL_TASK_QUEUE, timings: sessionTimingsFromConfig(config), searchAttributes: false });
    gateway = await startGateway({ config, pool: db.pool, logger, sessionEvents, temporal: { connection: env.nativeConnection, namespace } });
    // The time-skipping server has no custom search attributes registered.
    // A plain client for the API and the gateway: the time-skipping one would skip time whenever
    // the API waits for a result, racing the charger. Tests skip time only by waiting themselves.
    const client = new Client({ connection: env.connection });
    const deps = { client, pool: db.pool, config, logger, searchAttributes: false };
    api = await startTestApi({
      db,
      sessions: new SessionService(deps),
      chargerCommands: new ChargerCommandService(deps),
      temporalClient: client,
      env: { API_START_WAIT_MS: '10000', API_STOP_WAIT_MS: '10000' },
    });

    // The operator's set-up, through the API.
    await api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
    for (const id of ['CP_REF', 'CP_TWO', 'CP_OFF', 'CP_NO', 'CP_PENDING']) {
      expect((await api.call('POST', '/v1/operator/chargers', { body: { stationId: id, password, connectors: 1 } })).status).toBe(201);
    }
    alice = await api.createDriver('alice', ['ALICE0001']);
    bob = await api.createDriver('bob', ['BOB0001']);
  });

  afterAll(async () => {
    for (const cp of chargers) await cp.close().catch(() => undefined);
    try {
      await api?.close(); // throws if an answer broke the OpenAPI document: the rest still shuts down
    } finally {
      await gateway?.close();
      worker?.shutdown();
      await workerRunning;
      await db?.drop();
      await env?.teardown();
    }
  });

  it('runs the reference session through the tutorial endpoints: 2.5 kWh at 0.25 costs 0.63 with SoC 74', async () => {
    const cp = await connectCharger('CP_REF', { meterStartWh: 154200, socStartPercent: 20 });

    expect((await api.call('GET', '/station/CP_REF/check-soc', { token: alice })).json).toEqual({ soc_supported: false });
    const enabled = await api.call('POST', '/station/CP_REF/enable-soc', { token: alice });
    expect(enabled.json).toEqual({ status: 'success', message: 'SOC enabled' });
    expect(cp.configuration.get('MeterValuesSampledData')).toContain('SoC');
    expect((await api.call('GET', '/station/CP_REF/check-soc', { token: alice })).json).toEqual({ soc_supported: true });

    const started = await api.call('POST', '/start_session', { token: alice, body: { cp_id: 'CP_REF', connector_id: 1 } });
    expect(started.status).toBe(200);
    const sessionId = started.json.session_id;

    const stream = openEventStream(`${api.url}/v1/sessions/${sessionId}/events`, alice);
    await stream.opened;
    await stream.until(() => stream.states().some((s) => s.status === 'charging'), 'charging');

    cp.setMeterRegister(1, 155450);
    cp.setSoc(1, 50);
    await cp.sendMeterValues(1);
    await stream.until(() => stream.states().some((s) => s.energyKwh === '1.25'), 'the 1.25 kWh reading');
    expect(stream.states().find((s) => s.energyKwh === '1.25')).toMatchObject({ socPercent: 50, costSoFar: expect.stringMatching(/^0\.31/) });

    cp.setMeterRegister(1, 156700);
    cp.setSoc(1, 74);
    await cp.sendMeterValues(1);
    await stream.until(() => stream.states().some((s) => s.energyKwh === '2.5' && s.socPercent === 74), 'the 2.5 kWh reading');

    const live = await api.call('GET', `/v1/sessions/${sessionId}`, { token: alice });
    expect(live.json).toMatchObject({ status: 'charging', energyKwh: '2.5', socPercent: 74, lastReadingAt: expect.any(String) });

    const stopped = await api.call('POST', '/stop_session', { token: alice, body: { session_id: sessionId } });
    expect(stopped.status).toBe(200);
    expect(stopped.json).toEqual({
      session_id: sessionId,
      meter_start: 154200,
      meter_stop: 156700,
      energy_kwh: 2.5,
      rate_per_kwh: 0.25,
      total_cost: 0.63,
      soc: 74,
      start_time: expect.any(String),
      end_time: expect.any(String),
    });

    await stream.until(() => stream.ended, 'the end of the event stream');
    expect(stream.events.at(-1)!.event).toBe('end');

    const receipt = await api.call('GET', `/v1/sessions/${sessionId}/receipt`, { token: alice });
    expect(receipt.json).toMatchObject({ energy_kwh_exact: '2.5', total_cost_exact: '0.63', rate_per_kwh_exact: '0.25', status: 'completed' });
    expect((await api.call('GET', `/v1/sessions/${sessionId}/receipt`, { token: bob })).status).toBe(404);
    const html = await api.call('GET', `/v1/sessions/${sessionId}/receipt.html`, { token: alice });
    expect(html.text).toContain('0.63 EUR');
    const history = await api.call('GET', '/v1/sessions', { token: alice });
    expect(history.json.sessions[0]).toMatchObject({ sessionId, receipt: { totalCost: '0.63', energyKwh: '2.5' } });
  });

  it('starts and stops through /v1 with a receipt, and answers 409 for a second start on the busy connector', async () => {
    const cp = await connectCharger('CP_TWO', { meterStartWh: 1000 });
    const started = await api.call('POST', '/v1/sessions', { token: alice, body: { stationId: 'CP_TWO', connectorId: 1 } });
    expect(started.status).toBe(201);
    const busy = await api.call('POST', '/v1/sessions', { token: bob, body: { stationId: 'CP_TWO', connectorId: 1 } });
    expect(busy.status).toBe(409);
    expect((await api.call('POST', `/v1/sessions/${started.json.sessionId}/stop`, { token: bob })).status).toBe(404);
    // 201 means the charger accepted RemoteStart; its StartTransaction follows on its own.
    for (let i = 0; i < 100 && (await api.call('GET', `/v1/sessions/${started.json.sessionId}`, { token: alice })).json.status !== 'charging'; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    cp.setMeterRegister(1, 3000);
    await cp.sendMeterValues(1);
    const stopped = await api.call('POST', `/v1/sessions/${started.json.sessionId}/stop`, { token: alice });
    expect(stopped.status).toBe(200);
    expect(stopped.json).toMatchObject({ meter_start: 1000, meter_stop: 3000, energy_kwh: 2, total_cost: 0.5 });

    // Past Temporal's retention the workflow is gone; the session still reads as it ended, from its
    // receipt (here: the same session and receipt filed under an id Temporal never had).
    const archived = 'sess_archived00000000000001';
    await db.pool.query(
      `INSERT INTO sessions (id, station_id, connector_id, driver_id, id_tag, origin, status, active)
         SELECT $2, station_id, connector_id, driver_id, id_tag, origin, status, FALSE FROM sessions WHERE id = $1`,
      [started.json.sessionId, archived],
    );
    await db.pool.query(
      `INSERT INTO receipts (session_id, station_id, connector_id, driver_id, status, currency, energy_kwh, rate_per_kwh, total_cost, body)
         SELECT $2, station_id, connector_id, driver_id, status, currency, energy_kwh, rate_per_kwh, total_cost, jsonb_set(body, '{session_id}', to_jsonb($2::text))
           FROM receipts WHERE session_id = $1`,
      [started.json.sessionId, archived],
    );
    const old = await api.call('GET', `/v1/sessions/${archived}`, { token: alice });
    expect(old.status).toBe(200);
    const live = (await api.call('GET', `/v1/sessions/${started.json.sessionId}`, { token: alice })).json;
    const { sessionId: _, ...ended } = live;
    // What a finished session reads as is the same, from the workflow or from the receipt (the
    // live-only details of a session that no longer runs are not kept).
    const liveOnly = ['powerW', 'lastReadingAt', 'socReporting', 'limits', 'chargerOnline'];
    expect(old.json).toMatchObject({ sessionId: archived, status: 'completed', energyKwh: '2', stationId: 'CP_TWO' });
    for (const [key, value] of Object.entries(ended)) if (!liveOnly.includes(key)) expect([key, old.json[key]]).toEqual([key, value]);
    expect((await api.call('GET', `/v1/sessions/${archived}`, { token: bob })).status).toBe(404);
    const events = openEventStream(`${api.url}/v1/sessions/${archived}/events`, alice);
    await events.opened;
    await events.until(() => events.ended, 'the stream of a finished session ends at once');
    expect(events.states().map((e) => e.status)).toEqual(['completed']);
  });

  it('refuses to start on a station the network has not accepted (Pending), with 409; accepting it asks the charger to boot again', async () => {
    const cp = await connectCharger('CP_PENDING');
    const triggers: unknown[] = [];
    cp.on('call', (c: { action: string; params: unknown }) => c.action === 'TriggerMessage' && triggers.push(c.params));
    await db.pool.query(`UPDATE chargers SET registration_status = 'Pending' WHERE id = 'CP_PENDING'`);
    const res = await api.call('POST', '/v1/sessions', { token: alice, body: { stationId: 'CP_PENDING', connectorId: 1 } });
    expect(res.status).toBe(409);
    expect(res.json.error).toMatchObject({ code: 'station_not_accepted', message: expect.stringContaining('Pending') });
    expect((await db.pool.query(`SELECT count(*)::int AS n FROM sessions WHERE station_id = 'CP_PENDING'`)).rows[0].n).toBe(0);
    // Pending still takes configuration: the operator may read its SoC set-up. Rejected takes nothing.
    expect((await api.call('GET', '/v1/stations/CP_PENDING/soc', { token: alice })).status).toBe(200);
    await db.pool.query(`UPDATE chargers SET registration_status = 'Rejected' WHERE id = 'CP_PENDING'`);
    const reset = await api.call('POST', '/v1/operator/stations/CP_PENDING/reset', { body: { type: 'Soft' } });
    expect([reset.status, reset.json.error?.code]).toEqual([409, 'station_not_accepted']);

    // The operator accepts it: the charger is asked for a BootNotification, and sessions start.
    expect((await api.call('PATCH', '/v1/operator/chargers/CP_PENDING', { body: { registrationStatus: 'Accepted' } })).json.registrationStatus).toBe('Accepted');
    for (let i = 0; i < 100 && triggers.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    expect(triggers).toEqual([{ requestedMessage: 'BootNotification' }]);
    const started = await api.call('POST', '/v1/sessions', { token: alice, body: { stationId: 'CP_PENDING', connectorId: 1 } });
    expect(started.status).toBe(201);
    for (let i = 0; i < 100 && cp.transactionId(1) === undefined; i++) await new Promise((r) => setTimeout(r, 50));
    expect((await api.call('POST', `/v1/sessions/${started.json.sessionId}/stop`, { token: alice })).status).toBe(200);
  });

  it('answers 404 for an unknown station, 503 for an offline one, 422 when the charger rejects', async () => {
    expect((await api.call('POST', '/v1/sessions', { token: alice, body: { stationId: 'CP_NOPE', connectorId: 1 } })).status).toBe(404);
    const offline = await api.call('POST', '/v1/sessions', { token: alice, body: { stationId: 'CP_OFF', connectorId: 1 } });
    expect(offline.status).toBe(503);
    expect(offline.json.error.code).toBe('station_offline');
    const cp = await connectCharger('CP_NO');
    cp.behaviour.RemoteStartTransaction = 'reject';
    const rejected = await api.call('POST', '/v1/sessions', { token: alice, body: { stationId: 'CP_NO', connectorId: 1 } });
    expect(rejected.status).toBe(422);
    expect(rejected.json.error.code).toBe('rejected');
  });
});
