/**
 * The changeAvailability workflow on the time-skipping Temporal server with real PostgreSQL and
 * the session worker's real activities (the station's answers scripted on the gateway's queue):
 * what the station took is recorded even when PostgreSQL refuses the write for a while, and a
 * Rejected answer or a CALLERROR records nothing.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ChargerCommandErrors } from '../../src/ocpp/charger-commands';
import { changeAvailability } from '../../workflows/change-availability';
import { createSessionWorld, stationId, type SessionWorld } from '../sessions/support/session-harness';
import { ApplicationFailure } from '@temporalio/common';

describe('changeAvailability workflow', () => {
  let world: SessionWorld;
  beforeAll(async () => {
    world = await createSessionWorld();
  });
  afterAll(async () => {
    await world?.close();
  });

  const policy = { commandTimeoutMs: 5_000, commandMaxAttempts: 1 };
  const start = (id: string, connectorId: number, type: 'Operative' | 'Inoperative') =>
    world.env.client.workflow.start(changeAvailability, { workflowId: id, taskQueue: world.config.TEMPORAL_TASK_QUEUE, args: [{ stationId, connectorId, type, policy }] });
  const recorded = async () =>
    (await world.db.pool.query('SELECT connector_id, requested, scheduled FROM connector_availability WHERE station_id = $1 ORDER BY connector_id', [stationId])).rows;

  it('records a Scheduled answer once PostgreSQL takes the write again, and answers only then', async () => {
    world.gateway.answers.changeAvailability = async () => ({ status: 'Scheduled' });
    await world.run(async () => {
      // The table is out of reach (as during an outage): the write fails and is retried.
      await world.db.pool.query('ALTER TABLE connector_availability RENAME TO connector_availability_away');
      let settled = false;
      const handle = await start('avail-outage', 1, 'Inoperative');
      const result = handle.result().finally(() => (settled = true));
      await delay(1_500);
      expect(settled).toBe(false);
      await world.db.pool.query('ALTER TABLE connector_availability_away RENAME TO connector_availability');
      expect(await result).toEqual({ ok: true, result: { status: 'Scheduled' } });
    });
    expect(await recorded()).toEqual([{ connector_id: 1, requested: 'Inoperative', scheduled: true }]);
  });

  it('connector 0 replaces the connectors\' own requests; Rejected and a CALLERROR record nothing', async () => {
    world.gateway.answers.changeAvailability = async () => ({ status: 'Accepted' });
    await world.run(async () => {
      expect(await (await start('avail-station', 0, 'Operative')).result()).toEqual({ ok: true, result: { status: 'Accepted' } });
      expect(await recorded()).toEqual([{ connector_id: 0, requested: 'Operative', scheduled: false }]);

      world.gateway.answers.changeAvailability = async () => ({ status: 'Rejected' });
      expect(await (await start('avail-rejected', 0, 'Inoperative')).result()).toEqual({ ok: true, result: { status: 'Rejected' } });
      world.gateway.answers.changeAvailability = async () => {
        throw ApplicationFailure.nonRetryable('InternalError', ChargerCommandErrors.CallError, { errorCode: 'InternalError', errorDescription: 'boom', errorDetails: {} });
      };
      expect(await (await start('avail-callerror', 0, 'Inoperative')).result()).toMatchObject({ ok: false, code: ChargerCommandErrors.CallError, errorCode: 'InternalError' });
    });
    expect(await recorded()).toEqual([{ connector_id: 0, requested: 'Operative', scheduled: false }]);
  });
});
