/**
 * A stand-in for the site load manager in API tests that run without Temporal: it keeps the last
 * configuration each site was sent and answers an allocation with no sessions. The real link is
 * exercised in test/sites/*.
 */
import type { SiteLoadManagerLink } from '../../../src/sites/site-load-manager-link';
import type { SiteConfig } from '../../../workflows/site-messages';
import { siteLimitAt } from '../../../src/load-management/site-limit-schedule';

export class ScriptedSiteLoadManager implements SiteLoadManagerLink {
  readonly configured = new Map<string, SiteConfig>();

  async configure(config: SiteConfig): Promise<void> {
    this.configured.set(config.siteId, config);
  }

  async allocation(siteId: string) {
    const config = this.configured.get(siteId);
    if (!config) return null;
    const limitW = siteLimitAt(config.limit, Date.now());
    return { siteId, name: config.name, timeZone: config.limit.timeZone, limitW, countedW: 0, withinLimit: true, stationIds: config.stationIds, sessions: [], updatedAt: new Date().toISOString() };
  }
}
