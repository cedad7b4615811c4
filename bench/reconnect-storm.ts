/**
 * 5. Reconnect storm: registered chargers all connecting to one gateway at once; how long until
 * every one is authenticated, booted (its BootNotification answered) and routed (recorded online
 * on this gateway). A charger refused or not in by the budget counts as not in.
 * - cold: passwords hashed at the production scrypt cost, as the API stores them, and a gateway
 *   that has just started (a restart or a deploy): every charger costs a scrypt run;
 * - warm: the same gateway verified every charger before (a network blip, a load balancer
 *   dropping its connections): each is answered from VerifiedPasswords, an HMAC. The chargers'
 *   first connections (not measured) use a cheaper stored hash, only so the bench need not spend
 *   minutes of scrypt filling the gateway's memory; the measured reconnect never runs scrypt.
 */
import path from 'node:path';
import type { Pool } from 'pg';
import { hashPassword } from '../src/security/password';
import { startChild } from './support/children';
import { closeClients, openClient, openClients, type LoadClient } from './support/meter-load';
import { cheapPasswordHash, seedChargers } from './support/seed';
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
  /** Connections that failed and were tried again (after 1 s, as a charger does), and the first failure. */
  retries: number;
  firstError?: string;
}

export async function benchReconnectStorm(options: { databaseUrl: string; pool: Pool; chargers: number; inFlight: number; budgetMs: number; warm?: boolean }): Promise<ReconnectStormResult> {
  const password = 'bench-storm-password';
  const prefix = options.warm ? 'WARM' : 'STORM';
  // One more than measured: the first warms the gateway.
  const ids = Array.from({ length: options.chargers + 1 }, (_, i) => `${prefix}_${i + 1}`);
  // One hash for all: the gateway's check costs the same per charger either way.
  await seedChargers(options.pool, ids, options.warm ? cheapPasswordHash(password) : await hashPassword(password));
  const gateway = await startChild<{ url: string }>(path.join(__dirname, `gateway-process${path.extname(__filename)}`), {
    env: { BENCH_DATABASE_URL: options.databaseUrl, BENCH_HEARTBEAT_S: '300' },
  });
  try {
    // A first connection warms the gateway (and measures nothing); warm: every charger's.
    await closeClients(await openClients(gateway.ready.url, options.warm ? ids : ids.slice(0, 1), password));
    if (options.warm) await waitUntilOffline(options.pool, prefix);
    const started = performance.now();
    const inTime = ids.slice(1);
    const clients: LoadClient[] = [];
    let lastBootAt = started;
    let next = 0;
    let retries = 0;
    let firstError: string | undefined;
    const left = () => options.budgetMs - (performance.now() - started);
    await Promise.all(
      Array.from({ length: Math.min(options.inFlight, inTime.length) }, async () => {
        while (next < inTime.length && left() > 0) {
          const id = inTime[next++];
          // A refused or failed connection is tried again after 1 s, as a charger would, within the budget.
          for (let attempt = 1; left() > 0; attempt++) {
            if (attempt > 1) (retries++, await sleep(1_000));
            const client = await Promise.race([
              openClient(gateway.ready.url, id, password).catch((err: Error) => void (firstError ??= err.message)),
              sleep(Math.max(0, left())).then(() => undefined),
            ]);
            if (client) {
              clients.push(client);
              lastBootAt = performance.now();
              break;
            }
          }
        }
      }),
    );
    // Routing (recorded online on this gateway) follows the boot in the background: wait for it, within the budget.
    const booted = clients.length;
    const routedCount = async () =>
      (await options.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM chargers WHERE online AND id LIKE $2 AND id <> $1`, [ids[0], `${prefix}\\_%`])).rows[0].n;
    let routed = await routedCount();
    while (routed < booted && performance.now() - started < options.budgetMs) {
      await sleep(50);
      routed = await routedCount();
    }
    const seconds = (Math.max(lastBootAt, performance.now()) - started) / 1000;
    await closeClients(clients);
    return { retries, firstError, chargers: inTime.length, booted, routed, seconds: round(seconds, 1), perSecond: round(booted / seconds, 1), inFlight: options.inFlight };
  } finally {
    await gateway.stop();
  }
}

/** The gateway has seen every connection of the warm-up close (so none is counted online from before). */
async function waitUntilOffline(pool: Pool, prefix: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM chargers WHERE online AND id LIKE $1`, [`${prefix}\\_%`]);
    if (rows[0].n === 0) return;
    await sleep(100);
  }
  throw new Error('warm-up connections still online after 60 s');
}
