import type { Config } from '../config/config';
import type { SessionTimings } from '../../workflows/session-messages';

/** The session durations from configuration, passed into every session workflow. */
export function sessionTimingsFromConfig(config: Config): SessionTimings {
  return {
    plugInTimeoutMs: config.SESSION_PLUG_IN_TIMEOUT_MS,
    commandTimeoutMs: config.SESSION_COMMAND_TIMEOUT_MS,
    commandMaxAttempts: config.SESSION_COMMAND_MAX_ATTEMPTS,
    offlineGraceMs: config.SESSION_OFFLINE_GRACE_MS,
    stopConfirmTimeoutMs: config.SESSION_STOP_CONFIRM_TIMEOUT_MS,
  };
}
