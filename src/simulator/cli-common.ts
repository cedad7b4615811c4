/** What the command line does the same way for a 1.6 charge point and a 2.0.1 station. */
import Big from 'big.js';
import type { EventEmitter } from 'node:events';
import type { Logger } from '../logger';
import type { CliOptions } from './cli';

/** The charger options the flags set alike in both versions. */
export function commonChargerOptions(options: CliOptions, logger: Logger) {
  return {
    meterStartWh: options.meterStartWh,
    socStartPercent: options.socStart,
    batteryCapacityWh: new Big(options.batteryKwh).times(1000).toNumber(),
    defaultPowerW: new Big(options.powerKw).times(1000).toNumber(),
    plugDelayMs: options.plugDelayMs,
    supportsSoc: options.soc,
    reconnect: options.reconnect,
    logger,
    firmwareVersion: options.firmwareVersion,
  };
}

/** Logs the events both versions emit with the same meaning. */
export function logCommonEvents(charger: EventEmitter, log: Logger): void {
  charger.on('firmwareStatus', (status) => log.info({ status }, 'firmware update'));
  charger.on('reserved', (e) => log.info(e, 'reservation accepted'));
  charger.on('reservationEnded', (e) => log.info(e, 'reservation ended'));
  charger.on('disconnected', (e) => log.warn(e, 'connection lost'));
  charger.on('connected', () => log.info('connected'));
}
