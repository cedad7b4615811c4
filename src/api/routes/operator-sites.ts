/**
 * Sites (site load management): stations behind one grid connection whose limit the site's
 * workflow (workflows/site-load-manager.ts, `site_<id>` in the Web UI) shares among their
 * charging sessions. Operators declare the site and its stations here and read its live allocation.
 */
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { ApiError, notFound } from '../http/api-error';
import { endpoint, Endpoint, errorResponse } from '../http/endpoint';
import { stationIdSchema } from '../schemas/common';
import { listLimitQuery } from '../schemas/station-operation-schemas';
import { assignStationRequestSchema, createSiteRequestSchema, siteAllocationSchema, siteIdSchema, siteSchema, updateSiteRequestSchema } from '../schemas/site-schemas';
import { SiteLoadManagerUnreachable } from '../../sites/site-load-manager-link';

const unreachable = errorResponse("The site is stored, but its load manager (Temporal) could not be reached (load_manager_unreachable); it is told on the site's next change or allocation read");

/** The link's failure as its 503; anything else is a failure of ours. */
async function answering<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (err instanceof SiteLoadManagerUnreachable) throw new ApiError(503, 'load_manager_unreachable', err.message);
    throw err;
  }
}

export function operatorSiteEndpoints({ sites }: ApiDeps): Endpoint<any>[] {
  const siteParams = z.object({ id: siteIdSchema });
  const siteStationParams = z.object({ id: siteIdSchema, stationId: stationIdSchema });
  return [
    endpoint({
      operationId: 'createSite',
      method: 'post',
      path: '/v1/operator/sites',
      tag: 'operator',
      access: 'operator',
      summary: 'Declare a site: a grid connection with a limit (kW), optionally by time of day',
      description:
        "Starts the site's load manager (a workflow per site, `site_<id>` in the Temporal Web UI), which shares the limit among the sessions charging on the site's stations " +
        'with charging profiles (equal shares, 6 A per phase at least or paused, unused headroom redistributed). Add stations with PUT /v1/operator/sites/{id}/stations/{stationId}.',
      request: z.object({ body: createSiteRequestSchema }),
      responses: { 201: { description: 'Declared', schema: siteSchema }, 409: errorResponse('A site with this id exists (site_exists)'), 503: unreachable },
      async handle(ctx, { body }) {
        const site = await answering(() => sites.createSite({ id: body.id, name: body.name, timeZone: body.timeZone, limitKw: body.limitKw, limitWindows: body.limitWindows }));
        if (!site) throw new ApiError(409, 'site_exists', `site ${body.id} already exists`);
        ctx.status = 201;
        ctx.set('Location', `/v1/operator/sites/${site.id}`);
        ctx.body = site;
      },
    }),
    endpoint({
      operationId: 'listSites',
      method: 'get',
      path: '/v1/operator/sites',
      tag: 'operator',
      access: 'operator',
      summary: 'Sites, by id',
      request: z.object({ query: listLimitQuery }),
      responses: { 200: { description: 'Sites', schema: z.object({ sites: z.array(siteSchema) }) } },
      async handle(ctx, { query }) {
        ctx.body = { sites: await sites.listSites(query.limit) };
      },
    }),
    endpoint({
      operationId: 'getSite',
      method: 'get',
      path: '/v1/operator/sites/:id',
      tag: 'operator',
      access: 'operator',
      summary: 'One site: its limit, windows and stations',
      request: z.object({ params: siteParams }),
      responses: { 200: { description: 'The site', schema: siteSchema }, 404: errorResponse('Unknown site') },
      async handle(ctx, { params }) {
        const site = await sites.getSite(params.id);
        if (!site) throw notFound(`site ${params.id}`);
        ctx.body = site;
      },
    }),
    endpoint({
      operationId: 'updateSite',
      method: 'patch',
      path: '/v1/operator/sites/:id',
      tag: 'operator',
      access: 'operator',
      summary: "Change a site's name, time zone, limit or windows (applied by its load manager at once)",
      request: z.object({ params: siteParams, body: updateSiteRequestSchema }),
      responses: { 200: { description: 'Changed', schema: siteSchema }, 404: errorResponse('Unknown site'), 503: unreachable },
      async handle(ctx, { params, body }) {
        const site = await answering(() => sites.updateSite(params.id, body));
        if (!site) throw notFound(`site ${params.id}`);
        ctx.body = site;
      },
    }),
    endpoint({
      operationId: 'assignSiteStation',
      method: 'put',
      path: '/v1/operator/sites/:id/stations/:stationId',
      tag: 'operator',
      access: 'operator',
      summary: 'Put a station in the site (a station is in at most one site), with its own maximum',
      description: 'Sessions that begin charging on the station from now on are managed by the site.',
      request: z.object({ params: siteStationParams, body: assignStationRequestSchema }),
      responses: {
        200: { description: 'The site with the station', schema: siteSchema },
        404: errorResponse('Unknown site or station'),
        409: errorResponse('The station is in another site (station_in_other_site): remove it there first'),
        503: unreachable,
      },
      async handle(ctx, { params, body }) {
        const { outcome, site } = await answering(() => sites.assignStation(params.id, params.stationId, body.maxPowerKw ?? null));
        if (outcome === 'no_site') throw notFound(`site ${params.id}`);
        if (outcome === 'no_station') throw notFound(`station ${params.stationId}`);
        if (typeof outcome === 'object') throw new ApiError(409, 'station_in_other_site', `station ${params.stationId} is in site ${outcome.inOtherSite}`);
        ctx.body = site;
      },
    }),
    endpoint({
      operationId: 'removeSiteStation',
      method: 'delete',
      path: '/v1/operator/sites/:id/stations/:stationId',
      tag: 'operator',
      access: 'operator',
      summary: 'Take a station out of the site (its sessions are no longer managed)',
      request: z.object({ params: siteStationParams }),
      responses: { 200: { description: 'The site without the station', schema: siteSchema }, 404: errorResponse('Unknown site, or the station is not in it'), 503: unreachable },
      async handle(ctx, { params }) {
        const site = await answering(() => sites.removeStation(params.id, params.stationId));
        if (!site) throw notFound(`station ${params.stationId} in site ${params.id}`);
        ctx.body = site;
      },
    }),
    endpoint({
      operationId: 'getSiteAllocation',
      method: 'get',
      path: '/v1/operator/sites/:id/allocation',
      tag: 'operator',
      access: 'operator',
      summary: "The site's allocation now, live from its load manager",
      description: 'Per session: its allocation, what is counted as in force on its charger, the limit the charger accepted, its measured power and flags (a charger that rejected its profile, rebooted, went offline).',
      request: z.object({ params: siteParams }),
      responses: { 200: { description: 'The allocation', schema: siteAllocationSchema }, 404: errorResponse('Unknown site'), 503: unreachable },
      async handle(ctx, { params }) {
        const view = await answering(() => sites.allocation(params.id));
        if (!view) throw notFound(`site ${params.id}`);
        ctx.body = view;
      },
    }),
  ];
}
