/**
 * 1. Connections: simulated chargers (BootNotification accepted, StatusNotifications sent,
 * heartbeating) held by one gateway process; the gateway's RSS before and after, per connection.
 */
import path from 'node:path';
import type { Pool } from 'pg';
import { SimulatedChargePoint } from '../src/simulator/charge-point';
import { startChild } from './support/children';
import { cheapPasswordHash, seedChargers } from './support/seed';
import { mb, pool as inParallel, round } from './support/stats';

export interface ConnectionsResult {
  /** Chargers held at the end. */
  chargers: number;
  failures: number;
  /** Gateway RSS at each step (after GC), MB. */
  steps: { chargers: number; rssMb: number; heapUsedMb: number; connectPerSecond: number }[];
  rssBeforeMb: number;
  rssAfterMb: number;
  kbPerConnection: number;
  /** Heartbeats answered by all chargers in one round, and how long that round took. */
  heartbeatRound: { answered: number; ms: number };
  stoppedBy: string;
  note: string;
}

export async function benchConnections(options: { databaseUrl: string; pool: Pool; steps: number[]; budgetMs: number }): Promise<ConnectionsResult> {
  const password = 'bench-connection-password';
  const max = Math.max(...options.steps);
  const ids = Array.from({ length: max }, (_, i) => `CONN_${i + 1}`);
  await seedChargers(options.pool, ids, cheapPasswordHash(password));

  const gateway = await startChild<{ url: string }>(path.join(__dirname, `gateway-process${path.extname(__filename)}`), {
    env: { BENCH_DATABASE_URL: options.databaseUrl, BENCH_HEARTBEAT_S: '30' },
  });
  const chargePoints: SimulatedChargePoint[] = [];
  let failures = 0;
  let stoppedBy = 'all steps done';
  const steps: ConnectionsResult['steps'] = [];
  try {
    const before = await gateway.request<NodeJS.MemoryUsage>('memory');
    const started = Date.now();
    for (const step of options.steps) {
      if (Date.now() - started > options.budgetMs) {
        stoppedBy = `time budget (${options.budgetMs / 1000} s) reached before ${step}`;
        break;
      }
      const from = chargePoints.length;
      const stepStart = Date.now();
      await inParallel(step - from, 50, async (i) => {
        const cp = new SimulatedChargePoint({ url: gateway.ready.url, chargePointId: ids[from + i], password, connectors: 1, callTimeoutMs: 60_000 });
        try {
          await cp.connect();
          chargePoints.push(cp);
        } catch {
          failures++;
          await cp.close().catch(() => undefined);
        }
      });
      const connectPerSecond = round(((step - from) / (Date.now() - stepStart)) * 1000, 0);
      // Let the connection bookkeeping (routing, connection events) settle before measuring.
      await new Promise((r) => setTimeout(r, 1000));
      const m = await gateway.request<NodeJS.MemoryUsage>('memory');
      steps.push({ chargers: chargePoints.length, rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), connectPerSecond });
      console.log(`  connections: ${chargePoints.length} held, gateway RSS ${mb(m.rss)} MB (${connectPerSecond} connects/s)`);
      if (failures > 0) {
        stoppedBy = `${failures} connection failures at step ${step}`;
        break;
      }
    }
    // Every charger heartbeats once (on top of its 30 s timer), all at once.
    const hbStart = Date.now();
    const answered = (await Promise.allSettled(chargePoints.map((cp) => cp.heartbeat()))).filter((r) => r.status === 'fulfilled').length;
    const heartbeatRound = { answered, ms: Date.now() - hbStart };
    const after = await gateway.request<NodeJS.MemoryUsage>('memory');
    return {
      chargers: chargePoints.length,
      failures,
      steps,
      rssBeforeMb: mb(before.rss),
      rssAfterMb: mb(after.rss),
      kbPerConnection: chargePoints.length ? round((after.rss - before.rss) / 1024 / chargePoints.length, 1) : NaN,
      heartbeatRound,
      stoppedBy,
      note: 'charger passwords hashed with scrypt N=1024 (production N=16384) so connecting is not bound by the password check; RSS after two GCs',
    };
  } finally {
    await inParallel(chargePoints.length, 200, (i) => chargePoints[i].close().catch(() => undefined));
    await gateway.stop();
  }
}
