/** Every workflow the session worker runs (the bundle's entry point). */
export { chargingSession } from './charging-session';
export { chargerCommand } from './charger-command';
export { stationConfiguration } from './station-configuration';
export { changeAvailability } from './change-availability';
export { firmwareUpdate } from './firmware-update';
export { firmwareRollout } from './firmware-rollout';
export { diagnosticsRequest } from './diagnostics-request';
export { reservation } from './reservation';
export { stationChargingProfiles } from './station-charging-profiles';
export { localListSync } from './local-list-sync';
export { siteLoadManager } from './site-load-manager';
