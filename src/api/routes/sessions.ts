/** The driver app's session endpoints: start, list, live state, stop, receipt. */
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { ownerScope } from '../auth/principal';
import { ApiError, notFound } from '../http/api-error';
import { sessionErrorStatus } from '../http/session-error-status';
import { callerOf, endpoint, Endpoint, errorResponse } from '../http/endpoint';
import { renderReceiptPage } from '../pages/receipt-page';
import { assertSessionVisible, startIdentity } from '../session-access';
import { driverIdSchema, queryBooleanSchema, sessionIdSchema, stationIdSchema } from '../schemas/common';
import {
  receiptSchema,
  receiptView,
  sessionPageSchema,
  sessionStateSchema,
  sessionStatusSchema,
  sessionView,
  startedSessionSchema,
  startSessionBodySchema,
} from '../schemas/session-schemas';
import { listSessions, stationTransactionIdOf } from '../stores/session-store';

const sessionParams = z.object({ id: sessionIdSchema });

export const sessionListQuerySchema = z
  .object({
    cursor: z
      .string()
      .max(200)
      .optional()
      .meta({ description: "From the previous page's nextCursor", 'x-constraints': ['a nextCursor this API answered, unchanged', 'not together with page'] }),
    page: z.coerce.number({ error: 'must be a number' }).int().min(1).max(10_000).optional().meta({ description: 'Page number from 1 (instead of cursor)' }),
    limit: z.coerce.number({ error: 'must be a number' }).int().min(1).max(100).default(20),
    status: sessionStatusSchema.optional(),
    stationId: stationIdSchema.optional(),
    driverId: driverIdSchema.optional().meta({ description: 'Operators only; a driver always sees only their own' }),
    active: queryBooleanSchema.optional(),
  })
  .refine((q) => q.cursor === undefined || q.page === undefined, { message: 'use either cursor or page, not both', path: ['page'] });

export function sessionEndpoints(deps: ApiDeps): Endpoint<any>[] {
  const { pool, sessions, config } = deps;
  const clock = deps.clock ?? (() => new Date());
  return [
    endpoint({
      operationId: 'startSession',
      method: 'post',
      path: '/v1/sessions',
      tag: 'sessions',
      access: 'authenticated',
      summary: 'Start charging on a connector',
      description:
        'Sends RemoteStartTransaction with the driver\'s id tag and waits (API_START_WAIT_MS at most) for the charger\'s answer. ' +
        'A driver who pays by card first gets a hold of PAYMENT_PREAUTHORIZATION_AMOUNT on their saved card, and the session\'s cost limit (limits.maxCost) becomes at most the hold. ' +
        '201 once the charger accepted; 422 when it rejected; 202 (status `starting`) when it has not answered yet: follow the session by id.',
      request: z.object({ body: startSessionBodySchema }),
      responses: {
        201: { description: 'The charger accepted; the session is waiting for the plug or charging', schema: startedSessionSchema },
        202: { description: 'The charger has not answered within the wait; the session goes on (status `starting`)', schema: startedSessionSchema },
        400: errorResponse('Invalid body'),
        404: errorResponse('Unknown station or connector'),
        409: errorResponse(
          'The connector already has an active session (`connector_busy`), the station is not accepted by the network (`station_not_accepted`), ' +
            'or the connector cannot start a transaction (`connector_inoperative`: requested Inoperative, also while only scheduled, on the connector or the whole station, or reported Unavailable or Faulted), ' +
            'or another driver\'s reservation holds the connector (`connector_reserved`, the message names the reservation; the reserving driver\'s start goes through and uses it), ' +
            'or limits.maxPowerKw was asked of a station that does not support SmartCharging (`feature_profile_not_supported`), ' +
            'or the driver pays by card and has no saved card (`payment_method_missing`); no RemoteStartTransaction is sent',
        ),
        402: errorResponse("The card's hold was declined (`payment_declined`, the message gives the provider's reason); the session failed and no RemoteStartTransaction was sent"),
        422: errorResponse('The charger rejected the start, or the id tag is not usable'),
        503: errorResponse(
          "The station is offline, or the payment provider did not place the card's hold within PAYMENT_HOLD_TIMEOUT_MS, or none is configured (`payment_unavailable`); no RemoteStartTransaction was sent",
        ),
      },
      async handle(ctx, { body }) {
        const who = await startIdentity(pool, callerOf(ctx), body.idTag, clock());
        const { sessionId, outcome } = await sessions.startSession({
          stationId: body.stationId,
          connectorId: body.connectorId,
          driverId: who.driverId,
          idTag: who.idTag,
          limits: body.limits,
          waitMs: config.API_START_WAIT_MS,
        });
        if (!outcome.accepted && outcome.refusal) {
          throw new ApiError(sessionErrorStatus(outcome.refusal), outcome.refusal, outcome.reason ?? outcome.refusal, undefined, sessionId);
        }
        if (!outcome.accepted) {
          throw new ApiError(422, 'rejected', outcome.reason ?? 'the charger rejected the start', undefined, sessionId);
        }
        ctx.status = outcome.status === 'starting' ? 202 : 201;
        ctx.set('Location', `/v1/sessions/${sessionId}`);
        ctx.body = { sessionId, status: outcome.status };
      },
    }),

    endpoint({
      operationId: 'listSessions',
      method: 'get',
      path: '/v1/sessions',
      tag: 'sessions',
      access: 'authenticated',
      summary: 'Session history, newest first',
      description: 'A driver sees only their own sessions; an operator sees all and may filter by driver. Page with `cursor` (stable) or `page`.',
      request: z.object({ query: sessionListQuerySchema }),
      responses: { 200: { description: 'One page of sessions', schema: sessionPageSchema }, 400: errorResponse('Invalid query') },
      async handle(ctx, { query }) {
        const scope = ownerScope(callerOf(ctx));
        // A driver asking for someone else's history gets an empty list, never theirs.
        const driverId = scope ?? query.driverId;
        if (scope !== null && query.driverId !== undefined && query.driverId !== scope) {
          ctx.body = { sessions: [], nextCursor: null, limit: query.limit, ...(query.page ? { page: query.page } : {}) };
          return;
        }
        const paging = query.page !== undefined ? { page: query.page, limit: query.limit } : { cursor: query.cursor, limit: query.limit };
        const result = await listSessions(pool, { driverId, stationId: query.stationId, status: query.status, active: query.active }, paging);
        ctx.body = { ...result, limit: query.limit, ...(query.page ? { page: query.page } : {}) };
      },
    }),

    endpoint({
      operationId: 'getSession',
      method: 'get',
      path: '/v1/sessions/:id',
      tag: 'sessions',
      access: 'authenticated',
      summary: 'Live state of a session',
      description: 'Status, energy so far (kWh), SoC, power, cost so far, start time and last reading time.',
      request: z.object({ params: sessionParams }),
      responses: { 200: { description: 'Live state', schema: sessionStateSchema }, 404: errorResponse('No such session (or not yours)') },
      async handle(ctx, { params }) {
        await assertSessionVisible(pool, callerOf(ctx), params.id);
        const state = await sessions.getState(params.id);
        if (!state) throw notFound(`session ${params.id}`);
        ctx.body = sessionView(state, await stationTransactionIdOf(pool, state.transactionId));
      },
    }),

    endpoint({
      operationId: 'stopSession',
      method: 'post',
      path: '/v1/sessions/:id/stop',
      tag: 'sessions',
      access: 'authenticated',
      summary: 'Stop a session (operators: force-stop any session)',
      description:
        'Sends RemoteStopTransaction and waits (API_STOP_WAIT_MS at most) for the charger to confirm: 200 with the receipt, ' +
        'else 202 with the session in status `stopping`.',
      request: z.object({
        params: sessionParams,
        body: z.strictObject({ reason: z.string().max(200).optional() }).optional(),
      }),
      responses: {
        200: { description: 'Stopped and billed', schema: receiptSchema },
        202: { description: 'Stop sent; not yet confirmed by the charger', schema: sessionStateSchema },
        404: errorResponse('No such session (or not yours)'),
        409: errorResponse('The session is not running'),
      },
      async handle(ctx, { params, body }) {
        const caller = callerOf(ctx);
        await assertSessionVisible(pool, caller, params.id);
        const result = await sessions.stopSession(params.id, { requestedBy: caller.role, reason: body?.reason }, config.API_STOP_WAIT_MS);
        if ('receipt' in result) {
          ctx.body = receiptView(result.receipt, await stationTransactionIdOf(pool, result.receipt.transaction_id));
        } else {
          ctx.status = 202;
          ctx.body = sessionView(result.state, await stationTransactionIdOf(pool, result.state.transactionId));
        }
      },
    }),

    endpoint({
      operationId: 'getReceipt',
      method: 'get',
      path: '/v1/sessions/:id/receipt',
      tag: 'sessions',
      access: 'authenticated',
      summary: 'The receipt of a finished session',
      request: z.object({ params: sessionParams }),
      responses: { 200: { description: 'The receipt', schema: receiptSchema }, 404: errorResponse('No such session, or no receipt issued yet') },
      async handle(ctx, { params }) {
        await assertSessionVisible(pool, callerOf(ctx), params.id);
        const receipt = await sessions.getReceipt(params.id);
        if (!receipt) throw new ApiError(404, 'receipt_not_issued', `session ${params.id} has no receipt yet`);
        ctx.body = receiptView(receipt, await stationTransactionIdOf(pool, receipt.transaction_id));
      },
    }),

    endpoint({
      operationId: 'getReceiptHtml',
      method: 'get',
      path: '/v1/sessions/:id/receipt.html',
      tag: 'sessions',
      access: 'authenticated',
      summary: 'The receipt as a printable HTML page',
      request: z.object({ params: sessionParams }),
      responses: {
        200: { description: 'HTML receipt', schema: z.string(), contentType: 'text/html' },
        404: errorResponse('No such session, or no receipt issued yet'),
      },
      async handle(ctx, { params }) {
        await assertSessionVisible(pool, callerOf(ctx), params.id);
        const receipt = await sessions.getReceipt(params.id);
        if (!receipt) throw new ApiError(404, 'receipt_not_issued', `session ${params.id} has no receipt yet`);
        ctx.type = 'text/html; charset=utf-8';
        ctx.body = renderReceiptPage(receipt);
      },
    }),
  ];
}

