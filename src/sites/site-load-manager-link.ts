/**
 * How the site service reaches a site's load manager: tell it the site's configuration, read its
 * allocation. The Temporal implementation is temporal-site-load-manager.ts.
 */
import type { SiteAllocationView, SiteConfig } from '../../workflows/site-messages';

export interface SiteLoadManagerLink {
  /** Starts the site's workflow if it is not running (signal-with-start) and sends it the configuration. */
  configure(config: SiteConfig): Promise<void>;
  /** The allocation now (a query); null when the workflow is not running. */
  allocation(siteId: string): Promise<SiteAllocationView | null>;
}

/** Temporal could not be reached: the declaration is stored, the workflow is told on the next change or allocation read. */
export class SiteLoadManagerUnreachable extends Error {
  override readonly name = 'SiteLoadManagerUnreachable';
}

/** Any failure of the link as SiteLoadManagerUnreachable, with its cause. */
export async function reachLoadManager<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw new SiteLoadManagerUnreachable(`the site's load manager could not be reached: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
