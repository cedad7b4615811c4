/**
 * Enabling State-of-Charge reporting without breaking what the charger already reports.
 * `MeterValuesSampledData` is a comma-separated list of measurands (OCPP 1.6 §9.1.13); SoC is
 * added to it, never by replacing the list, and only where it fits
 * `MeterValuesSampledDataMaxLength`. Pure: used by the session workflow and the API's SoC endpoints.
 */
import type { ConfigurationKey } from './charger-commands';

export const sampledDataKey = 'MeterValuesSampledData';
export const sampledDataMaxLengthKey = 'MeterValuesSampledDataMaxLength';
/** The register every bill depends on; a charger with an empty list reports it by default. */
export const energyRegisterMeasurand = 'Energy.Active.Import.Register';

export type SocPlan =
  | { action: 'none'; reason: 'already_enabled'; measurands: string[] }
  | { action: 'change'; value: string; measurands: string[] }
  | { action: 'impossible'; reason: 'not_supported' | 'no_room'; detail: string; measurands: string[] };

export function parseMeasurands(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m.length > 0);
}

/** What to send, given the GetConfiguration answer for the two keys. */
export function planSocReporting(answer: { configurationKey: ConfigurationKey[]; unknownKey: string[] }): SocPlan {
  const key = answer.configurationKey.find((k) => k.key === sampledDataKey);
  const measurands = parseMeasurands(key?.value);
  if (measurands.includes('SoC')) return { action: 'none', reason: 'already_enabled', measurands };
  if (!key) return { action: 'impossible', reason: 'not_supported', detail: `${sampledDataKey} is not a configuration key of this charger`, measurands };
  if (key.readonly) return { action: 'impossible', reason: 'not_supported', detail: `${sampledDataKey} is read-only on this charger`, measurands };
  const wanted = measurands.length === 0 ? [energyRegisterMeasurand, 'SoC'] : [...measurands, 'SoC'];
  const maxLength = Number.parseInt(answer.configurationKey.find((k) => k.key === sampledDataMaxLengthKey)?.value ?? '', 10);
  if (Number.isInteger(maxLength) && maxLength > 0 && wanted.length > maxLength) {
    return {
      action: 'impossible',
      reason: 'no_room',
      detail: `SoC would make ${wanted.length} measurands; ${sampledDataMaxLengthKey} is ${maxLength} and none of the configured ones is dropped`,
      measurands,
    };
  }
  return { action: 'change', value: wanted.join(','), measurands };
}
