/**
 * 2. OCPP throughput: MeterValues acknowledged per second by one gateway process (strict schema
 * validation, persistence on, the session layer a counting no-op), and the same frames at the same
 * concurrency against a bare `ws` echo server.
 */
import path from 'node:path';
import type { Pool } from 'pg';
import { startChild } from './support/children';
import { closeClients, openClients, runMeterValuesLoad, type LoadResult } from './support/meter-load';
import { cheapPasswordHash, seedChargers, seedDriver } from './support/seed';

export interface ThroughputResult {
  gateway: LoadResult & { forwardedToSessionLayer: number; samplesStored: number };
  echo: LoadResult;
  ratio: number;
}

export async function benchOcppThroughput(options: { databaseUrl: string; pool: Pool; connections: number; warmupMs: number; measureMs: number; cpuProf?: string }): Promise<ThroughputResult> {
  const password = 'bench-load-password';
  const ids = Array.from({ length: options.connections }, (_, i) => `LOAD_${i + 1}`);
  await seedChargers(options.pool, ids, cheapPasswordHash(password));
  await seedDriver(options.pool, 'bench-load-driver', 'BENCHLOAD');

  const gateway = await startChild<{ url: string }>(path.join(__dirname, `gateway-process${path.extname(__filename)}`), {
    env: { BENCH_DATABASE_URL: options.databaseUrl, BENCH_HEARTBEAT_S: '300' },
    execArgv: options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProf}`] : [],
  });
  let gatewayResult: ThroughputResult['gateway'];
  let transactionIds: number[];
  try {
    const clients = await openClients(gateway.ready.url, ids, password);
    const order = new Map(ids.map((id, i) => [id, i]));
    clients.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    transactionIds = await Promise.all(
      clients.map(async (c) => {
        const reply = await c.call(`${c.id}-start`, JSON.stringify([2, `${c.id}-start`, 'StartTransaction', { connectorId: 1, idTag: 'BENCHLOAD', meterStart: 100000, timestamp: new Date().toISOString() }]));
        if (reply[0] !== 3) throw new Error(`StartTransaction refused: ${JSON.stringify(reply)}`);
        return (reply[2] as { transactionId: number }).transactionId;
      }),
    );
    const before = await gateway.request<{ meterValues: number }>('forwarded');
    const load = await runMeterValuesLoad(clients, transactionIds, options);
    const after = await gateway.request<{ meterValues: number }>('forwarded');
    await closeClients(clients);
    const { rows } = await options.pool.query<{ n: string }>(`SELECT count(*) AS n FROM meter_samples WHERE station_id LIKE 'LOAD\\_%'`);
    gatewayResult = { ...load, forwardedToSessionLayer: after.meterValues - before.meterValues, samplesStored: Number(rows[0].n) };
  } finally {
    await gateway.stop();
  }

  const echo = await startChild<{ url: string }>(path.join(__dirname, `echo-process${path.extname(__filename)}`));
  try {
    const clients = await openClients(echo.ready.url, ids, password);
    const order = new Map(ids.map((id, i) => [id, i]));
    clients.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    const load = await runMeterValuesLoad(clients, transactionIds, options);
    await closeClients(clients);
    return { gateway: gatewayResult, echo: load, ratio: Math.round((gatewayResult.perSecond / load.perSecond) * 1000) / 1000 };
  } finally {
    await echo.stop();
  }
}
