/**
 * A site world on the time-skipping Temporal server and a real PostgreSQL: the real session
 * worker (site workflow, its PostgreSQL reads), the real site service and its Temporal link, and
 * a scripted gateway (a worker on the gateway's task queue) answering SetChargingProfile the way
 * each test says. It keeps, per station, the limit a charger would hold (its maximum until it
 * accepts one) and records every raise accepted while the site's limit was exceeded.
 */
import { ApplicationFailure } from '@temporalio/common';
import { Client } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { loadConfig, type Config } from '../../../src/config/config';
import { createLogger } from '../../../src/logger';
import { ampsToWatts } from '../../../src/ocpp/charging-rate';
import { ChargerCommandErrors, gatewayTaskQueue, type ChargerCommandActivities } from '../../../src/ocpp/charger-commands';
import { SiteService } from '../../../src/sites/site-service';
import { createTemporalSiteLoadManager } from '../../../src/sites/temporal-site-load-manager';
import { createSessionWorker } from '../../../src/worker/session-worker';
import { siteAllocationQuery, siteSessionChargingSignal, siteSessionEndedSignal, siteWorkflowId, type SiteAllocationView, type SiteTimings } from '../../../workflows/site-messages';
import { createTestDatabase, type TestDatabase } from '../../support/database';
import { createDevServerEnv, createTimeSkippingEnv, workflowBundle, type TemporalTestEnv } from '../../support/temporal';
import { scriptedGateway } from '../../sessions/support/session-harness';

export type ProfileAnswer = 'Accepted' | 'Rejected' | 'NotSupported' | 'callerror' | 'silent';

export interface ProfileCall {
  stationId: string;
  connectorId: number;
  transactionId: number | undefined;
  limit: number;
  unit: 'W' | 'A';
  /** The limit in W on the station's wiring (3 × 230 V). */
  limitW: number;
  answer: ProfileAnswer;
  stackLevel: number;
  chargingProfileId: number;
  purpose: string;
}

export interface SiteStation {
  id: string;
  maxPowerKw?: string;
  /** ChargingScheduleAllowedChargingRateUnit as the station reported it (default Current,Power). */
  units?: string;
}

export interface SiteWorld {
  env: TemporalTestEnv;
  db: TestDatabase;
  config: Config;
  sites: SiteService;
  calls: ProfileCall[];
  /** Per station: how the scripted charger answers SetChargingProfile (default Accepted). */
  answers: Map<string, ProfileAnswer>;
  /** Per station: the limit in force on the charger, W. */
  inForce: Map<string, number>;
  /** Raises accepted while the site's limit (`siteLimitW`) was exceeded with them. */
  violations: string[];
  siteLimitW: number;
  addStations(stations: SiteStation[]): Promise<void>;
  createSite(siteId: string, limitKw: string, stations: SiteStation[], extra?: { timeZone?: string; limitWindows?: Array<{ from: string; to: string; limitKw: string }> }): Promise<void>;
  charging(siteId: string, stationId: string, transactionId: number, maxPowerKw?: string): Promise<void>;
  ended(siteId: string, stationId: string, transactionId: number): Promise<void>;
  allocation(siteId: string): Promise<SiteAllocationView>;
  /** Polls (without skipping time) until the site's view satisfies `accept`. */
  until(siteId: string, what: string, accept: (v: SiteAllocationView) => boolean, timeoutMs?: number): Promise<SiteAllocationView>;
  /** The limits in force on these stations, W. */
  limits(stationIds: string[]): number[];
  reading(stationId: string, transactionId: number, powerW: number): Promise<void>;
  restartWorker(): Promise<void>;
  /**
   * Ends every session the sites were told of and waits for the sites to be idle (no timers left
   * to run through later tests' skipped time). Terminating them instead could cut a workflow task
   * short, and the time-skipping server then never skips again.
   */
  endSites(): Promise<void>;
  close(): Promise<void>;
}

const threePhase = { phases: 3 as const, voltageV: 230 };

export async function createSiteWorld(
  timings: Partial<Record<keyof SiteTimings, string>> = {},
  options: { temporal?: 'time-skipping' | 'dev-server' } = {},
): Promise<SiteWorld> {
  // A worker replaced mid-session needs the real dev server: the time-skipping one does not hand a
  // sticky workflow to the next worker.
  const env: TemporalTestEnv = options.temporal === 'dev-server' ? await createDevServerEnv() : await createTimeSkippingEnv();
  const db = await createTestDatabase();
  const suffix = Math.random().toString(36).slice(2, 8);
  const taskQueue = `sites-${suffix}`;
  const gatewayId = `gw-${suffix}`;
  const config = loadConfig({
    OPERATOR_TOKEN: 'o'.repeat(32),
    TEMPORAL_TASK_QUEUE: taskQueue,
    LOG_LEVEL: 'warn',
    SITE_POLL_INTERVAL_MS: timings.pollIntervalMs ?? '5000',
    SITE_OFFLINE_GRACE_MS: timings.offlineGraceMs ?? '600000',
    SITE_RETRY_FAILED_MS: timings.retryFailedMs ?? '300000',
    SITE_COMMAND_TIMEOUT_MS: timings.commandTimeoutMs ?? '5000',
  });
  const logger = createLogger(config);
  const client = new Client({ connection: env.connection, namespace: 'default' });
  const siteTimings: SiteTimings = {
    pollIntervalMs: config.SITE_POLL_INTERVAL_MS,
    offlineGraceMs: config.SITE_OFFLINE_GRACE_MS,
    retryFailedMs: config.SITE_RETRY_FAILED_MS,
    commandTimeoutMs: config.SITE_COMMAND_TIMEOUT_MS,
    commandMaxAttempts: 2,
  };
  const sites = new SiteService({ pool: db.pool, loadManager: createTemporalSiteLoadManager({ client, taskQueue, timings: siteTimings }) });

  const calls: ProfileCall[] = [];
  const answers = new Map<string, ProfileAnswer>();
  const inForce = new Map<string, number>();
  const maxW = new Map<string, number>();
  const siteOfStation = new Map<string, string>();
  const violations: string[] = [];
  const gateway = scriptedGateway();
  const activities: ChargerCommandActivities = {
    ...gateway.answers,
    async setChargingProfile(req) {
      const p = req.csChargingProfiles;
      const period = p.chargingSchedule.chargingSchedulePeriod[0];
      const unit = p.chargingSchedule.chargingRateUnit;
      const limitW = unit === 'A' ? ampsToWatts(period.limit, threePhase) : period.limit;
      const answer = answers.get(req.stationId) ?? 'Accepted';
      calls.push({ stationId: req.stationId, connectorId: req.connectorId, transactionId: p.transactionId, limit: period.limit, unit, limitW, answer, stackLevel: p.stackLevel, chargingProfileId: p.chargingProfileId, purpose: p.chargingProfilePurpose });
      if (answer === 'silent') throw ApplicationFailure.retryable(`${req.stationId} did not answer`, ChargerCommandErrors.ResponseTimeout);
      if (answer === 'callerror') throw ApplicationFailure.nonRetryable('NotImplemented', ChargerCommandErrors.CallError, { errorCode: 'NotImplemented', errorDescription: 'no smart charging' });
      if (answer !== 'Accepted') return { status: answer };
      const before = inForce.get(req.stationId) ?? maxW.get(req.stationId)!;
      inForce.set(req.stationId, limitW);
      const site = siteOfStation.get(req.stationId);
      const sum = [...inForce.entries()].filter(([id]) => siteOfStation.get(id) === site).reduce((a, [, w]) => a + w, 0);
      if (limitW > before && sum > world.siteLimitW) violations.push(`${req.stationId} raised ${before} → ${limitW} W with ${sum} W in force on a ${world.siteLimitW} W site`);
      return { status: 'Accepted' };
    },
  };

  const startSessionWorker = async () => {
    const worker = await createSessionWorker({ connection: env.nativeConnection, namespace: 'default', taskQueue, pool: db.pool, logger, config, workflowBundle: await workflowBundle() });
    return { worker, running: worker.run() };
  };
  let sessionWorker = await startSessionWorker();
  const gatewayWorker = await Worker.create({ connection: env.nativeConnection, namespace: 'default', taskQueue: gatewayTaskQueue(gatewayId), activities });
  const gatewayRunning = gatewayWorker.run();
  const siteIds: string[] = [];
  const stopped: Promise<void>[] = [];

  const world: SiteWorld = {
    env,
    db,
    config,
    sites,
    calls,
    answers,
    inForce,
    violations,
    siteLimitW: Infinity,
    async addStations(stations) {
      for (const s of stations) {
        await db.pool.query(`INSERT INTO chargers (id, online, gateway_id, connection_epoch, booted_at) VALUES ($1, TRUE, $2, 1, now())`, [s.id, gatewayId]);
        await db.pool.query(`INSERT INTO station_configuration (station_id, keys) VALUES ($1, $2)`, [
          s.id,
          JSON.stringify([{ key: 'ChargingScheduleAllowedChargingRateUnit', readonly: true, value: s.units ?? 'Current,Power' }]),
        ]);
        maxW.set(s.id, s.maxPowerKw ? Number(s.maxPowerKw) * 1000 : ampsToWatts(32, threePhase));
      }
    },
    async createSite(siteId, limitKw, stations, extra = {}) {
      await world.addStations(stations);
      await sites.createSite({ id: siteId, name: siteId, timeZone: extra.timeZone ?? 'UTC', limitKw, limitWindows: extra.limitWindows ?? [] });
      for (const s of stations) {
        await sites.assignStation(siteId, s.id, s.maxPowerKw ?? null);
        siteOfStation.set(s.id, siteId);
      }
      world.siteLimitW = Number(limitKw) * 1000;
      siteIds.push(siteId);
    },
    async charging(siteId, stationId, transactionId, maxPowerKw) {
      // The charger charges at its own maximum until the site's profile is in force.
      inForce.set(stationId, Math.min(maxW.get(stationId)!, maxPowerKw ? Number(maxPowerKw) * 1000 : Infinity));
      await client.workflow.getHandle(siteWorkflowId(siteId)).signal(siteSessionChargingSignal, {
        sessionId: `sess_${stationId}_${transactionId}`,
        stationId,
        connectorId: 1,
        transactionId,
        maxPowerKw: maxPowerKw ?? null,
      });
    },
    async ended(siteId, stationId, transactionId) {
      inForce.delete(stationId);
      await client.workflow.getHandle(siteWorkflowId(siteId)).signal(siteSessionEndedSignal, { sessionId: `sess_${stationId}_${transactionId}`, stationId, connectorId: 1, transactionId });
    },
    allocation: (siteId) => client.workflow.getHandle(siteWorkflowId(siteId)).query(siteAllocationQuery),
    async until(siteId, what, accept, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      let last: SiteAllocationView | undefined;
      for (;;) {
        last = await world.allocation(siteId);
        if (accept(last)) return last;
        if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms; last: ${JSON.stringify(last).slice(0, 1500)}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    limits: (stationIds) => stationIds.map((id) => inForce.get(id) ?? 0),
    async reading(stationId, transactionId, powerW) {
      await db.pool.query(
        `INSERT INTO meter_samples (station_id, connector_id, transaction_id, timestamp, measurand, unit, value) VALUES ($1, 1, $2, now(), 'Power.Active.Import', 'W', $3)`,
        [stationId, transactionId, String(powerW)],
      );
    },
    async restartWorker() {
      // The new worker replays the site's workflow from its history (the old one's cache is gone with it).
      sessionWorker.worker.shutdown();
      await sessionWorker.running;
      sessionWorker = await startSessionWorker();
    },
    async endSites() {
      for (const siteId of siteIds) {
        const view = await world.allocation(siteId);
        for (const s of view.sessions) await world.ended(siteId, s.stationId, s.transactionId);
        await world.until(siteId, 'the site idle', (v) => v.sessions.length === 0);
      }
    },
    async close() {
      await world.endSites();
      await Promise.all(siteIds.map((id) => client.workflow.getHandle(siteWorkflowId(id)).terminate('test over').catch(() => undefined)));
      sessionWorker.worker.shutdown();
      gatewayWorker.shutdown();
      await Promise.all([sessionWorker.running, gatewayRunning, ...stopped]);
      await db.drop();
      await env.teardown();
    },
  };
  return world;
}
