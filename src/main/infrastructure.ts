/**
 * What every role needs before it starts: PostgreSQL (migrated) and a Temporal
 * connection. Production roles are given DATABASE_URL and TEMPORAL_ADDRESS; the dev
 * entry point starts embedded ones when those are unset.
 */
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { startEmbeddedPostgres } from '../db/embedded-postgres';
import { migrate } from '../db/migrate';
import { createPool, Pool } from '../db/pool';
import type { Config } from '../config/config';
import { ConfigError } from '../config/config';
import type { Logger } from '../logger';
import { temporalCliPath } from '../temporal/binaries';
import { startTemporalDevServer } from '../temporal/dev-server';
import { startLocalstripe } from '../payments/localstripe';
import { stripeConnectionOf, type StripeConnection } from '../payments/stripe-provider';

export interface Infrastructure {
  pool: Pool;
  databaseUrl: string;
  temporalAddress: string;
  temporalUiUrl: string | null;
  client: Client;
  nativeConnection: NativeConnection;
  /** Where card payments go: STRIPE_* configuration, in dev without a key the localstripe emulator; null: none taken. */
  stripe: StripeConnection | null;
  close(): Promise<void>;
}

/**
 * The SDK's runtime would otherwise shut workers down by itself on SIGINT/SIGTERM, racing our
 * orderly stop (roles first, then connections, then the servers). Its own logs: warnings only.
 */
function installTemporalRuntime(config: Config): void {
  try {
    Runtime.install({ shutdownSignals: [], logger: new DefaultLogger(config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'trace' ? 'INFO' : 'WARN') });
  } catch {
    // Already installed (one runtime per process).
  }
}

/** Cleanups run in reverse order of acquisition. */
class Cleanups {
  private readonly steps: Array<[string, () => Promise<unknown>]> = [];
  add(name: string, step: () => Promise<unknown>): void {
    this.steps.push([name, step]);
  }
  async run(logger: Logger): Promise<void> {
    for (const [name, step] of this.steps.reverse()) {
      try {
        await step();
      } catch (err) {
        logger.warn({ err, step: name }, 'shutdown step failed');
      }
    }
    this.steps.length = 0;
  }
}

export async function startInfrastructure(config: Config, logger: Logger, options: { embedded: boolean }): Promise<Infrastructure> {
  const cleanups = new Cleanups();
  try {
    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      if (!options.embedded) throw new ConfigError(['DATABASE_URL: required (postgres://user:password@host:5432/db)']);
      logger.info({ dataDir: config.DATA_DIR }, 'starting embedded PostgreSQL');
      const pg = await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_POSTGRES_PORT, runtimeDir: config.EMBEDDED_POSTGRES_RUNTIME_DIR, logger });
      cleanups.add('postgres', () => pg.stop());
      databaseUrl = pg.url;
    }
    await migrate(databaseUrl, logger);
    const pool = createPool(databaseUrl);
    cleanups.add('pool', () => pool.end());

    let temporalAddress = config.TEMPORAL_ADDRESS;
    let temporalUiUrl: string | null = null;
    if (!temporalAddress) {
      if (!options.embedded) throw new ConfigError(['TEMPORAL_ADDRESS: required (host:7233)']);
      logger.info('starting the local Temporal dev server');
      const server = await startTemporalDevServer({
        cliPath: temporalCliPath(config.TEMPORAL_CLI_PATH),
        dataDir: config.DATA_DIR,
        port: config.TEMPORAL_DEV_SERVER_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        namespace: config.TEMPORAL_NAMESPACE,
        logger,
      });
      cleanups.add('temporal dev server', () => server.stop());
      temporalAddress = server.address;
      temporalUiUrl = server.uiUrl;
    }
    let stripe = stripeConnectionOf(config);
    if (!stripe && options.embedded) {
      logger.info('no STRIPE_SECRET_KEY: starting the localstripe emulator for card payments');
      const emulator = await startLocalstripe({ stateFile: path.resolve(config.DATA_DIR, 'localstripe.pickle'), logger, executable: config.LOCALSTRIPE_PATH });
      cleanups.add('localstripe', () => emulator.stop());
      stripe = { ...emulator.connection, webhookSecret: config.STRIPE_WEBHOOK_SECRET };
    }

    installTemporalRuntime(config);
    const connection = await Connection.connect({ address: temporalAddress });
    cleanups.add('temporal client connection', () => connection.close());
    const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
    cleanups.add('temporal worker connection', () => nativeConnection.close());
    const client = new Client({ connection, namespace: config.TEMPORAL_NAMESPACE });

    return {
      pool,
      databaseUrl,
      temporalAddress,
      temporalUiUrl,
      client,
      nativeConnection,
      stripe,
      close: () => cleanups.run(logger),
    };
  } catch (err) {
    await cleanups.run(logger);
    throw err;
  }
}
