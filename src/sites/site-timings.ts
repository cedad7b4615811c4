import type { Config } from '../config/config';
import type { SiteTimings } from '../../workflows/site-messages';

/** The site load manager's durations from configuration, passed into its workflow. */
export function siteTimingsFromConfig(config: Config): SiteTimings {
  return {
    pollIntervalMs: config.SITE_POLL_INTERVAL_MS,
    offlineGraceMs: config.SITE_OFFLINE_GRACE_MS,
    retryFailedMs: config.SITE_RETRY_FAILED_MS,
    commandTimeoutMs: config.SITE_COMMAND_TIMEOUT_MS,
    commandMaxAttempts: 2,
  };
}
