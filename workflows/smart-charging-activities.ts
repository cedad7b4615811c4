/**
 * The activities smart-charging workflow code calls on the session worker (implemented in
 * src/stations/smart-charging-activities.ts): what a station can take (its SmartCharging
 * profile, the limits it reported, its wiring) and the operator's station profiles with their
 * outcome. Types only: workflow code imports them with `import type`.
 */
import type { StationElectrics } from '../src/ocpp/charging-rate';
import type { ChargerProfileLimits } from '../src/ocpp/charging-profile-rules';
import type { ChargingProfile } from '../src/ocpp/ocpp16-messages';
import type { DeclaredStationProfile, StationProfilePurpose } from '../src/ocpp/owned-charging-profiles';

export interface SmartChargingContext {
  /** The station lists SmartCharging in SupportedFeatureProfiles; null: its profiles were never read. */
  smartCharging: boolean | null;
  /** ChargeProfileMaxStackLevel & co. as the station last reported them. */
  limits: ChargerProfileLimits;
  electrics: StationElectrics;
}

/** One declared station profile; `declared` null: removed, to be cleared on the station. */
export interface StationProfileEntry {
  purpose: StationProfilePurpose;
  declared: DeclaredStationProfile | null;
  version: number;
}

export type StationProfileStatus = 'applied' | 'rejected' | 'not_supported' | 'invalid' | 'call_error' | 'unreachable';

export interface StationProfileOutcome {
  stationId: string;
  purpose: StationProfilePurpose;
  /** The declaration's version the run sent (a newer declaration is not overwritten). */
  version: number;
  /** For a removal: the station no longer has it (Accepted or Unknown), so the entry goes. */
  cleared?: boolean;
  status: StationProfileStatus;
  detail: string;
  /** The profile as sent, in the unit the station takes. */
  sent: ChargingProfile | null;
  workflowId: string;
}

export interface SmartChargingActivities {
  loadSmartChargingContext(stationId: string): Promise<SmartChargingContext>;
  loadStationProfiles(stationId: string): Promise<StationProfileEntry[]>;
  recordStationProfileOutcome(outcome: StationProfileOutcome): Promise<void>;
}
