/**
 * The command line's OCPP 2.0.1 mode (`simulate --ocpp 2.0.1 …`): the same run as 1.6 — connect
 * and boot, charge at the given power once a transaction starts (remotely, or at once with
 * --start-id-tag like a card at the station), one TransactionEvent Updated per interval, and end
 * the transactions cleanly (stoppedReason Local) on Ctrl-C.
 */
import type { Logger } from '../../logger';
import type { CliOptions } from '../cli';
import { SimulatedChargingStation201, SimulatedChargingStation201Options } from './charging-station';
import { commonChargerOptions, logCommonEvents } from '../cli-common';

export interface RunningSimulation201 {
  stations: SimulatedChargingStation201[];
  /** Ends running transactions (stoppedReason Local), then closes every connection. */
  stop(): Promise<void>;
}

const CONNECT_CONCURRENCY = 50;

export async function runSimulation201(options: CliOptions, logger: Logger): Promise<RunningSimulation201> {
  const shared: Omit<SimulatedChargingStation201Options, 'url' | 'stationId'> = {
    ...commonChargerOptions(options, logger),
    password: options.password,
    evses: options.connectors,
    firmware: { stepMs: options.firmwareStepMs, fail: options.firmwareFail },
    // In 2.0.1 --config KEY=VALUE presets a device-model variable: 'Component.Variable'.
    variables: options.config,
  };
  const ids = options.chargers === 1 ? [options.id] : Array.from({ length: options.chargers }, (_, i) => `${options.id}_${i + 1}`);
  const stations = ids.map((stationId) => new SimulatedChargingStation201({ ...shared, url: options.url, stationId }));
  const connected: SimulatedChargingStation201[] = [];
  const queue = [...stations];
  const worker = async () => {
    for (let s = queue.shift(); s; s = queue.shift()) {
      try {
        const { status } = await s.connect();
        logger.info({ stationId: s.stationId, status }, 'booted');
        connected.push(s);
      } catch (err) {
        if (stations.length === 1) throw err;
        logger.error({ stationId: s.stationId, err }, 'could not connect');
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONNECT_CONCURRENCY, stations.length) }, worker));

  for (const s of connected) {
    const log = logger.child({ stationId: s.stationId });
    s.on('remoteStart', (e) => log.info(e, 'RequestStartTransaction accepted'));
    s.on('remoteStop', (e) => log.info(e, 'RequestStopTransaction accepted'));
    s.on('transactionStarted', (e) => log.info(e, 'transaction started'));
    s.on('transactionEnded', (e) => log.info(e, 'transaction ended'));
    s.on('variableChanged', (e) => log.info(e, 'variable changed'));
    s.on('logStatus', (status) => log.info({ status }, 'log upload'));
    s.on('localListUpdated', (e) => log.info(e, 'local list update'));
    s.on('meterValues', (e) => {
      const reading = Object.fromEntries(e.sampledValue.map((v: { measurand: string; value: number; unitOfMeasure?: { unit: string } }) => [v.measurand, `${v.value} ${v.unitOfMeasure?.unit ?? ''}`.trim()]));
      log.info({ evseId: e.evseId, transactionId: e.transactionId, ...reading }, 'meter values');
    });
    logCommonEvents(s, log);
    s.on('backgroundError', (err) => log.warn({ err }, 'station task failed'));
    s.startMeterValuesLoop(options.intervalS, options.tickMs ?? options.intervalS * 1000);
  }

  if (options.startIdTag) {
    for (const s of connected) {
      const result = await s.presentIdToken(1, options.startIdTag);
      if (!result.started) logger.warn({ stationId: s.stationId, idToken: options.startIdTag, status: result.status }, 'id token not accepted; not starting');
    }
  }

  let stopping: Promise<void> | undefined;
  return {
    stations: connected,
    stop() {
      stopping ??= (async () => {
        for (const s of connected) s.stopMeterValuesLoop();
        await Promise.allSettled(connected.flatMap((s) => s.evseIds.filter((id) => s.transactionId(id) !== undefined && s.connected).map((id) => s.stopTransaction(id, 'Local', 'StopAuthorized'))));
        await Promise.allSettled(connected.map((s) => s.close()));
      })();
      return stopping;
    },
  };
}
