/** Operators register, change and remove chargers. Passwords are stored only as scrypt hashes. */
import { z } from 'zod';
import { hashPassword } from '../../security/password';
import type { ApiDeps } from '../deps';
import { notFound } from '../http/api-error';
import { endpoint, Endpoint, errorResponse } from '../http/endpoint';
import { stationIdSchema, tariffIdSchema, timeZoneSchema } from '../schemas/common';
import { stationSchema } from '../schemas/station-schemas';
import { getStation, registerCharger, removeCharger, updateCharger } from '../stores/station-store';


/** OCPP 1.6 security whitepaper (AuthorizationKey) and OCPP 2.0.1 A00.FR.205 (BasicAuthPassword): 16 to 40 printable ASCII characters. */
const chargerPasswordSchema = z
  .string()
  .min(16, 'must be at least 16 characters (OCPP Security Profile 1/2)')
  .max(40, 'must be at most 40 characters (OCPP Security Profile 1/2)')
  .regex(/^[\x20-\x7e]+$/, 'must be printable ASCII')
  .meta({ description: 'HTTP Basic auth password the charger uses (16-40 characters)' });

export function operatorChargerEndpoints(deps: ApiDeps): Endpoint<any>[] {
  const { pool, chargerCommands, logger } = deps;
  const stationParams = z.object({ id: stationIdSchema });
  return [
    endpoint({
      operationId: 'registerCharger',
      method: 'post',
      path: '/v1/operator/chargers',
      tag: 'operator',
      access: 'operator',
      summary: 'Register a charger (id and password)',
      request: z.object({
        body: z
          .strictObject({
            stationId: stationIdSchema,
            password: chargerPasswordSchema,
            tariffId: tariffIdSchema.optional().meta({ description: 'Default: the default tariff' }),
            connectors: z.number().int().min(0).max(99).default(1).meta({ description: 'Connectors to list before the charger reports them' }),
            timeZone: timeZoneSchema.default('UTC'),
          })
          .meta({ id: 'RegisterChargerRequest' }),
      }),
      responses: {
        201: { description: 'Registered', schema: stationSchema },
        400: errorResponse('Invalid body'),
        404: errorResponse('Unknown tariff'),
        409: errorResponse('A charger with this id is already registered'),
      },
      async handle(ctx, { body }) {
        await registerCharger(pool, {
          stationId: body.stationId,
          passwordHash: await hashPassword(body.password),
          tariffId: body.tariffId ?? null,
          connectors: body.connectors,
          timeZone: body.timeZone,
        });
        ctx.status = 201;
        ctx.set('Location', `/v1/stations/${body.stationId}`);
        ctx.body = await getStation(pool, body.stationId);
      },
    }),
    endpoint({
      operationId: 'updateCharger',
      method: 'patch',
      path: '/v1/operator/chargers/:id',
      tag: 'operator',
      access: 'operator',
      summary: "Change a charger's password, tariff, time zone or registration",
      request: z.object({
        params: stationParams,
        body: z
          .strictObject({
            password: chargerPasswordSchema.optional(),
            tariffId: tariffIdSchema.nullable().optional().meta({ description: 'null: use the default tariff' }),
            registrationStatus: z.enum(['Accepted', 'Rejected']).optional().meta({ description: 'Accept a Pending (auto-registered) charger, or shut one out' }),
            timeZone: timeZoneSchema.optional().meta({ description: 'New sessions follow it; a running session keeps the snapshot it started with' }),
          })
          .refine((b) => Object.keys(b).length > 0, 'name at least one of password, tariffId, registrationStatus, timeZone')
          .meta({ id: 'UpdateChargerRequest', description: 'Fields to change (at least one)', minProperties: 1 }),
      }),
      responses: { 200: { description: 'Changed', schema: stationSchema }, 400: errorResponse('Invalid body'), 404: errorResponse('Unknown charger or tariff') },
      async handle(ctx, { params, body }) {
        await updateCharger(pool, params.id, {
          passwordHash: body.password === undefined ? undefined : await hashPassword(body.password),
          tariffId: body.tariffId,
          registrationStatus: body.registrationStatus,
          timeZone: body.timeZone,
        });
        const station = await getStation(pool, params.id);
        if (!station) throw notFound(`charger ${params.id}`);
        if (body.registrationStatus === 'Accepted' && station.online) {
          // A Pending charger learns it is Accepted from a BootNotification answer: ask for one now
          // rather than at its next retry interval. Best effort; the answer does not wait for it.
          void chargerCommands.requestBootNotification(params.id).catch((err) => logger.warn({ err, stationId: params.id }, 'could not ask the charger to boot again'));
        }
        ctx.body = station;
      },
    }),
    endpoint({
      operationId: 'removeCharger',
      method: 'delete',
      path: '/v1/operator/chargers/:id',
      tag: 'operator',
      access: 'operator',
      summary: 'Remove a charger (refused while it has an active session)',
      request: z.object({ params: stationParams }),
      responses: { 204: { description: 'Removed' }, 404: errorResponse('Unknown charger'), 409: errorResponse('The charger has an active session') },
      async handle(ctx, { params }) {
        await removeCharger(pool, params.id);
        ctx.status = 204;
      },
    }),
  ];
}
