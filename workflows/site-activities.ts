/**
 * The activities the site load manager and the session's site hook call on the session worker
 * (implemented in src/sites/site-activities.ts). Types only: workflow code imports them with
 * `import type`.
 */
import type { LimitUnit } from '../src/load-management/allocation-rounds';
import type { StationElectrics } from '../src/ocpp/charging-rate';

export interface SiteStationTelemetry {
  stationId: string;
  online: boolean;
  /** chargers.booted_at: a new value means the charger rebooted (and may have lost its profiles). */
  bootedAt: string | null;
  electrics: StationElectrics;
  unit: LimitUnit;
  /** The charger's maximum, W (site_stations.max_power_kw, else 32 A per phase on its wiring). */
  chargerMaxW: number;
}

export interface SiteTelemetry {
  stations: SiteStationTelemetry[];
  /** The latest Power.Active.Import per transaction, W, with its time. */
  power: Array<{ transactionId: number; powerW: number; at: string }>;
}

export interface SiteActivities {
  /** The site a station belongs to, or null. */
  siteOfStation(stationId: string): Promise<string | null>;
  /** One cheap read: the stations' connection and boot state, wiring, unit, and the transactions' latest power. */
  readSiteTelemetry(request: { stationIds: string[]; transactionIds: number[] }): Promise<SiteTelemetry>;
}
