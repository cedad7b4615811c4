/**
 * The configuration every station gets unless the operator declares otherwise, from the
 * network's own settings, so sessions work as they expect:
 * - MeterValueSampleInterval: live cost and SoC come from MeterValues during the transaction;
 * - StopTxnSampledData: the energy register in StopTransaction's transactionData;
 * - HeartbeatInterval: the gateway's, which the BootNotification answer also sets (§4.2), so the
 *   two never fight;
 * - ConnectionTimeOut: the session's plug-in timeout, so the charger gives up when the session does.
 */
import type { Config } from '../config/config';
import type { DesiredSetting } from '../ocpp/configuration-plan';

/** Keys the operator may not declare: the network's own settings decide them. */
export const networkOwnedKeys = ['HeartbeatInterval'] as const;

export function networkConfigurationDefaults(config: Config): DesiredSetting[] {
  const setting = (key: string, value: string | number): DesiredSetting => ({ key, value: String(value), source: 'network_default' });
  return [
    setting('MeterValueSampleInterval', config.STATION_METER_VALUE_SAMPLE_INTERVAL_S),
    setting('StopTxnSampledData', config.STATION_STOP_TXN_SAMPLED_DATA),
    setting('HeartbeatInterval', config.GATEWAY_HEARTBEAT_INTERVAL_S),
    setting('ConnectionTimeOut', Math.ceil(config.SESSION_PLUG_IN_TIMEOUT_MS / 1000)),
  ];
}
