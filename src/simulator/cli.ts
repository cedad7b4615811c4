/**
 * A command-line charger (or several): connects, boots, charges at the given power when a
 * transaction starts (remotely, or at once with --start-id-tag like an RFID card at the charger),
 * sends MeterValues every interval and stops cleanly on Ctrl-C.
 *
 *   npm run simulate -- --url ws://127.0.0.1:9000/ocpp --id CP_1 --password secret --power-kw 11 --interval-s 10
 *
 * `--ocpp 2.0.1` runs OCPP 2.0.1 charging stations instead (src/simulator/v201/run.ts).
 */
import { parseArgs } from 'node:util';
import Big from 'big.js';
import { z } from 'zod';
import { createLogger, Logger } from '../logger';
import { SimulatedChargePoint, SimulatedChargePointOptions } from './charge-point';
import { startFleet } from './fleet';
import { commonChargerOptions, logCommonEvents } from './cli-common';
import { FEATURE_PROFILES, cslList } from './configuration';
import { RunningSimulation201, runSimulation201 } from './v201/run';

export const usage = `Usage: simulate --url ws://HOST:PORT/ocpp [options]

  --url URL               gateway base URL; the charger id is appended (required)
  --ocpp VERSION          1.6 (default) or 2.0.1: the protocol the chargers speak; in 2.0.1 a
                          connector is an EVSE and --config presets device-model variables
                          (Component.Variable or Component.Variable[Instance])
  --id ID                 charge point id (default CP_1); with --chargers N: ID_1 … ID_N
  --password SECRET       HTTP Basic password (security profile 1)
  --chargers N            how many chargers to run (default 1)
  --connectors N          connectors per charger (default 1)
  --power-kw KW           charging power (default 11)
  --interval-s S          seconds between MeterValues (default 10; alias --interval)
  --tick-ms MS            wall-clock ms per interval (default interval × 1000; smaller fast-forwards)
  --meter-start-wh WH     initial energy register (default 0)
  --soc-start PERCENT     initial state of charge (default 20)
  --battery-kwh KWH       battery size for the SoC curve (default 60)
  --start-id-tag TAG      start a transaction on connector 1 right after boot (RFID at the charger)
  --plug-delay-ms MS      after an accepted RemoteStart, wait this long before starting (default 0)
  --no-soc                the charger cannot report SoC (1.6: ChangeConfiguration answers NotSupported;
                          2.0.1: SoC is not in the measurand variables' valuesList)
  --no-reconnect          do not reconnect after the connection is lost
  --firmware-version V    firmwareVersion reported at boot (default 1.0.0)
  --firmware-fail STEP    a firmware update fails at download (DownloadFailed) or install (InstallationFailed)
  --firmware-silent-at S  a firmware update goes silent instead of reporting S (Downloading|Downloaded|Installing|Installed; 1.6 only)
  --firmware-step-ms MS   duration of the firmware download and of the installation (default 200)
  --diagnostics-method M  PUT or POST for diagnostics uploads to http(s) locations (default PUT; 1.6 only)
  --profiles LIST         SupportedFeatureProfiles, comma-separated (default Core,FirmwareManagement,RemoteTrigger),
                          e.g. Core,LocalAuthListManagement,Reservation (1.6 only)
  --config KEY=VALUE      preset a configuration key (repeatable), e.g. --config ReserveConnectorZeroSupported=true;
                          2.0.1: --config SampledDataCtrlr.TxUpdatedMeasurands=Energy.Active.Import.Register,SoC
  --log-level LEVEL       fatal|error|warn|info|debug|trace|silent (default info)
  --log-format FORMAT     pretty|json (default pretty on a terminal, else json)
  --help                  this text
`;

const positive = (name: string) => z.coerce.number({ error: `${name} must be a number` }).positive(`${name} must be greater than 0`);
const count = (name: string) => z.coerce.number({ error: `${name} must be a number` }).int(`${name} must be a whole number`).min(1, `${name} must be at least 1`);

const cliSchema = z.object({
  url: z
    .string({ error: '--url is required' })
    .regex(/^wss?:\/\/[^\s]+$/, '--url must be a ws:// or wss:// URL'),
  ocpp: z.enum(['1.6', '2.0.1'], { error: '--ocpp: 1.6|2.0.1' }).default('1.6'),
  id: z.string().regex(/^[A-Za-z0-9_.:-]{1,48}$/, '--id: 1–48 letters, digits, _ . : -').default('CP_1'),
  password: z.string().min(1, '--password must not be empty').optional(),
  chargers: count('--chargers').max(10_000, '--chargers must be at most 10000').default(1),
  connectors: count('--connectors').max(32, '--connectors must be at most 32').default(1),
  powerKw: positive('--power-kw').max(1000, '--power-kw must be at most 1000').default(11),
  intervalS: positive('--interval-s').default(10),
  tickMs: positive('--tick-ms').optional(),
  meterStartWh: z.coerce.number({ error: '--meter-start-wh must be a number' }).int('--meter-start-wh must be whole Wh').nonnegative('--meter-start-wh must be 0 or more').default(0),
  socStart: z.coerce.number({ error: '--soc-start must be a number' }).min(0, '--soc-start must be 0–100').max(100, '--soc-start must be 0–100').default(20),
  batteryKwh: positive('--battery-kwh').default(60),
  startIdTag: z.string().min(1).max(20, '--start-id-tag: at most 20 characters (OCPP IdToken)').optional(),
  plugDelayMs: z.coerce.number().int().nonnegative('--plug-delay-ms must be 0 or more').default(0),
  soc: z.boolean().default(true),
  reconnect: z.boolean().default(true),
  firmwareVersion: z.string().min(1).max(50, '--firmware-version: at most 50 characters').optional(),
  firmwareFail: z.enum(['download', 'install'], { error: '--firmware-fail: download|install' }).optional(),
  firmwareSilentAt: z.enum(['Downloading', 'Downloaded', 'Installing', 'Installed'], { error: '--firmware-silent-at: Downloading|Downloaded|Installing|Installed' }).optional(),
  firmwareStepMs: z.coerce.number().int().nonnegative('--firmware-step-ms must be 0 or more').default(200),
  diagnosticsMethod: z.enum(['PUT', 'POST'], { error: '--diagnostics-method: PUT|POST' }).default('PUT'),
  profiles: z
    .string()
    .transform((v) => cslList(v))
    .refine((list) => list.includes('Core') && list.every((p) => (FEATURE_PROFILES as readonly string[]).includes(p)), {
      message: `--profiles: a comma-separated list of ${FEATURE_PROFILES.join(', ')}, with Core`,
    })
    .optional(),
  config: z
    .array(z.string().regex(/^[A-Za-z][A-Za-z0-9.]*(\[[A-Za-z0-9]+\])?=.*$/, '--config: KEY=VALUE'))
    .transform((pairs) => Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)])))
    .default({}),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: '--log-level: fatal|error|warn|info|debug|trace|silent' }).default('info'),
  logFormat: z.enum(['pretty', 'json'], { error: '--log-format: pretty|json' }).optional(),
});

export type CliOptions = z.infer<typeof cliSchema>;

/** A usage mistake: the message says what is wrong, for a person. */
export class CliUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

export function parseCliArgs(argv: string[]): CliOptions | 'help' {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: 'string' },
        ocpp: { type: 'string' },
        id: { type: 'string' },
        password: { type: 'string' },
        chargers: { type: 'string' },
        connectors: { type: 'string' },
        'power-kw': { type: 'string' },
        'interval-s': { type: 'string' },
        interval: { type: 'string' },
        'tick-ms': { type: 'string' },
        'meter-start-wh': { type: 'string' },
        'soc-start': { type: 'string' },
        'battery-kwh': { type: 'string' },
        'start-id-tag': { type: 'string' },
        'plug-delay-ms': { type: 'string' },
        'no-soc': { type: 'boolean' },
        'no-reconnect': { type: 'boolean' },
        'firmware-version': { type: 'string' },
        'firmware-fail': { type: 'string' },
        'firmware-silent-at': { type: 'string' },
        'firmware-step-ms': { type: 'string' },
        'diagnostics-method': { type: 'string' },
        profiles: { type: 'string' },
        config: { type: 'string', multiple: true },
        'log-level': { type: 'string' },
        'log-format': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
  if (values.help) return 'help';
  const parsed = cliSchema.safeParse({
    url: values.url,
    ocpp: values.ocpp,
    id: values.id,
    password: values.password,
    chargers: values.chargers,
    connectors: values.connectors,
    powerKw: values['power-kw'],
    intervalS: values['interval-s'] ?? values.interval,
    tickMs: values['tick-ms'],
    meterStartWh: values['meter-start-wh'],
    socStart: values['soc-start'],
    batteryKwh: values['battery-kwh'],
    startIdTag: values['start-id-tag'],
    plugDelayMs: values['plug-delay-ms'],
    soc: !values['no-soc'],
    reconnect: !values['no-reconnect'],
    firmwareVersion: values['firmware-version'],
    firmwareFail: values['firmware-fail'],
    firmwareSilentAt: values['firmware-silent-at'],
    firmwareStepMs: values['firmware-step-ms'],
    diagnosticsMethod: values['diagnostics-method'],
    profiles: values.profiles,
    config: values.config,
    logLevel: values['log-level'],
    logFormat: values['log-format'],
  });
  if (!parsed.success) throw new CliUsageError(parsed.error.issues.map((i) => i.message).join('\n'));
  if (parsed.data.ocpp === '2.0.1') {
    const onlyIn16 = (['profiles', 'firmware-silent-at', 'diagnostics-method'] as const).filter((flag) => values[flag] !== undefined);
    if (onlyIn16.length > 0) throw new CliUsageError(onlyIn16.map((flag) => `--${flag} applies to OCPP 1.6 only`).join('\n'));
  }
  return parsed.data;
}

export interface RunningSimulation {
  chargePoints: SimulatedChargePoint[];
  /** Ends running transactions (StopTransaction reason Local), then closes every connection. */
  stop(): Promise<void>;
}

/** Starts the chargers described by the options and keeps them charging until stop(). */
export async function runSimulation(options: CliOptions, logger: Logger): Promise<RunningSimulation> {
  const powerW = new Big(options.powerKw).times(1000).toNumber();
  const shared: Partial<SimulatedChargePointOptions> = {
    ...commonChargerOptions(options, logger),
    connectors: options.connectors,
    firmware: {
      downloadMs: options.firmwareStepMs,
      installMs: options.firmwareStepMs,
      failDownloadAttempts: options.firmwareFail === 'download' ? Infinity : 0,
      failInstall: options.firmwareFail === 'install',
      silentAt: options.firmwareSilentAt ? { at: options.firmwareSilentAt } : undefined,
    },
    diagnostics: { method: options.diagnosticsMethod },
    featureProfiles: options.profiles,
    configuration: options.config,
  };

  let chargePoints: SimulatedChargePoint[];
  let closeAll: () => Promise<void>;
  if (options.chargers === 1) {
    const cp = new SimulatedChargePoint({ ...shared, url: options.url, chargePointId: options.id, password: options.password });
    const { status } = await cp.connect();
    logger.info({ chargePointId: cp.chargePointId, status }, 'booted');
    chargePoints = [cp];
    closeAll = () => cp.close();
  } else {
    const fleet = await startFleet({ url: options.url, count: options.chargers, idPrefix: `${options.id}_`, password: options.password, chargePoint: shared });
    for (const f of fleet.failures) logger.error({ chargePointId: f.chargePointId, err: f.error }, 'could not connect');
    logger.info({ connected: fleet.chargePoints.length, failed: fleet.failures.length, ms: fleet.connectMs }, 'fleet connected');
    chargePoints = fleet.chargePoints;
    closeAll = () => fleet.closeAll();
  }

  for (const cp of chargePoints) {
    const log = logger.child({ chargePointId: cp.chargePointId });
    cp.on('remoteStart', (e) => log.info(e, 'RemoteStartTransaction accepted'));
    cp.on('remoteStop', (e) => log.info(e, 'RemoteStopTransaction accepted'));
    cp.on('transactionStarted', (e) => {
      cp.setPower(e.connectorId, powerW);
      log.info({ connectorId: e.connectorId, transactionId: e.transactionId, idTag: e.idTag, meterStart: e.meterStart }, 'transaction started');
    });
    cp.on('transactionStopped', (e) => log.info(e, 'transaction stopped'));
    cp.on('configurationChanged', (e) => log.info(e, 'configuration changed'));
    cp.on('diagnosticsStatus', (status) => log.info({ status }, 'diagnostics upload'));
    cp.on('localListUpdate', (e) => log.info({ updateType: e.updateType, listVersion: e.listVersion, status: e.status, entries: cp.localAuthList.size }, 'local list update'));
    cp.on('meterValues', (e) => {
      const reading = Object.fromEntries(e.sampledValue.map((v: { measurand: string; value: string; unit: string }) => [v.measurand, `${v.value} ${v.unit}`]));
      log.info({ connectorId: e.connectorId, transactionId: e.transactionId, ...reading }, 'meter values');
    });
    logCommonEvents(cp, log);
    cp.on('backgroundError', (err) => log.warn({ err }, 'charger task failed'));
    cp.startMeterValuesLoop(options.intervalS, options.tickMs ?? options.intervalS * 1000);
  }

  if (options.startIdTag) {
    for (const cp of chargePoints) {
      const { idTagInfo } = await cp.authorize(options.startIdTag);
      if (idTagInfo.status !== 'Accepted') {
        logger.warn({ chargePointId: cp.chargePointId, idTag: options.startIdTag, status: idTagInfo.status }, 'id tag not accepted; not starting');
        continue;
      }
      await cp.startTransaction(1, options.startIdTag);
    }
  }

  let stopping: Promise<void> | undefined;
  return {
    chargePoints,
    stop() {
      stopping ??= (async () => {
        for (const cp of chargePoints) cp.stopMeterValuesLoop();
        await Promise.allSettled(
          chargePoints.flatMap((cp) =>
            Array.from({ length: options.connectors }, (_, i) => i + 1)
              .filter((connectorId) => cp.transactionId(connectorId) !== undefined && cp.connected)
              .map((connectorId) => cp.stopTransaction(connectorId, 'Local')),
          ),
        );
        await closeAll();
      })();
      return stopping;
    },
  };
}

async function main(): Promise<void> {
  let options: CliOptions | 'help';
  try {
    options = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof CliUsageError)) throw err;
    process.stderr.write(`simulate: ${err.message}\n\n${usage}`);
    process.exitCode = 2;
    return;
  }
  if (options === 'help') {
    process.stdout.write(usage);
    return;
  }
  const logger = createLogger({ LOG_LEVEL: options.logLevel, LOG_FORMAT: options.logFormat ?? (process.stdout.isTTY ? 'pretty' : 'json') }, 'simulator');
  let simulation: RunningSimulation | RunningSimulation201;
  try {
    simulation = options.ocpp === '2.0.1' ? await runSimulation201(options, logger) : await runSimulation(options, logger);
  } catch (err) {
    logger.fatal({ err }, 'simulator could not start');
    logger.flush();
    process.exitCode = 1;
    return;
  }
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'stopping');
    process.once(signal, () => process.exit(130)); // a second Ctrl-C does not wait
    simulation.stop().then(
      () => {
        logger.info('stopped');
        logger.flush();
      },
      (err) => {
        logger.error({ err }, 'stop failed');
        process.exitCode = 1;
      },
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) void main();
