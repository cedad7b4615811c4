/**
 * 2b. MeterValues acknowledged per second on the full stack: the same load clients and frames as
 * the gateway-only measurement, but against the production roles with every connection in a
 * charging session (each StartTransaction is charger-initiated, so the gateway starts its
 * session workflow), strict validation, persistence and delivery to the workflows all on.
 */
import type { Pool } from 'pg';
import { closeClients, openClients, runMeterValuesLoad, type LoadResult } from './support/meter-load';
import { cheapPasswordHash, seedChargers, seedDriver } from './support/seed';
import { startStack, type StackTarget } from './support/stack';

export interface FullStackThroughputResult extends LoadResult {
  /** Sessions running while the load ran (one per connection). */
  sessions: number;
}

export async function benchFullStackThroughput(target: StackTarget & { pool: Pool; connections: number; warmupMs: number; measureMs: number; cpuProf?: string }): Promise<FullStackThroughputResult> {
  const password = 'bench-full-stack-password';
  const ids = Array.from({ length: target.connections }, (_, i) => `FULL_${i + 1}`);
  await seedChargers(target.pool, ids, cheapPasswordHash(password));
  await seedDriver(target.pool, 'bench-full-driver', 'BENCHFULL');
  const stack = await startStack(target, { name: `full-${Date.now().toString(36)}`, cpuProf: target.cpuProf });
  try {
    const clients = await openClients(stack.ready.gatewayUrl, ids, password);
    const order = new Map(ids.map((id, i) => [id, i]));
    clients.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    const transactionIds = await Promise.all(
      clients.map(async (c) => {
        const reply = await c.call(`${c.id}-start`, JSON.stringify([2, `${c.id}-start`, 'StartTransaction', { connectorId: 1, idTag: 'BENCHFULL', meterStart: 100000, timestamp: new Date().toISOString() }]));
        if (reply[0] !== 3) throw new Error(`StartTransaction refused: ${JSON.stringify(reply)}`);
        return (reply[2] as { transactionId: number }).transactionId;
      }),
    );
    const load = await runMeterValuesLoad(clients, transactionIds, target);
    // Above every register the load sent (100000 + 3 Wh a frame), so nothing is flagged as a meter going backwards.
    const stopRegisterWh = 100000 + 3 * (load.acknowledged + load.errors + 1_000_000);
    // End the sessions, so a shared Temporal cluster is not left with running workflows.
    await Promise.all(
      clients.map((c, i) =>
        c.call(`${c.id}-stop`, JSON.stringify([2, `${c.id}-stop`, 'StopTransaction', { transactionId: transactionIds[i], meterStop: stopRegisterWh, timestamp: new Date().toISOString(), reason: 'Local' }])),
      ),
    );
    await closeClients(clients);
    return { ...load, sessions: transactionIds.length };
  } finally {
    await stack.stop();
  }
}
