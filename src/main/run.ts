/**
 * Runs roles until SIGINT/SIGTERM, then stops them in reverse order and closes the
 * infrastructure (which, in dev, stops the Temporal dev server and PostgreSQL), so
 * no process is left behind.
 */
import { ConfigError, loadConfig, Config } from '../config/config';
import { createLogger, Logger } from '../logger';
import { startInfrastructure, Infrastructure } from './infrastructure';
import { roleStarters, RoleName, RunningRole } from './roles';

const repeatedSignalWindowMs = 2000;

export async function runRoles(roles: RoleName[], options: { embedded: boolean; env?: Record<string, string | undefined>; banner?: (info: Banner) => void }): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(options.env ?? process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config);
  let infra: Infrastructure | undefined;
  const running: RunningRole[] = [];
  let stopping: Promise<void> | undefined;

  const stop = (reason: string, exitCode: number) => {
    if (stopping) {
      logger.warn('second signal: exiting now');
      process.exit(1);
    }
    logger.info({ reason }, 'shutting down');
    stopping = (async () => {
      for (const role of running.reverse()) {
        try {
          await role.stop();
        } catch (err) {
          logger.warn({ err, role: role.name }, 'role did not stop cleanly');
        }
      }
      await infra?.close();
      logger.info('stopped');
      // pino flushes synchronously to stdout in JSON mode; give a pretty transport a moment.
      setTimeout(() => process.exit(exitCode), 50).unref();
    })();
  };
  // A terminal's Ctrl-C reaches this process twice, from the terminal (same process group) and
  // forwarded by npm: a repeat within a moment is the same request. A later one forces the exit.
  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping && Date.now() - firstSignalAt < repeatedSignalWindowMs) return;
    firstSignalAt ||= Date.now();
    stop(signal, 0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    infra = await startInfrastructure(config, logger, options);
    for (const role of roles) {
      if (stopping) return;
      running.push(await roleStarters[role](config, logger, infra));
    }
  } catch (err) {
    // A problem the operator fixes (a setting, a path) is one sentence, not a stack trace.
    if (err instanceof ConfigError) console.error(err.message);
    else logger.error({ err }, 'start-up failed');
    if (!stopping) stop('start-up failed', 1);
    return;
  }
  options.banner?.({ config, logger, infra, running });
}

export interface Banner {
  config: Config;
  logger: Logger;
  infra: Infrastructure;
  running: RunningRole[];
}
