/**
 * Operators manage tariffs: price per kWh plus optional components (per minute, idle fee, session
 * fee, min/max, tax, time of use, rounding), exact decimal strings. Every change to what a tariff
 * charges bumps its version; running and finished sessions keep the version they started with.
 */
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { notFound } from '../http/api-error';
import { endpoint, Endpoint, errorResponse } from '../http/endpoint';
import { currencySchema, decimalStringSchema, nameSchema, tariffIdSchema } from '../schemas/common';
import { minAboveMaxIssue, minNotAboveMax, tariffComponentFields, tariffSchema } from '../schemas/tariff-schemas';
import { createTariff, deleteTariff, getTariff, getTariffVersion, listTariffs, updateTariff } from '../stores/tariff-store';


export function operatorTariffEndpoints(deps: ApiDeps): Endpoint<any>[] {
  const { pool } = deps;
  const tariffParams = z.object({ id: tariffIdSchema });
  const fields = {
    name: nameSchema(200),
    currency: currencySchema,
    ratePerKwh: decimalStringSchema,
    isDefault: z.boolean().meta({ description: 'Used by chargers without a tariff of their own (one default at a time)' }),
  };
  const c = tariffComponentFields;
  const createShape = {
    id: tariffIdSchema,
    ...fields,
    isDefault: fields.isDefault.default(false),
    pricePerMinute: c.pricePerMinute.optional(),
    sessionFee: c.sessionFee.optional(),
    idleFeePerMinute: c.idleFeePerMinute.optional(),
    idleGraceMinutes: c.idleGraceMinutes.optional(),
    minPrice: c.minPrice.optional(),
    maxPrice: c.maxPrice.optional(),
    taxRate: c.taxRate.optional(),
    pricesIncludeTax: c.pricesIncludeTax.optional(),
    rounding: c.rounding.optional(),
    timeOfUse: c.timeOfUse.optional(),
    reservationFee: c.reservationFee.optional(),
    reservationFeePerMinute: c.reservationFeePerMinute.optional(),
    reservationFeeIfUnused: c.reservationFeeIfUnused.optional(),
  };
  // null removes an optional price component.
  const updateShape = {
    name: fields.name.optional(),
    currency: fields.currency.optional(),
    ratePerKwh: fields.ratePerKwh.optional(),
    isDefault: fields.isDefault.optional(),
    pricePerMinute: c.pricePerMinute.nullable().optional(),
    sessionFee: c.sessionFee.nullable().optional(),
    idleFeePerMinute: c.idleFeePerMinute.nullable().optional(),
    idleGraceMinutes: c.idleGraceMinutes.nullable().optional(),
    minPrice: c.minPrice.nullable().optional(),
    maxPrice: c.maxPrice.nullable().optional(),
    taxRate: c.taxRate.nullable().optional(),
    pricesIncludeTax: c.pricesIncludeTax.optional(),
    rounding: c.rounding.optional(),
    timeOfUse: c.timeOfUse.optional(),
    reservationFee: c.reservationFee.nullable().optional(),
    reservationFeePerMinute: c.reservationFeePerMinute.nullable().optional(),
    reservationFeeIfUnused: c.reservationFeeIfUnused.optional(),
  };
  return [
    endpoint({
      operationId: 'listTariffs',
      method: 'get',
      path: '/v1/operator/tariffs',
      tag: 'operator',
      access: 'operator',
      summary: 'All tariffs',
      request: z.object({}),
      responses: { 200: { description: 'Tariffs', schema: z.object({ tariffs: z.array(tariffSchema) }) } },
      async handle(ctx) {
        ctx.body = { tariffs: await listTariffs(pool) };
      },
    }),
    endpoint({
      operationId: 'createTariff',
      method: 'post',
      path: '/v1/operator/tariffs',
      tag: 'operator',
      access: 'operator',
      summary: 'Create a tariff',
      request: z.object({
        body: z
          .strictObject(createShape)
          .refine(minNotAboveMax, minAboveMaxIssue)
          .meta({ id: 'CreateTariffRequest' }),
      }),
      responses: { 201: { description: 'Created', schema: tariffSchema }, 400: errorResponse('Invalid body'), 409: errorResponse('The tariff id exists') },
      async handle(ctx, { body }) {
        const { id, ...input } = body;
        ctx.status = 201;
        ctx.body = await createTariff(pool, id, input);
      },
    }),
    endpoint({
      operationId: 'getTariff',
      method: 'get',
      path: '/v1/operator/tariffs/:id',
      tag: 'operator',
      access: 'operator',
      summary: 'One tariff',
      request: z.object({ params: tariffParams }),
      responses: { 200: { description: 'The tariff', schema: tariffSchema }, 404: errorResponse('Unknown tariff') },
      async handle(ctx, { params }) {
        const tariff = await getTariff(pool, params.id);
        if (!tariff) throw notFound(`tariff ${params.id}`);
        ctx.body = tariff;
      },
    }),
    endpoint({
      operationId: 'getTariffVersion',
      method: 'get',
      path: '/v1/operator/tariffs/:id/versions/:version',
      tag: 'operator',
      access: 'operator',
      summary: 'A tariff as it was at one version (what a receipt with that tariff_version was billed by)',
      request: z.object({
        params: z.object({
          id: tariffIdSchema,
          version: z.coerce.number({ error: 'must be a number' }).int('must be a whole number').min(1, 'must be 1 or more').max(2_147_483_647, 'is too large'),
        }),
      }),
      responses: { 200: { description: 'The tariff at that version', schema: tariffSchema }, 400: errorResponse('Invalid version'), 404: errorResponse('Unknown tariff or version') },
      async handle(ctx, { params }) {
        const tariff = await getTariffVersion(pool, params.id, params.version);
        if (!tariff) throw notFound(`tariff ${params.id} version ${params.version}`);
        ctx.body = tariff;
      },
    }),
    endpoint({
      operationId: 'updateTariff',
      method: 'patch',
      path: '/v1/operator/tariffs/:id',
      tag: 'operator',
      access: 'operator',
      summary: 'Change a tariff',
      request: z.object({
        params: tariffParams,
        body: z
          .strictObject(updateShape)
          .refine((b) => Object.keys(b).length > 0, 'name at least one field to change')
          .refine(minNotAboveMax, minAboveMaxIssue)
          .meta({ id: 'UpdateTariffRequest', description: 'Fields to change (at least one); null removes an optional component', minProperties: 1 }),
      }),
      responses: { 200: { description: 'Changed', schema: tariffSchema }, 400: errorResponse('Invalid body'), 404: errorResponse('Unknown tariff') },
      async handle(ctx, { params, body }) {
        ctx.body = await updateTariff(pool, params.id, body);
      },
    }),
    endpoint({
      operationId: 'deleteTariff',
      method: 'delete',
      path: '/v1/operator/tariffs/:id',
      tag: 'operator',
      access: 'operator',
      summary: 'Remove a tariff (its chargers fall back to the default)',
      request: z.object({ params: tariffParams }),
      responses: { 204: { description: 'Removed' }, 404: errorResponse('Unknown tariff') },
      async handle(ctx, { params }) {
        await deleteTariff(pool, params.id);
        ctx.status = 204;
      },
    }),
  ];
}
