/**
 * A site of 100 chargers under load management on the dev server: how fast a session's start,
 * and its stop, is reflected in every charger's profile (from the signal to the site's workflow
 * until the last charger that needed a new limit has accepted it). The real session worker runs
 * the site's workflow in this process; a scripted gateway worker answers SetChargingProfile at
 * once, so the figure is the workflow's path (rounds: lowerings, answers, raises) and Temporal's,
 * not the chargers' round trips. Chargers of 50 kW on a 3 MW site: 100 sessions get 30 kW each, so
 * a start lowers the 99 others by 303 W and a stop raises them (above the 300 W the site ignores).
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../src/config/config';
import { createPool } from '../src/db/pool';
import { migrate } from '../src/db/migrate';
import { createLogger } from '../src/logger';
import { gatewayTaskQueue, type ChargerCommandActivities } from '../src/ocpp/charger-commands';
import { SiteService } from '../src/sites/site-service';
import { siteTimingsFromConfig } from '../src/sites/site-timings';
import { createTemporalSiteLoadManager } from '../src/sites/temporal-site-load-manager';
import { createSessionWorker } from '../src/worker/session-worker';
import { siteAllocationQuery, siteSessionChargingSignal, siteSessionEndedSignal, siteWorkflowId } from '../workflows/site-messages';
import { sleep, summarize } from './support/stats';

export interface SiteLoadResult {
  chargers: number;
  rounds: number;
  startMs: { n: number; p50: number; p99: number; max: number };
  stopMs: { n: number; p50: number; p99: number; max: number };
}

export async function benchSiteLoad(options: { databaseUrl: string; temporalAddress: string; namespace: string; chargers: number; rounds: number }): Promise<SiteLoadResult> {
  await migrate(options.databaseUrl);
  const pool = createPool(options.databaseUrl);
  const tag = Date.now().toString(36);
  const taskQueue = `bench-site-${tag}`;
  const gatewayId = `bench-site-gw-${tag}`;
  const config = loadConfig({ OPERATOR_TOKEN: 'b'.repeat(32), TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'silent' });
  const native = await NativeConnection.connect({ address: options.temporalAddress });
  const connection = await Connection.connect({ address: options.temporalAddress });
  const client = new Client({ connection, namespace: options.namespace });
  const ids = Array.from({ length: options.chargers }, (_, i) => `BSITE_${tag}_${i}`);
  const accepted = new Map<string, number>();
  const gateway: Pick<ChargerCommandActivities, 'setChargingProfile'> = {
    async setChargingProfile(req) {
      accepted.set(req.stationId, performance.now());
      return { status: 'Accepted' };
    },
  };
  const gatewayWorker = await Worker.create({ connection: native, namespace: options.namespace, taskQueue: gatewayTaskQueue(gatewayId), activities: gateway });
  const sessionWorker = await createSessionWorker({ connection: native, namespace: options.namespace, taskQueue, pool, logger: createLogger(config), config });
  const running = [gatewayWorker.run(), sessionWorker.run()];
  const siteId = `bench-${tag}`;
  const handle = client.workflow.getHandle(siteWorkflowId(siteId));
  try {
    for (const id of ids) {
      await pool.query('INSERT INTO chargers (id, online, gateway_id, connection_epoch, booted_at) VALUES ($1, TRUE, $2, 1, now())', [id, gatewayId]);
      await pool.query('INSERT INTO station_configuration (station_id, keys) VALUES ($1, $2)', [id, JSON.stringify([{ key: 'ChargingScheduleAllowedChargingRateUnit', readonly: true, value: 'Current,Power' }])]);
    }
    const sites = new SiteService({ pool, loadManager: createTemporalSiteLoadManager({ client, taskQueue, timings: siteTimingsFromConfig(config) }) });
    await sites.createSite({ id: siteId, name: 'bench', timeZone: 'UTC', limitKw: '3000', limitWindows: [] });
    for (const id of ids) await sites.assignStation(siteId, id, '50');

    let tx = 1;
    const charging = (id: string) => handle.signal(siteSessionChargingSignal, { sessionId: `s_${id}_${tx}`, stationId: id, connectorId: 1, transactionId: tx++, maxPowerKw: null });
    const transactionOf = new Map<string, number>();
    /** Until every named charger accepted a profile after `since`, and the site has nothing pending: the time it took. */
    const reflected = async (since: number, stations: string[]): Promise<number> => {
      for (;;) {
        const last = Math.max(...stations.map((id) => accepted.get(id) ?? Infinity));
        if (last !== Infinity && stations.every((id) => (accepted.get(id) ?? 0) > since)) {
          const view = await handle.query(siteAllocationQuery);
          if (view.sessions.every((s) => s.state === 'charging')) return last - since;
        }
        await sleep(5);
      }
    };
    // The site's 99 sessions.
    const resident = ids.slice(0, -1);
    for (const id of resident) {
      transactionOf.set(id, tx);
      await charging(id);
    }
    await reflected(0, resident);
    const newcomer = ids[ids.length - 1];
    const starts: number[] = [];
    const stops: number[] = [];
    for (let r = 0; r < options.rounds; r++) {
      const t0 = performance.now();
      const txId = tx;
      await charging(newcomer);
      starts.push(await reflected(t0, ids));
      const t1 = performance.now();
      await handle.signal(siteSessionEndedSignal, { sessionId: `s_${newcomer}_${txId}`, stationId: newcomer, connectorId: 1, transactionId: txId });
      stops.push(await reflected(t1, resident));
    }
    return { chargers: options.chargers, rounds: options.rounds, startMs: summarize(starts), stopMs: summarize(stops) };
  } finally {
    await handle.terminate('bench over').catch(() => undefined);
    gatewayWorker.shutdown();
    sessionWorker.shutdown();
    await Promise.allSettled(running);
    await connection.close();
    await native.close();
    await pool.end();
  }
}
