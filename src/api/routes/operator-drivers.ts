/** Operators manage drivers, their id tags and their API tokens (a token is shown once). */
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { notFound } from '../http/api-error';
import { endpoint, Endpoint, errorResponse } from '../http/endpoint';
import { driverIdSchema, idTagSchema, isoTimeSchema, nameSchema } from '../schemas/common';
import { addIdTag, createDriver, deleteDriver, getDriver, listDrivers, removeIdTag } from '../stores/driver-store';
import { issueDriverToken, revokeDriverTokens } from '../stores/token-store';
import { apiLocalListWakeups } from './local-lists';


const driverSchema = z
  .object({
    driverId: driverIdSchema,
    name: z.string(),
    idTags: z.array(z.object({ idTag: z.string(), status: z.string(), expiryDate: isoTimeSchema.nullable() })),
    createdAt: isoTimeSchema,
  })
  .meta({ id: 'Driver' });

const issuedTokenSchema = z.string().meta({ description: 'Bearer token; shown only in this answer, stored only as a hash' });

export function operatorDriverEndpoints(deps: ApiDeps): Endpoint<any>[] {
  const { pool } = deps;
  // Id tags changed: every station's local list may change (the sync reads what, from PostgreSQL).
  const wakeups = apiLocalListWakeups(deps);
  const idTagsChanged = () => wakeups.request('id_tags_changed');
  const driverParams = z.object({ id: driverIdSchema });
  return [
    endpoint({
      operationId: 'createDriver',
      method: 'post',
      path: '/v1/operator/drivers',
      tag: 'operator',
      access: 'operator',
      summary: 'Create a driver with id tags; answers their bearer token once',
      request: z.object({
        body: z
          .strictObject({
            driverId: driverIdSchema,
            name: nameSchema(200),
            idTags: z
              .array(idTagSchema)
              .min(1, 'a driver needs at least one id tag (it is what RemoteStartTransaction sends)')
              .max(20)
              .refine((tags) => new Set(tags).size === tags.length, 'must not repeat a tag')
              .meta({ uniqueItems: true }),
          })
          .meta({ id: 'CreateDriverRequest' }),
      }),
      responses: {
        201: { description: 'Created', schema: z.object({ driver: driverSchema, token: issuedTokenSchema }) },
        400: errorResponse('Invalid body'),
        409: errorResponse('The driver or one of the id tags exists already'),
      },
      async handle(ctx, { body }) {
        const created = await createDriver(pool, body);
        idTagsChanged();
        ctx.status = 201;
        ctx.set('Location', `/v1/operator/drivers/${body.driverId}`);
        ctx.set('Cache-Control', 'no-store'); // the token must not linger in caches
        ctx.body = created;
      },
    }),
    endpoint({
      operationId: 'listDrivers',
      method: 'get',
      path: '/v1/operator/drivers',
      tag: 'operator',
      access: 'operator',
      summary: 'All drivers with their id tags',
      request: z.object({}),
      responses: { 200: { description: 'Drivers', schema: z.object({ drivers: z.array(driverSchema) }) } },
      async handle(ctx) {
        ctx.body = { drivers: await listDrivers(pool) };
      },
    }),
    endpoint({
      operationId: 'getDriver',
      method: 'get',
      path: '/v1/operator/drivers/:id',
      tag: 'operator',
      access: 'operator',
      summary: 'One driver with their id tags',
      request: z.object({ params: driverParams }),
      responses: { 200: { description: 'The driver', schema: driverSchema }, 404: errorResponse('Unknown driver') },
      async handle(ctx, { params }) {
        const driver = await getDriver(pool, params.id);
        if (!driver) throw notFound(`driver ${params.id}`);
        ctx.body = driver;
      },
    }),
    endpoint({
      operationId: 'deleteDriver',
      method: 'delete',
      path: '/v1/operator/drivers/:id',
      tag: 'operator',
      access: 'operator',
      summary: 'Remove a driver, their tokens and id tags (their sessions and receipts stay)',
      request: z.object({ params: driverParams }),
      responses: { 204: { description: 'Removed' }, 404: errorResponse('Unknown driver') },
      async handle(ctx, { params }) {
        await deleteDriver(pool, params.id);
        idTagsChanged();
        ctx.status = 204;
      },
    }),
    endpoint({
      operationId: 'addDriverIdTag',
      method: 'post',
      path: '/v1/operator/drivers/:id/id-tags',
      tag: 'operator',
      access: 'operator',
      summary: 'Give a driver another id tag',
      request: z.object({ params: driverParams, body: z.strictObject({ idTag: idTagSchema }) }),
      responses: { 201: { description: 'Added', schema: driverSchema }, 404: errorResponse('Unknown driver'), 409: errorResponse('The id tag belongs to someone') },
      async handle(ctx, { params, body }) {
        await addIdTag(pool, params.id, body.idTag);
        idTagsChanged();
        ctx.status = 201;
        ctx.body = await getDriver(pool, params.id);
      },
    }),
    endpoint({
      operationId: 'removeDriverIdTag',
      method: 'delete',
      path: '/v1/operator/drivers/:id/id-tags/:idTag',
      tag: 'operator',
      access: 'operator',
      summary: "Remove one of a driver's id tags",
      request: z.object({ params: z.object({ id: driverIdSchema, idTag: idTagSchema }) }),
      responses: { 204: { description: 'Removed' }, 404: errorResponse('Unknown driver or id tag') },
      async handle(ctx, { params }) {
        await removeIdTag(pool, params.id, params.idTag);
        idTagsChanged();
        ctx.status = 204;
      },
    }),
    endpoint({
      operationId: 'issueDriverToken',
      method: 'post',
      path: '/v1/operator/drivers/:id/tokens',
      tag: 'operator',
      access: 'operator',
      summary: 'Issue a driver a new bearer token (optionally revoking the old ones); shown once',
      request: z.object({
        params: driverParams,
        body: z.strictObject({ revokeExisting: z.boolean().default(false) }).optional(),
      }),
      responses: {
        201: { description: 'Issued', schema: z.object({ driverId: driverIdSchema, token: issuedTokenSchema, revoked: z.number().int() }) },
        404: errorResponse('Unknown driver'),
      },
      async handle(ctx, { params, body }) {
        if (!(await getDriver(pool, params.id))) throw notFound(`driver ${params.id}`);
        const revoked = body?.revokeExisting ? await revokeDriverTokens(pool, params.id) : 0;
        const token = await issueDriverToken(pool, params.id);
        ctx.status = 201;
        ctx.set('Cache-Control', 'no-store');
        ctx.body = { driverId: params.id, token, revoked };
      },
    }),
  ];
}
