/**
 * The chargingSession workflow on the time-skipping Temporal server with real PostgreSQL:
 * start, plug-in, SoC, meter values, stop (app, charger, limit), billing and receipts,
 * unresponsive and vanished chargers. Timeouts of minutes pass in milliseconds.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { temporalTestServerPath } from '../../src/temporal/binaries';
import { sessionTimingsFromConfig } from '../../src/sessions/session-timings';
import { chargingSession } from '../../workflows/charging-session';
import { workflowBundle } from '../support/temporal';
import { stationId, createSessionWorld, notConnected, startedEvent, startRequest, type SessionWorld } from './support/session-harness';
import { requestStopUpdate, type Receipt, type SessionState } from '../../workflows/session-messages';

let world: SessionWorld;

// A test server per test: a workflow queried by an earlier test can hold back time skipping.
beforeEach(async () => {
  world = await createSessionWorld();
});
afterEach(async () => {
  await world?.close();
  world = undefined as unknown as SessionWorld;
});


/** Waits (in real time) until the live state satisfies `ok`. */
async function stateWhere(sessionId: string, ok: (s: SessionState) => boolean): Promise<SessionState> {
  for (let i = 0; i < 200; i++) {
    const state = await world.sessions.getState(sessionId);
    if (state && ok(state)) return state;
    await delay(25);
  }
  throw new Error(`session ${sessionId} never reached the expected state: ${JSON.stringify(await world.sessions.getState(sessionId))}`);
}

async function sessionRow(sessionId: string): Promise<{ status: string; active: boolean; transaction_id: number | null; failure_reason: string | null }> {
  const { rows } = await world.db.pool.query('SELECT status, active, transaction_id, failure_reason FROM sessions WHERE id = $1', [sessionId]);
  return rows[0];
}

/** The charger confirms a RemoteStop by sending StopTransaction, as a real one does. */
function stopConfirmedBy(meterStopWh: number, reason = 'Remote'): void {
  world.gateway.answers.remoteStopTransaction = async (req) => {
    setImmediate(() => {
      const sessionId = sessionOf(req.transactionId);
      void sessionId.then((id) => world.events.transactionStopped({ sessionId: id, stationId, transactionId: req.transactionId, meterStopWh, timestamp: '2026-11-24T10:30:00.000Z', reason }));
    });
    return { status: 'Accepted' };
  };
}
async function sessionOf(transactionId: number): Promise<string> {
  const { rows } = await world.db.pool.query('SELECT id FROM sessions WHERE transaction_id = $1', [transactionId]);
  return rows[0].id;
}

test('the reference session: RemoteStart, plug-in, SoC enabled, meter values, stop → 2.5 kWh, 0.63 EUR, SoC 74 %, stored once', async () => {
  await world.run(async () => {
    const { sessionId, outcome } = await world.sessions.startSession(startRequest);
    expect(sessionId).toMatch(/^sess_/);
    expect(outcome).toEqual({ accepted: true, status: 'awaiting_plug_in' });
    expect(world.gateway.calls[0]).toEqual({ command: 'remoteStartTransaction', request: { stationId, connectorId: 1, idTag: 'TAG-1' } });

    await world.events.transactionStarted(startedEvent(sessionId));
    await world.events.meterValues([
      {
        sessionId,
        stationId,
        connectorId: 1,
        transactionId: 41,
        readings: [{ timestamp: '2026-11-24T10:10:00.000Z', energyWh: '155000', socPercent: 70, powerW: 7400 }],
      },
    ]);
    const live = await stateWhere(sessionId, (s) => s.energyKwh === '0.8' && s.socReporting.status === 'enabled');
    expect(live).toMatchObject({ status: 'charging', transactionId: 41, costSoFar: '0.20', socPercent: 70, powerW: 7400, currency: 'EUR', ratePerKwh: '0.25' });
    // SoC was added to what the charger already reported, never replacing it.
    expect(world.gateway.calls).toContainEqual({ command: 'changeConfiguration', request: { stationId, key: 'MeterValuesSampledData', value: 'Energy.Active.Import.Register,SoC' } });
    expect((await sessionRow(sessionId)).status).toBe('charging');

    await world.events.meterValues([{ sessionId, stationId, connectorId: 1, transactionId: 41, readings: [{ timestamp: '2026-11-24T10:29:00.000Z', energyWh: '156650', socPercent: 74 }] }]);
    stopConfirmedBy(156700);
    const result = await world.sessions.stopSession(sessionId, { requestedBy: 'driver' }, 10_000);
    if (!('receipt' in result)) throw new Error(`no receipt: ${JSON.stringify(result)}`);
    const receipt: Receipt = result.receipt;
    expect(receipt).toMatchObject({
      session_id: sessionId,
      status: 'completed',
      meter_start: 154200,
      meter_stop: 156700,
      energy_kwh: 2.5,
      energy_kwh_exact: '2.5',
      rate_per_kwh: 0.25,
      total_cost: 0.63,
      total_cost_exact: '0.63',
      currency: 'EUR',
      soc: 74,
      station_id: stationId,
      connector_id: 1,
      transaction_id: 41,
      start_time: '2026-11-24T10:00:00.000Z',
      end_time: '2026-11-24T10:30:00.000Z',
      tariff_id: 'standard',
      flags: [],
    });
    expect(receipt.line_items).toEqual([expect.objectContaining({ component: 'energy', quantity: '2.5', unit_price: '0.25', amount: '0.63' })]);
    expect(await world.sessions.getReceipt(sessionId)).toEqual(receipt);
    const stored = await world.db.pool.query('SELECT total_cost::text, energy_kwh::text FROM receipts WHERE session_id = $1', [sessionId]);
    expect(stored.rows).toEqual([{ total_cost: '0.630000', energy_kwh: '2.500000' }]);
    expect(await sessionRow(sessionId)).toMatchObject({ status: 'completed', active: false, transaction_id: 41 });

    // A finished session cannot be stopped again, and a second start on the connector is now allowed.
    await expect(world.sessions.stopSession(sessionId, { requestedBy: 'driver' }, 1_000)).rejects.toMatchObject({ code: 'not_running' });
    const again = await world.sessions.startSession(startRequest);
    expect(again.outcome.accepted).toBe(true);
  });
});

test('replayed and out-of-order meter values never change the bill', async () => {
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession(startRequest);
    await world.events.transactionStarted(startedEvent(sessionId));
    const late = { sessionId, stationId, connectorId: 1, transactionId: 41, readings: [{ timestamp: '2026-11-24T10:20:00.000Z', energyWh: '156000' }] };
    await world.events.meterValues([late]);
    await world.events.meterValues([late]);
    await world.events.meterValues([{ ...late, readings: [{ timestamp: '2026-11-24T10:10:00.000Z', energyWh: '155000' }] }]);
    // A reading for another transaction is not ours.
    await world.events.meterValues([{ ...late, transactionId: 99, readings: [{ timestamp: '2026-11-24T10:21:00.000Z', energyWh: '999999' }] }]);
    const state = await stateWhere(sessionId, (s) => s.energyKwh === '1.8');
    expect(state.flags).toEqual([]);
    expect(state.costSoFar).toBe('0.45');
  });
});

test('a second StartTransaction on the session is flagged, not billed', async () => {
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession(startRequest);
    await world.events.transactionStarted(startedEvent(sessionId));
    await world.events.transactionStarted(startedEvent(sessionId)); // a replay: same transaction
    await world.events.transactionStarted(startedEvent(sessionId, { transactionId: 42 }));
    const state = await stateWhere(sessionId, (s) => s.flags.length > 0);
    expect(state.flags).toEqual(['unexpected_second_transaction']);
    expect(state.transactionId).toBe(41);
  });
});

test('the charger rejects RemoteStart: the session fails at once with the reason and frees the connector', async () => {
  world.gateway.answers.remoteStartTransaction = async () => ({ status: 'Rejected' });
  await world.run(async () => {
    const { sessionId, outcome } = await world.sessions.startSession(startRequest);
    expect(outcome).toEqual({ accepted: false, status: 'failed', reason: 'the charger rejected RemoteStartTransaction' });
    const receipt = await world.env.client.workflow.getHandle(sessionId).result();
    expect(receipt).toMatchObject({ status: 'failed', total_cost_exact: '0.00', energy_kwh: 0, failure_reason: 'the charger rejected RemoteStartTransaction' });
    expect(await sessionRow(sessionId)).toMatchObject({ status: 'failed', active: false });
  });
});

test('nobody plugs in: after the plug-in timeout the session fails with no charge', async () => {
  await world.run(async () => {
    const { sessionId, outcome } = await world.sessions.startSession(startRequest);
    expect(outcome.status).toBe('awaiting_plug_in');
    const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
    expect(receipt).toMatchObject({ status: 'failed', failure_reason: 'not plugged in', total_cost: 0, transaction_id: null });
  });
});

test('RemoteStart never reaches the charger: failed after the configured attempts, with the reason', async () => {
  world.gateway.answers.remoteStartTransaction = notConnected;
  await world.run(async () => {
    const { sessionId, outcome } = await world.sessions.startSession({ ...startRequest, waitMs: 60_000 });
    expect(outcome.accepted).toBe(false);
    expect(outcome.reason).toMatch(/RemoteStartTransaction failed: .*not connected.*after 3 attempts/);
    expect(world.gateway.calls.filter((c) => c.command === 'remoteStartTransaction')).toHaveLength(3);
    await world.env.client.workflow.getHandle(sessionId).result();
    expect(await sessionRow(sessionId)).toMatchObject({ status: 'failed', active: false });
  });
});

test('one active session per connector: a second start is refused as busy', async () => {
  await world.run(async () => {
    await world.sessions.startSession(startRequest);
    await expect(world.sessions.startSession(startRequest)).rejects.toMatchObject({ name: 'SessionError', code: 'connector_busy' });
    await expect(world.sessions.startSession({ ...startRequest, stationId: 'NOPE' })).rejects.toMatchObject({ code: 'unknown_station' });
    await world.db.pool.query(`UPDATE chargers SET online = FALSE`);
    await expect(world.sessions.startSession({ ...startRequest, connectorId: 2 })).rejects.toMatchObject({ code: 'station_offline' });
  });
});

test('a charger-initiated transaction (RFID at the charger) starts a tracked, billed session', async () => {
  const sessionId = 'sess_rfidrfidrfidrfidrfid';
  await world.db.pool.query(`INSERT INTO sessions (id, station_id, connector_id, id_tag, origin, status, transaction_id) VALUES ($1, $2, 1, 'CARD-9', 'charger', 'charging', 77)`, [sessionId, stationId]);
  await world.run(async () => {
    await world.events.transactionStarted(startedEvent(sessionId, { stationInitiated: true, transactionId: 77, idTag: 'CARD-9', meterStartWh: 1000 }));
    // A replay of the same StartTransaction (the charger never saw the answer) changes nothing.
    await world.events.transactionStarted(startedEvent(sessionId, { stationInitiated: true, transactionId: 77, idTag: 'CARD-9', meterStartWh: 1000 }));
    await stateWhere(sessionId, (s) => s.status === 'charging');
    expect(world.gateway.calls.some((c) => c.command === 'remoteStartTransaction')).toBe(false);
    await world.events.transactionStopped({ sessionId, stationId, transactionId: 77, meterStopWh: 11000, timestamp: '2026-11-24T11:00:00.000Z', reason: 'EVDisconnected' });
    const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
    expect(receipt).toMatchObject({ status: 'completed', stop_reason: 'EVDisconnected', energy_kwh_exact: '10', total_cost_exact: '2.50', flags: [] });
  });
});

test('a driver energy limit stops the session by itself', async () => {
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession({ ...startRequest, limits: { maxEnergyKwh: '1' } });
    await world.events.transactionStarted(startedEvent(sessionId));
    stopConfirmedBy(155300);
    await world.events.meterValues([{ sessionId, stationId, connectorId: 1, transactionId: 41, readings: [{ timestamp: '2026-11-24T10:10:00.000Z', energyWh: '155250' }] }]);
    const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
    expect(receipt).toMatchObject({ status: 'completed', stop_reason: 'energy limit of 1 kWh reached', energy_kwh_exact: '1.1', total_cost_exact: '0.28' });
    expect(world.gateway.calls.filter((c) => c.command === 'remoteStopTransaction')).toHaveLength(1);
  });
});

test('a meter that goes backwards never yields a negative bill: flagged for review', async () => {
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession(startRequest);
    await world.events.transactionStarted(startedEvent(sessionId));
    await world.events.transactionStopped({ sessionId, stationId, transactionId: 41, meterStopWh: 100, timestamp: '2026-11-24T10:30:00.000Z', reason: 'Local' });
    const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
    expect(receipt.flags).toContain('meter_went_backwards');
    expect(receipt.total_cost_exact).toBe('0.00');
    expect(receipt.energy_kwh).toBe(0);
  });
});

test('the charger vanishes before the stop: the session waits the grace period, then ends interrupted, billed to the last reading', async () => {
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession(startRequest);
    await world.events.transactionStarted(startedEvent(sessionId));
    await world.events.meterValues([{ sessionId, stationId, connectorId: 1, transactionId: 41, readings: [{ timestamp: '2026-11-24T10:10:00.000Z', energyWh: '156200' }] }]);
    await world.events.chargerConnection({ sessionId, stationId, online: false, connectionEpoch: 2, at: '2026-11-24T10:11:00.000Z' });
    await stateWhere(sessionId, (s) => !s.chargerOnline && s.energyKwh === '2');
    // The update alone: waiting for the result here would skip time through the grace period.
    const afterStop = await world.env.client.workflow.getHandle(sessionId).executeUpdate(requestStopUpdate, { args: [{ requestedBy: 'driver' }] });
    expect(afterStop.status).toBe('stopping');
    const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
    expect(receipt).toMatchObject({ status: 'interrupted', energy_kwh_exact: '2', total_cost_exact: '0.50', meter_stop: null });
    expect(receipt.flags).toContain('interrupted');
    expect(receipt.failure_reason).toMatch(/offline grace period/);
    expect(world.gateway.calls.some((c) => c.command === 'remoteStopTransaction')).toBe(false);
  });
});

test('offline at stop, back within the grace period: its queued StopTransaction completes the session', async () => {
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession(startRequest);
    await world.events.transactionStarted(startedEvent(sessionId));
    await world.events.chargerConnection({ sessionId, stationId, online: false, connectionEpoch: 2, at: '2026-11-24T10:11:00.000Z' });
    await stateWhere(sessionId, (s) => !s.chargerOnline);
    const afterStop = await world.env.client.workflow.getHandle(sessionId).executeUpdate(requestStopUpdate, { args: [{ requestedBy: 'operator' }] });
    expect(afterStop.status).toBe('stopping');
    // An older connection's event arriving late never overrides the newer one.
    await world.events.chargerConnection({ sessionId, stationId, online: true, connectionEpoch: 1, at: '2026-11-24T10:10:00.000Z' });
    await world.events.chargerConnection({ sessionId, stationId, online: true, connectionEpoch: 3, at: '2026-11-24T10:20:00.000Z' });
    await world.events.transactionStopped({ sessionId, stationId, transactionId: 41, meterStopWh: 156700, timestamp: '2026-11-24T10:12:00.000Z', reason: 'Local' });
    const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
    expect(receipt).toMatchObject({ status: 'completed', total_cost_exact: '0.63', stop_reason: 'stopped by operator' });
  });
});

test('RemoteStop unanswered: retried, then the session waits for StopTransaction and ends interrupted if it never comes', async () => {
  world.gateway.answers.remoteStopTransaction = notConnected;
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession(startRequest);
    await world.events.transactionStarted(startedEvent(sessionId));
    await world.env.client.workflow.getHandle(sessionId).executeUpdate(requestStopUpdate, { args: [{ requestedBy: 'driver' }] });
    const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
    expect(world.gateway.calls.filter((c) => c.command === 'remoteStopTransaction').length).toBeGreaterThanOrEqual(3);
    expect(receipt.status).toBe('interrupted');
  });
});

test('a charger that cannot report SoC charges on without it, and the reason is recorded', async () => {
  world.gateway.answers.changeConfiguration = async () => ({ status: 'NotSupported' });
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession(startRequest);
    await world.events.transactionStarted(startedEvent(sessionId));
    const state = await stateWhere(sessionId, (s) => s.socReporting.status !== 'unknown');
    expect(state.socReporting.status).toBe('not_supported');
    expect(state.status).toBe('charging');
  });
});

test('watch reports the state at once and each change, and ends with the session', async () => {
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession(startRequest);
    const seen: SessionState[] = [];
    const watching = world.sessions.watch(sessionId, (s) => seen.push(s), new AbortController().signal);
    while (seen.length === 0) await delay(10); // the state at once, before anything changes it
    await world.events.transactionStarted(startedEvent(sessionId));
    // The watcher polls, so it reports a state that lasts at least one poll: hold charging until it has.
    for (let i = 0; i < 200 && !seen.some((s) => s.status === 'charging'); i++) await delay(25);
    await world.events.transactionStopped({ sessionId, stationId, transactionId: 41, meterStopWh: 156700, timestamp: '2026-11-24T10:30:00.000Z', reason: 'Local' });
    await watching;
    const statuses = seen.map((s) => s.status);
    expect(statuses[0]).toBe('awaiting_plug_in');
    expect(statuses).toContain('charging');
    expect(statuses.at(-1)).toBe('completed');
  });
});

test('SoC already in MeterValuesSampledData: nothing is changed on the charger', async () => {
  world.gateway.answers.getConfiguration = async () => ({
    configurationKey: [{ key: 'MeterValuesSampledData', readonly: false, value: 'Energy.Active.Import.Register,SoC,Power.Active.Import' }],
    unknownKey: [],
  });
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession(startRequest);
    await world.events.transactionStarted(startedEvent(sessionId));
    const state = await stateWhere(sessionId, (s) => s.socReporting.status !== 'unknown');
    expect(state.socReporting.status).toBe('already_enabled');
    expect(world.gateway.calls.some((c) => c.command === 'changeConfiguration')).toBe(false);
  });
});

test('a duplicated StopTransaction is billed once', async () => {
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession(startRequest);
    await world.events.transactionStarted(startedEvent(sessionId));
    const stop = { sessionId, stationId, transactionId: 41, meterStopWh: 156700, timestamp: '2026-11-24T10:30:00.000Z', reason: 'Local' };
    await world.events.transactionStopped(stop);
    await world.events.transactionStopped({ ...stop, meterStopWh: 170000 }); // a late duplicate with another reading
    const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
    expect(receipt).toMatchObject({ meter_stop: 156700, total_cost_exact: '0.63' });
    const { rows } = await world.db.pool.query('SELECT count(*)::int AS n FROM receipts WHERE session_id = $1', [sessionId]);
    expect(rows[0].n).toBe(1);
  });
});

test('concurrent starts on one connector: exactly one wins, the others are told it is busy', async () => {
  await world.run(async () => {
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => world.sessions.startSession(startRequest)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refusals = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason.code);
    expect(refusals).toEqual(['connector_busy', 'connector_busy', 'connector_busy', 'connector_busy']);
    expect(world.gateway.calls.filter((c) => c.command === 'remoteStartTransaction')).toHaveLength(1);
  });
});

test('a 12-hour session continues as new along the way and still bills exactly; its histories replay deterministically', async () => {
  const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: temporalTestServerPath() } } });
  const longWorld = await createSessionWorld(env);
  try {
    const sessionId = 'sess_twelvehourstwelveho';
    await longWorld.db.pool.query(`INSERT INTO sessions (id, station_id, connector_id, id_tag, origin, status) VALUES ($1, $2, 1, 'CARD-1', 'charger', 'charging')`, [sessionId, stationId]);
    await longWorld.run(async () => {
      const at = async () => new Date(await env.currentTimeMs()).toISOString();
      const begin = startedEvent(sessionId, { stationInitiated: true, transactionId: 7, idTag: 'CARD-1', meterStartWh: 0, timestamp: await at() });
      const handle = await env.client.workflow.start(chargingSession, {
        workflowId: sessionId,
        taskQueue: longWorld.config.TEMPORAL_TASK_QUEUE,
        args: [{ sessionId, stationId, connectorId: 1, idTag: 'CARD-1', driverId: null, origin: 'charger', timings: sessionTimingsFromConfig(longWorld.config), started: begin, historyLimit: 60 }],
      });
      // Four readings an hour for twelve hours, 1 kWh each.
      for (let reading = 1; reading <= 48; reading++) {
        await env.sleep('15 minutes');
        await longWorld.events.meterValues([{ sessionId, stationId, connectorId: 1, transactionId: 7, readings: [{ timestamp: await at(), energyWh: String(reading * 1000) }] }]);
      }
      await longWorld.events.transactionStopped({ sessionId, stationId, transactionId: 7, meterStopWh: 48000, timestamp: await at(), reason: 'EVDisconnected' });
      const receipt: Receipt = await env.client.workflow.getHandle(sessionId).result();
      expect(receipt).toMatchObject({ status: 'completed', energy_kwh_exact: '48', total_cost_exact: '12.00', flags: [] });
      expect(Date.parse(receipt.end_time!) - Date.parse(receipt.start_time!)).toBeGreaterThanOrEqual(12 * 3600_000);

      // It ran as several runs: the last one is not the first.
      const last = await env.client.workflow.getHandle(sessionId).describe();
      expect(last.runId).not.toBe(handle.firstExecutionRunId);

      // Replaying the recorded histories with today's workflow code gives no non-determinism.
      for (const runId of [handle.firstExecutionRunId, last.runId]) {
        const history = await env.client.workflow.getHandle(sessionId, runId).fetchHistory();
        await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, sessionId);
      }
    });
  } finally {
    await longWorld.close();
    await env.teardown();
  }
});

test('a reading stamped long before the transaction began is flagged as clock skew, and still counts only by its register', async () => {
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession(startRequest);
    await world.events.transactionStarted(startedEvent(sessionId));
    await world.events.meterValues([{ sessionId, stationId, connectorId: 1, transactionId: 41, readings: [{ timestamp: '2025-01-01T00:00:00.000Z', energyWh: '155200' }] }]);
    const state = await stateWhere(sessionId, (s) => s.energyKwh === '1');
    expect(state.flags).toEqual(['clock_skew']);
  });
});
