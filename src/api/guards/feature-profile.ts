/**
 * The feature-profile gate: a command of an OCPP 1.6 feature profile the station does not list
 * in its SupportedFeatureProfiles is refused before anything is sent (409
 * feature_profile_not_supported, naming the profile and what the station reported). A station
 * whose profiles were never read (no reconciliation yet) is let through: the charger decides.
 *
 * One line in a route, before the command:
 *   await requireFeatureProfile(pool, params.id, profileOfAction.TriggerMessage);
 * and `featureProfileGatedResponses` (or `featureProfileConflict`) in its documented responses.
 */
import type { Pool } from '../../db/pool';
import type { FeatureProfile } from '../../ocpp/feature-profiles';
import { ApiError } from '../http/api-error';
import { errorResponse, type ResponseSpec } from '../http/endpoint';
import { chargerCommandErrorResponses } from '../http/session-error-status';

export const featureProfileNotSupported = 'feature_profile_not_supported';

export async function requireFeatureProfile(pool: Pick<Pool, 'query'>, stationId: string, profile: FeatureProfile): Promise<void> {
  const { rows } = await pool.query<{ profiles: string[] | null }>('SELECT supported_feature_profiles AS profiles FROM station_configuration WHERE station_id = $1', [stationId]);
  const profiles = rows[0]?.profiles;
  if (!profiles || profiles.includes(profile)) return;
  throw new ApiError(
    409,
    featureProfileNotSupported,
    `station ${stationId} does not support the ${profile} feature profile (its SupportedFeatureProfiles: ${profiles.join(',') || 'none'})`,
  );
}

/** The 409 of a gated command: the registration refusal every command has, and the profile gate. */
export const featureProfileConflict: ResponseSpec = errorResponse(
  'The network has not accepted the station (station_not_accepted), or the station does not support the feature profile of the command (feature_profile_not_supported)',
);

/** A gated charger command's error answers. */
export const featureProfileGatedResponses: Record<number, ResponseSpec> = { ...chargerCommandErrorResponses, 409: featureProfileConflict };
