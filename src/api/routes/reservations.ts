/**
 * Reservations (OCPP 1.6 Reservation profile): a driver holds a connector while driving to it;
 * an operator may reserve for a driver (naming the id tag). Each reservation is a Temporal workflow
 * (`reservation_<id>` in the Web UI) from ReserveNow to its use, cancellation or expiry.
 */
import { z } from 'zod';
import { profileOfCommand } from '../../ocpp/feature-profiles';
import { ownerScope, type Principal } from '../auth/principal';
import type { ApiDeps } from '../deps';
import { featureProfileNotSupported, requireFeatureProfile } from '../guards/feature-profile';
import { ApiError, notFound } from '../http/api-error';
import { callerOf, endpoint, Endpoint, errorResponse } from '../http/endpoint';
import { queryBooleanSchema, stationIdSchema, driverIdSchema } from '../schemas/common';
import { createReservationBodySchema, reservationIdSchema, reservationSchema } from '../schemas/reservation-schemas';
import { startIdentity } from '../session-access';
import { asReservationError } from '../http/reservation-error-status';
import type { ReservationErrorCode } from '../../reservations/reservation-error';

/** The request field a refusal is about, named in the error's details. */
const fieldOfRefusal: Partial<Record<ReservationErrorCode, string>> = {
  unknown_station: 'body.stationId',
  unknown_connector: 'body.connectorId',
  connector_inoperative: 'body.connectorId',
  connector_reserved: 'body.connectorId',
  driver_has_reservation: 'body.idTag',
};

/** A refusal of the service, with the field it is about. */
function namingTheField(err: unknown): unknown {
  const refusal = asReservationError(err);
  const field = refusal && fieldOfRefusal[refusal.code];
  return refusal && field ? new ApiError(refusal.status, refusal.code, refusal.message, [{ field, problem: refusal.message }]) : err;
}

const reservationParams = z.object({ id: reservationIdSchema });

export function reservationEndpoints(deps: ApiDeps): Endpoint<any>[] {
  const { pool, reservations, config } = deps;
  const clock = deps.clock ?? (() => new Date());
  const maxMinutes = config.RESERVATION_MAX_MINUTES;

  /** The reservation, if the caller may see it: a driver sees only their own (another's answers 404, as if it did not exist). */
  const visible = async (caller: Principal, reservationId: number) => {
    const found = await reservations.get(reservationId);
    if (!found || (caller.role === 'driver' && found.driverId !== caller.driverId)) throw notFound(`reservation ${reservationId}`);
    return found;
  };

  /** An expiryDate the operator's limit allows: in the future, at most RESERVATION_MAX_MINUTES ahead. */
  const expiryOf = (body: { expiresInMinutes?: number; expiryDate?: string }, now: Date): string => {
    if (body.expiryDate === undefined) return new Date(now.getTime() + (body.expiresInMinutes ?? Math.min(15, maxMinutes)) * 60_000).toISOString();
    const at = Date.parse(body.expiryDate);
    const problem = at <= now.getTime() ? 'must be in the future' : at > now.getTime() + maxMinutes * 60_000 ? `must be at most ${maxMinutes} minutes from now (the operator's limit)` : null;
    if (problem) throw new ApiError(400, 'invalid_request', `body.expiryDate: ${problem}`, [{ field: 'body.expiryDate', problem }]);
    return new Date(at).toISOString();
  };

  return [
    endpoint({
      operationId: 'createReservation',
      method: 'post',
      path: '/v1/reservations',
      tag: 'reservations',
      access: 'authenticated',
      summary: 'Reserve a connector (ReserveNow)',
      description:
        `Holds a connector for the caller's id tag until the expiry (at most RESERVATION_MAX_MINUTES, here ${maxMinutes}, from now). ` +
        'One active reservation per driver and per connector. Sends ReserveNow and waits (API_START_WAIT_MS at most) for the charger: ' +
        '201 when it answered Accepted; 200 with its other answer as data (status rejected, faulted, occupied, unavailable, or failed when it answered a CALLERROR or not at all); ' +
        '202 (status `requested`) when it has not answered yet. While held, only this driver (or id tag) starts a session on the connector, and that start ends the reservation; ' +
        "the tariff's reservation fee goes on that session's receipt, or, when the reservation expires unused, on the reservation's own receipt.",
      request: z.object({ body: createReservationBodySchema(maxMinutes) }),
      responses: {
        201: { description: 'The charger holds the connector (status accepted)', schema: reservationSchema },
        200: { description: "The charger did not take the reservation: its answer as data (chargerStatus), or failed", schema: reservationSchema },
        202: { description: 'The charger has not answered within the wait (status requested): follow the reservation by id', schema: reservationSchema },
        400: errorResponse('Invalid body (e.g. body.expiryDate in the past or beyond the limit; an operator without body.idTag)'),
        404: errorResponse('Unknown station (unknown_station) or connector (unknown_connector)'),
        409: errorResponse(
          'Not reservable: the driver already has an active reservation (driver_has_reservation), the connector has one (connector_reserved), ' +
            'no connector is free for "any connector" (no_connector_available), the connector or station was made Inoperative (connector_inoperative), ' +
            `the station is offline (station_offline), not accepted by the network (station_not_accepted), or does not support the Reservation profile (${featureProfileNotSupported})`,
        ),
        422: errorResponse('The id tag is not usable (no_usable_id_tag, unknown_id_tag, id_tag_not_usable)'),
      },
      async handle(ctx, { body }) {
        const caller = callerOf(ctx);
        const now = clock();
        const expiryDate = expiryOf(body, now);
        const who = await startIdentity(pool, caller, body.idTag, now);
        await requireFeatureProfile(pool, body.stationId, profileOfCommand.reserveNow);
        const { reservation, answered } = await reservations
          .create({
            stationId: body.stationId,
            connectorId: body.connectorId,
            expiryDate,
            driverId: who.driverId,
            idTag: who.idTag,
            requestedBy: caller.role,
            waitMs: config.API_START_WAIT_MS,
          })
          .catch((err: unknown) => {
            throw namingTheField(err);
          });
        ctx.status = !answered || reservation.status === 'requested' ? 202 : reservation.status === 'accepted' ? 201 : 200;
        ctx.set('Location', `/v1/reservations/${reservation.reservationId}`);
        ctx.body = reservation;
      },
    }),

    endpoint({
      operationId: 'listReservations',
      method: 'get',
      path: '/v1/reservations',
      tag: 'reservations',
      access: 'authenticated',
      summary: 'Reservations, newest first',
      description: 'A driver sees only their own; an operator sees all and may filter by driver and station.',
      request: z.object({
        query: z.object({
          active: queryBooleanSchema.optional().meta({ description: 'true: only requested or accepted ones; false: only ended ones' }),
          stationId: stationIdSchema.optional(),
          driverId: driverIdSchema.optional().meta({ description: 'Operators only; a driver always sees only their own' }),
          limit: z.coerce.number({ error: 'must be a number' }).int().min(1).max(100).default(20),
        }),
      }),
      responses: { 200: { description: 'Reservations', schema: z.object({ reservations: z.array(reservationSchema) }) }, 400: errorResponse('Invalid query') },
      async handle(ctx, { query }) {
        const scope = ownerScope(callerOf(ctx));
        if (scope !== null && query.driverId !== undefined && query.driverId !== scope) {
          ctx.body = { reservations: [] };
          return;
        }
        ctx.body = { reservations: await reservations.list({ driverId: scope ?? query.driverId, stationId: query.stationId, active: query.active, limit: query.limit }) };
      },
    }),

    endpoint({
      operationId: 'getReservation',
      method: 'get',
      path: '/v1/reservations/:id',
      tag: 'reservations',
      access: 'authenticated',
      summary: 'One reservation: its status, the session that used it, its fee and receipt',
      request: z.object({ params: reservationParams }),
      responses: { 200: { description: 'The reservation', schema: reservationSchema }, 404: errorResponse('No such reservation (or not yours)') },
      async handle(ctx, { params }) {
        ctx.body = await visible(callerOf(ctx), params.id);
      },
    }),

    endpoint({
      operationId: 'cancelReservation',
      method: 'post',
      path: '/v1/reservations/:id/cancel',
      tag: 'reservations',
      access: 'authenticated',
      summary: 'Cancel a reservation (CancelReservation); the driver their own, an operator any',
      description:
        'Ends a held reservation at once (it costs nothing) and sends CancelReservation; `cancelStatus` is the charger\'s answer, ' +
        'or `pending` when the charger is offline: it gets the cancel when it is back, until the expiry (after which it has ended the reservation itself).',
      request: z.object({ params: reservationParams }),
      responses: {
        200: { description: 'Cancelled', schema: reservationSchema },
        404: errorResponse('No such reservation (or not yours)'),
        409: errorResponse('The reservation is not held (reservation_not_active: already cancelled, used, expired, not accepted, or not answered yet)'),
      },
      async handle(ctx, { params }) {
        const caller = callerOf(ctx);
        await visible(caller, params.id);
        ctx.body = await reservations.cancel(params.id, caller.role, config.API_STOP_WAIT_MS);
      },
    }),
  ];
}
