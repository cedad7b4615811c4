/**
 * The Temporal side of SiteLoadManagerLink: one siteLoadManager workflow per site (id
 * `site_<siteId>`), started on the first configuration with signal-with-start and told every
 * later one by the same call, so creating a site and changing it are one idempotent operation.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { siteLoadManager } from '../../workflows/site-load-manager';
import { siteAllocationQuery, siteConfiguredSignal, siteWorkflowId, type SiteTimings } from '../../workflows/site-messages';
import type { SiteLoadManagerLink } from './site-load-manager-link';
import { withGatewayDeadline } from '../temporal/gateway-calls';

export function createTemporalSiteLoadManager({ client, taskQueue, timings }: { client: Client; taskQueue: string; timings: SiteTimings }): SiteLoadManagerLink {
  return {
    async configure(config) {
      await client.workflow.signalWithStart(siteLoadManager, {
        workflowId: siteWorkflowId(config.siteId),
        taskQueue,
        args: [{ config, timings }],
        signal: siteConfiguredSignal,
        signalArgs: [config],
      });
    },
    async allocation(siteId) {
      try {
        // Bounded like the gateway's calls: a query no worker answers is a 503, not a request held open.
        return await withGatewayDeadline(client, () => client.workflow.getHandle(siteWorkflowId(siteId)).query(siteAllocationQuery));
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return null;
        throw err;
      }
    },
  };
}
