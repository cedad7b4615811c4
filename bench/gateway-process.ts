/**
 * Child process: one OCPP gateway exactly as production builds it (strict schema validation,
 * persistence to PostgreSQL), with the session layer replaced by a counting no-op sink, so the
 * figures are the gateway's own. Env: BENCH_DATABASE_URL, BENCH_HEARTBEAT_S.
 */
import { loadConfig } from '../src/config/config';
import { createPool } from '../src/db/pool';
import { startGateway } from '../src/gateway/gateway';
import { createLogger } from '../src/logger';
import type { SessionEventSink } from '../src/sessions/session-events';
import { memoryAfterGc, serveParent } from './support/children';

async function main(): Promise<void> {
  const config = loadConfig({
    LOG_LEVEL: 'warn',
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: '0',
    GATEWAY_ID: 'bench-gw',
    GATEWAY_HEARTBEAT_INTERVAL_S: process.env.BENCH_HEARTBEAT_S ?? '60',
    // Every simulated charger connects from 127.0.0.1.
    GATEWAY_CONNECTS_PER_ADDRESS_PER_MINUTE: '10000000',
  });
  const logger = createLogger(config);
  const pool = createPool(process.env.BENCH_DATABASE_URL!, { max: Number(process.env.BENCH_POOL_SIZE ?? 10) });
  const forwarded = { transactionStarted: 0, meterValues: 0, transactionStopped: 0, chargerConnection: 0, connectorStatus: 0 };
  const sink: SessionEventSink = {
    transactionStarted: async () => void forwarded.transactionStarted++,
    meterValues: async () => void forwarded.meterValues++,
    transactionStopped: async () => void forwarded.transactionStopped++,
    chargerConnection: async () => void forwarded.chargerConnection++,
    connectorStatus: async () => void forwarded.connectorStatus++,
  };
  const gateway = await startGateway({ config, pool, logger, sessionEvents: sink });
  serveParent(
    { url: gateway.url },
    {
      memory: () => memoryAfterGc(),
      forwarded: () => ({ ...forwarded }),
      cpuUsage: () => process.cpuUsage(),
    },
    async () => {
      await gateway.close();
      await pool.end();
    },
  );
}

main().catch((err) => {
  console.error('bench gateway failed to start', err);
  process.exit(1);
});
