/**
 * 5. Reconnect storm: registered chargers (passwords hashed at the production scrypt cost, as the
 * API stores them) all connecting to one gateway at once, as after a gateway restart or a deploy;
 * how long until every one is authenticated, booted (its BootNotification answered) and routed
 * (recorded online on this gateway). A charger refused or not in by the budget counts as not in.
 */
import path from 'node:path';
import type { Pool } from 'pg';
import { hashPassword } from '../src/security/password';
import { startChild } from './support/children';
import { closeClients, openClient, openClients, type LoadClient } from './support/meter-load';
import { seedChargers } from './support/seed';
import { round, sleep } from './support/stats';

export interface ReconnectStormResult {
  chargers: number;
  /** Booted within the budget. */
  booted: number;
  /** Recorded online on this gateway afterwards. */
  routed: number;
  seconds: number;
  perSecond: number;
  /** How many connected at once. */
  inFlight: number;
}

export async function benchReconnectStorm(options: { databaseUrl: string; pool: Pool; chargers: number; inFlight: number; budgetMs: number }): Promise<ReconnectStormResult> {
  const password = 'bench-storm-password';
  const ids = Array.from({ length: options.chargers }, (_, i) => `STORM_${i + 1}`);
  // One production-cost hash for all: the gateway's check costs the same per charger either way.
  await seedChargers(options.pool, ids, await hashPassword(password));
  const gateway = await startChild<{ url: string }>(path.join(__dirname, `gateway-process${path.extname(__filename)}`), {
    env: { BENCH_DATABASE_URL: options.databaseUrl, BENCH_HEARTBEAT_S: '300' },
  });
  try {
    // A first connection warms the gateway (and measures nothing).
    await closeClients(await openClients(gateway.ready.url, ids.slice(0, 1), password));
    const started = performance.now();
    const inTime = ids.slice(1);
    const clients: LoadClient[] = [];
    let lastBootAt = started;
    let next = 0;
    await Promise.all(
      Array.from({ length: Math.min(options.inFlight, inTime.length) }, async () => {
        while (next < inTime.length && performance.now() - started < options.budgetMs) {
          const id = inTime[next++];
          // A refused or failed connection is a charger not in (a real one would retry later).
          const remaining = options.budgetMs - (performance.now() - started);
          const client = await Promise.race([openClient(gateway.ready.url, id, password).catch(() => undefined), sleep(remaining).then(() => undefined)]);
          if (client) clients.push(client), (lastBootAt = performance.now());
        }
      }),
    );
    const seconds = (lastBootAt - started) / 1000;
    const booted = clients.length;
    const { rows } = await options.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM chargers WHERE online AND id LIKE 'STORM\\_%' AND id <> $1`, [ids[0]]);
    await closeClients(clients);
    return { chargers: inTime.length, booted, routed: rows[0].n, seconds: round(seconds, 1), perSecond: round(booted / seconds, 1), inFlight: options.inFlight };
  } finally {
    await gateway.stop();
  }
}
