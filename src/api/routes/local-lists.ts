/**
 * Local authorization lists (operator): what each station holds and how its sync stands, a full
 * resync, the station access groups that restrict who may charge where, and id tag changes
 * (block, expire, reinstate). Every change wakes the local-list sync of the stations it may
 * touch (src/stations/local-list-wakeups.ts); the sync itself is workflows/local-list-sync.ts.
 */
import { z } from 'zod';
import { boundedList } from '../../ocpp/local-list-plan';
import { desiredLocalList, requestFullResync, stationLocalList } from '../../stations/local-list-store';
import { LocalListWakeups } from '../../stations/local-list-wakeups';
import { createLocalListWaker } from '../../stations/temporal-local-list-sync';
import type { ApiDeps } from '../deps';
import { notFound } from '../http/api-error';
import { featureProfileGatedResponses, requireFeatureProfile } from '../guards/feature-profile';
import { profileOfCommand } from '../../ocpp/feature-profiles';
import { assertStationExists } from './stations';
import { endpoint, Endpoint, errorResponse } from '../http/endpoint';
import { driverIdSchema, idTagSchema, isoTimeSchema, nameSchema, stationIdSchema } from '../schemas/common';
import { localListModeSchema, localListSyncStateSchema } from '../schemas/station-schemas';
import { dateTimeInputSchema } from '../schemas/station-operation-schemas';
import { updateIdTag } from '../stores/driver-store';
import { accessGroupsOfStation, deleteStationAccessGroup, getStationAccessGroup, listStationAccessGroups, putStationAccessGroup } from '../stores/station-access-store';
import { stationExists } from '../stores/station-store';

const idTagInfoSchema = z
  .object({
    status: z.enum(['Accepted', 'Blocked', 'Expired', 'Invalid', 'ConcurrentTx']),
    expiryDate: isoTimeSchema.optional(),
    parentIdTag: z.string().optional(),
  })
  .meta({ id: 'LocalListIdTagInfo' });
const listEntrySchema = z.object({ idTag: z.string(), idTagInfo: idTagInfoSchema }).meta({ id: 'LocalListEntry' });

const localListSyncSchema = z
  .object({
    mode: localListModeSchema,
    syncState: localListSyncStateSchema,
    confirmedVersion: z.number().int().nullable().meta({ description: 'The version the station accepted last; null: none yet', example: 3 }),
    confirmedEntries: z.number().int().meta({ description: 'Entries the station holds as it confirmed them', example: 120 }),
    leftOut: z
      .number()
      .int()
      .meta({ description: 'Id tags that may charge here but do not fit in the station\'s LocalAuthListMaxLength: Accepted tags are kept first, then revoked ones, in id tag order; those left out still charge online (Authorize)', example: 0 }),
    maxListLength: z.number().int().nullable().meta({ description: 'LocalAuthListMaxLength as last read; null: unknown' }),
    maxPerMessage: z.number().int().nullable().meta({ description: 'SendLocalListMaxLength as last read (longer lists go as several messages); null: unknown' }),
    fullResyncRequested: z.boolean().meta({ description: 'A full list is due (requested by an operator), not yet accepted' }),
    cacheClearPending: z.boolean().meta({ description: 'An id tag was revoked since the station last accepted ClearCache' }),
    detail: z.string().nullable(),
    syncedAt: isoTimeSchema.nullable(),
    updatedAt: isoTimeSchema.nullable(),
  })
  .meta({ id: 'LocalListSync' });

const stationLocalListSchema = z
  .object({
    stationId: stationIdSchema,
    workflowId: z.string().meta({ description: 'The station\'s sync workflow in the Temporal Web UI', example: 'local-list_CP_1' }),
    sync: localListSyncSchema,
    accessGroups: z.array(z.string()).meta({ description: 'The access groups the station is in; empty: every driver\'s id tags may charge here' }),
    confirmed: z.array(listEntrySchema).meta({ description: 'The list as the station confirmed it' }),
    expected: z.array(listEntrySchema).meta({ description: 'The list it should hold now (after LocalAuthListMaxLength, when known)' }),
  })
  .meta({ id: 'StationLocalList' });

const groupIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 characters: letters, digits, . _ : -')
  .meta({ description: 'Station access group id', example: 'depot-fleet' });

const uniqueIds = <T extends z.ZodType<string>>(item: T, what: string) =>
  z
    .array(item)
    .max(10_000)
    .refine((ids) => new Set(ids).size === ids.length, `must not repeat a ${what}`)
    .meta({ uniqueItems: true });

const accessGroupSchema = z
  .object({ groupId: groupIdSchema, name: z.string(), stationIds: z.array(stationIdSchema), driverIds: z.array(driverIdSchema), createdAt: isoTimeSchema })
  .meta({ id: 'StationAccessGroup' });

const idTagDetailSchema = z
  .object({
    idTag: z.string(),
    driverId: z.string().nullable(),
    status: z.enum(['Accepted', 'Blocked', 'Expired', 'Invalid']),
    expiryDate: isoTimeSchema.nullable(),
    parentIdTag: z.string().nullable(),
  })
  .meta({ id: 'IdTag' });

const wakeupsOfApp = new WeakMap<ApiDeps, LocalListWakeups>();

/**
 * The API's one coalescing waker of station syncs (shared by every route of an app): with the
 * waker given, else signal-with-start on the API's Temporal client.
 */
export function apiLocalListWakeups(deps: ApiDeps): LocalListWakeups {
  let wakeups = wakeupsOfApp.get(deps);
  if (!wakeups) {
    const wake = deps.localListWaker ?? createLocalListWaker({ client: deps.temporalClient, taskQueue: deps.config.TEMPORAL_TASK_QUEUE, config: deps.config });
    wakeups = new LocalListWakeups({ pool: deps.pool, wake, logger: deps.logger });
    wakeupsOfApp.set(deps, wakeups);
  }
  return wakeups;
}

export function localListEndpoints(deps: ApiDeps): Endpoint<any>[] {
  const { pool, chargerCommands } = deps;
  const wakeups = apiLocalListWakeups(deps);
  const wake: LocalListWakeups['request'] = (reason, stationIds) => wakeups.request(reason, stationIds);
  const stationParams = z.object({ id: stationIdSchema });
  const groupParams = z.object({ groupId: groupIdSchema });
  return [
    endpoint({
      operationId: 'getStationLocalList',
      method: 'get',
      path: '/v1/operator/stations/:id/local-list',
      tag: 'operator',
      access: 'operator',
      summary: "The station's Local Authorization List: confirmed version and entries, what it should hold, sync state",
      request: z.object({ params: stationParams }),
      responses: { 200: { description: 'The list', schema: stationLocalListSchema }, 404: errorResponse('Unknown station') },
      async handle(ctx, { params }) {
        if (!(await stationExists(pool, params.id))) throw notFound(`station ${params.id}`);
        const [{ view, entries }, desired, accessGroups] = await Promise.all([stationLocalList(pool, params.id), desiredLocalList(pool, params.id), accessGroupsOfStation(pool, params.id)]);
        ctx.body = {
          stationId: params.id,
          workflowId: `local-list_${params.id}`,
          sync: view,
          accessGroups,
          confirmed: entries,
          expected: boundedList(desired.entries, view.maxListLength ?? undefined).target,
        };
      },
    }),
    endpoint({
      operationId: 'getStationLocalListVersion',
      method: 'get',
      path: '/v1/operator/stations/:id/local-list/version',
      tag: 'operator',
      access: 'operator',
      summary: 'Ask the station its Local Authorization List version now (GetLocalListVersion)',
      description: "The station's answer: 0 for an empty list, -1 when it supports or enables no local list (OCPP 1.6 §5.10). The sync workflow asks the same on each pass; `local-list` shows what it last confirmed.",
      request: z.object({ params: stationParams }),
      responses: {
        200: {
          description: "The station's answer",
          schema: z.object({ stationId: stationIdSchema, listVersion: z.number().int().meta({ example: 3 }) }).meta({ id: 'LocalListVersion' }),
        },
        ...featureProfileGatedResponses,
      },
      async handle(ctx, { params }) {
        await assertStationExists(pool, params.id);
        await requireFeatureProfile(pool, params.id, profileOfCommand.getLocalListVersion);
        ctx.body = { stationId: params.id, ...(await chargerCommands.getLocalListVersion(params.id)) };
      },
    }),
    endpoint({
      operationId: 'resyncStationLocalList',
      method: 'post',
      path: '/v1/operator/stations/:id/local-list/resync',
      tag: 'operator',
      access: 'operator',
      summary: 'Send the station its whole list again (a Full SendLocalList), now or when it is next online',
      description: 'Recorded first, then the sync is woken: a station offline now gets it when it reconnects. A station recorded cache_only is asked again.',
      request: z.object({ params: stationParams }),
      responses: {
        202: { description: 'Requested', schema: z.object({ stationId: stationIdSchema, sync: localListSyncSchema }) },
        404: errorResponse('Unknown station'),
      },
      async handle(ctx, { params }) {
        if (!(await stationExists(pool, params.id))) throw notFound(`station ${params.id}`);
        await requestFullResync(pool, params.id);
        wake('resync_requested', [params.id]);
        ctx.status = 202;
        ctx.body = { stationId: params.id, sync: (await stationLocalList(pool, params.id)).view };
      },
    }),
    endpoint({
      operationId: 'listStationAccessGroups',
      method: 'get',
      path: '/v1/operator/station-access-groups',
      tag: 'operator',
      access: 'operator',
      summary: 'Station access groups: which drivers may charge at which stations',
      description: 'A station in no group admits every driver; a station in one or more groups admits only the drivers of those groups, on its Local Authorization List and online (Authorize, StartTransaction: any other tag is Invalid there).',
      request: z.object({}),
      responses: { 200: { description: 'Groups', schema: z.object({ groups: z.array(accessGroupSchema) }) } },
      async handle(ctx) {
        ctx.body = { groups: await listStationAccessGroups(pool) };
      },
    }),
    endpoint({
      operationId: 'getStationAccessGroup',
      method: 'get',
      path: '/v1/operator/station-access-groups/:groupId',
      tag: 'operator',
      access: 'operator',
      summary: 'One station access group',
      request: z.object({ params: groupParams }),
      responses: { 200: { description: 'The group', schema: accessGroupSchema }, 404: errorResponse('Unknown group') },
      async handle(ctx, { params }) {
        const group = await getStationAccessGroup(pool, params.groupId);
        if (!group) throw notFound(`station access group ${params.groupId}`);
        ctx.body = group;
      },
    }),
    endpoint({
      operationId: 'putStationAccessGroup',
      method: 'put',
      path: '/v1/operator/station-access-groups/:groupId',
      tag: 'operator',
      access: 'operator',
      summary: 'Create or replace a station access group (restricts who may charge at its stations)',
      description: 'Restricting one station is a group with that one station. The stations\' lists are updated by their sync workflows.',
      request: z.object({
        params: groupParams,
        body: z
          .strictObject({ name: nameSchema(200), stationIds: uniqueIds(stationIdSchema, 'station'), driverIds: uniqueIds(driverIdSchema, 'driver') })
          .meta({ id: 'PutStationAccessGroupRequest', example: { name: 'Depot fleet', stationIds: ['CP_1'], driverIds: ['alice'] } }),
      }),
      responses: {
        200: { description: 'Replaced', schema: accessGroupSchema },
        201: { description: 'Created', schema: accessGroupSchema },
        400: errorResponse('Invalid body'),
        404: errorResponse('An unknown station or driver (each named in details)'),
      },
      async handle(ctx, { params, body }) {
        const before = await getStationAccessGroup(pool, params.groupId);
        const { group, created } = await putStationAccessGroup(pool, { groupId: params.groupId, ...body });
        wake('access_changed', [...new Set([...(before?.stationIds ?? []), ...group.stationIds])]);
        ctx.status = created ? 201 : 200;
        ctx.body = group;
      },
    }),
    endpoint({
      operationId: 'deleteStationAccessGroup',
      method: 'delete',
      path: '/v1/operator/station-access-groups/:groupId',
      tag: 'operator',
      access: 'operator',
      summary: 'Remove a station access group (its stations admit every driver again, unless in another group)',
      request: z.object({ params: groupParams }),
      responses: { 204: { description: 'Removed' }, 404: errorResponse('Unknown group') },
      async handle(ctx, { params }) {
        const stations = await deleteStationAccessGroup(pool, params.groupId);
        if (!stations) throw notFound(`station access group ${params.groupId}`);
        wake('access_changed', stations);
        ctx.status = 204;
      },
    }),
    endpoint({
      operationId: 'updateIdTag',
      method: 'patch',
      path: '/v1/operator/id-tags/:idTag',
      tag: 'operator',
      access: 'operator',
      summary: 'Block, expire or reinstate an id tag, or set its parent id tag',
      description:
        'The change reaches every station: as a Differential SendLocalList where the station keeps a list, and a revocation (Accepted → Blocked/Expired/Invalid, or an expiry date in the past) also as ClearCache, so a charger that cached the tag refuses it. Stations offline get it when they reconnect.',
      request: z.object({
        params: z.object({ idTag: idTagSchema }),
        body: z
          .strictObject({
            status: z.enum(['Accepted', 'Blocked', 'Expired', 'Invalid']).optional(),
            expiryDate: dateTimeInputSchema.nullable().optional().meta({ description: 'null clears it' }),
            parentIdTag: idTagSchema.nullable().optional().meta({ description: 'OCPP parentIdTag (a group of cards); null clears it' }),
          })
          .refine((b) => Object.keys(b).length > 0, 'name at least one of status, expiryDate, parentIdTag')
          .meta({ id: 'UpdateIdTagRequest', minProperties: 1, example: { status: 'Blocked' } }),
      }),
      responses: { 200: { description: 'The id tag as changed', schema: idTagDetailSchema }, 400: errorResponse('Invalid body'), 404: errorResponse('Unknown id tag') },
      async handle(ctx, { params, body }) {
        const tag = await updateIdTag(pool, params.idTag, body);
        if (!tag) throw notFound(`id tag ${params.idTag}`);
        wake('id_tags_changed');
        ctx.body = tag;
      },
    }),
  ];
}
