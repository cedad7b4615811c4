/**
 * Sites as the API sees them (SitePort in src/api/deps.ts): the declaration is written to
 * PostgreSQL first, then the site's load manager is told (signal-with-start), so the workflow
 * always runs with what the operator last declared; the allocation is read from the workflow.
 */
import type { Pool } from '../db/pool';
import type { SiteAllocationView } from '../../workflows/site-messages';
import { reachLoadManager, type SiteLoadManagerLink } from './site-load-manager-link';
import { assignStation, getSite, insertSite, listSiteIds, removeStation, siteConfigOf, updateSite, type AssignOutcome, type SiteRecord, type SiteWrite } from './site-store';

export type { SiteRecord, SiteWrite, AssignOutcome };

export class SiteService {
  constructor(private readonly deps: { pool: Pool; loadManager: SiteLoadManagerLink }) {}

  /** null: a site with this id exists. */
  async createSite(site: SiteWrite): Promise<SiteRecord | null> {
    if (!(await insertSite(this.deps.pool, site))) return null;
    return this.configured(site.id);
  }

  /** null: no such site. */
  async updateSite(id: string, change: Partial<Omit<SiteWrite, 'id'>>): Promise<SiteRecord | null> {
    if (!(await updateSite(this.deps.pool, id, change))) return null;
    return this.configured(id);
  }

  getSite(id: string): Promise<SiteRecord | null> {
    return getSite(this.deps.pool, id);
  }

  async listSites(limit: number): Promise<SiteRecord[]> {
    const ids = await listSiteIds(this.deps.pool, limit);
    const sites = await Promise.all(ids.map((id) => getSite(this.deps.pool, id)));
    return sites.filter((s): s is SiteRecord => s !== null);
  }

  async assignStation(siteId: string, stationId: string, maxPowerKw: string | null): Promise<{ outcome: AssignOutcome; site: SiteRecord | null }> {
    const outcome = await assignStation(this.deps.pool, siteId, stationId, maxPowerKw);
    return { outcome, site: outcome === 'assigned' ? await this.configured(siteId) : null };
  }

  /** null: the station is not in this site. */
  async removeStation(siteId: string, stationId: string): Promise<SiteRecord | null> {
    if (!(await removeStation(this.deps.pool, siteId, stationId))) return null;
    return this.configured(siteId);
  }

  /** null: no such site. A site whose workflow is not running (it could not be started when the site was declared) gets it started now. */
  async allocation(siteId: string): Promise<SiteAllocationView | null> {
    const site = await getSite(this.deps.pool, siteId);
    if (!site) return null;
    const { loadManager } = this.deps;
    const view = await reachLoadManager(() => loadManager.allocation(siteId));
    if (view) return view;
    await reachLoadManager(() => loadManager.configure(siteConfigOf(site)));
    return reachLoadManager(() => loadManager.allocation(siteId));
  }

  private async configured(id: string): Promise<SiteRecord> {
    const site = (await getSite(this.deps.pool, id))!;
    await reachLoadManager(() => this.deps.loadManager.configure(siteConfigOf(site)));
    return site;
  }
}
