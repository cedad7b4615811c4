/**
 * Compatibility with the tutorial the product grew from: its four endpoints and answer shapes,
 * on top of the same session and charger services as /v1.
 *
 * Auth: these routes need a bearer token like every /v1 route (no anonymous default driver,
 * which would let anyone charge on someone's account). A driver token starts with that
 * driver's first usable id tag (or the `id_tag` given, if it is theirs); an operator token
 * must name the `id_tag`. Stop, like /v1, only reaches the caller's own sessions.
 */
import { z } from 'zod';
import type { Receipt } from '../../../workflows/session-messages';
import type { ApiDeps } from '../deps';
import { ApiError, notFound } from '../http/api-error';
import { callerOf, endpoint, Endpoint, errorResponse } from '../http/endpoint';
import { featureProfileGatedResponses, requireFeatureProfile } from '../guards/feature-profile';
import { profileOfCommand } from '../../ocpp/feature-profiles';
import { assertSessionVisible, startIdentity } from '../session-access';
import { connectorIdSchema, errorBodySchema, idTagSchema, isoTimeSchema, sessionIdSchema, stationIdSchema } from '../schemas/common';
import { findActiveSession } from '../stores/session-store';
import { assertStationExists } from './stations';


/** The tutorial's final session JSON. */
export const tutorialSessionSchema = z
  .object({
    session_id: z.string(),
    meter_start: z.number().nullable().meta({ description: 'Wh', example: 154200 }),
    meter_stop: z.number().nullable().meta({ description: 'Wh', example: 156700 }),
    energy_kwh: z.number().meta({ example: 2.5 }),
    rate_per_kwh: z.number().meta({ example: 0.25 }),
    total_cost: z.number().meta({ example: 0.63 }),
    soc: z.number().nullable().meta({ example: 74 }),
    start_time: isoTimeSchema.nullable(),
    end_time: isoTimeSchema.nullable(),
  })
  .meta({ id: 'TutorialSession' });

export function tutorialSession(receipt: Receipt): z.infer<typeof tutorialSessionSchema> {
  return {
    session_id: receipt.session_id,
    meter_start: receipt.meter_start,
    meter_stop: receipt.meter_stop,
    energy_kwh: receipt.energy_kwh,
    rate_per_kwh: receipt.rate_per_kwh,
    total_cost: receipt.total_cost,
    soc: receipt.soc,
    start_time: receipt.start_time,
    end_time: receipt.end_time,
  };
}

const tutorialStatusSchema = z.object({ status: z.string(), message: z.string() }).meta({ id: 'TutorialStatus' });

export function tutorialEndpoints(deps: ApiDeps): Endpoint<any>[] {
  const { pool, sessions, chargerCommands, config } = deps;
  const clock = deps.clock ?? (() => new Date());
  const cpParams = z.object({ cp_id: stationIdSchema });
  return [
    endpoint({
      operationId: 'tutorialStartSession',
      method: 'post',
      path: '/start_session',
      tag: 'tutorial',
      access: 'authenticated',
      summary: 'Tutorial: start a session',
      request: z.object({
        body: z.object({
          cp_id: stationIdSchema,
          connector_id: connectorIdSchema.default(1),
          id_tag: idTagSchema.optional().meta({
            description: "The driver's id tag to start with (default: their first)",
            example: 'ALICE0001',
            'x-constraints': ['required when the caller is an operator (400 otherwise)'],
          }),
        }),
      }),
      responses: {
        200: {
          description: 'The charger accepted',
          schema: z.object({ status: z.literal('accepted'), session_id: sessionIdSchema, cp_id: z.string(), connector_id: z.number().int() }),
        },
        202: {
          description: 'The charger has not answered within API_START_WAIT_MS; the session goes on',
          schema: z.object({ status: z.literal('pending'), session_id: sessionIdSchema, cp_id: z.string(), connector_id: z.number().int() }),
        },
        400: errorResponse('Invalid body'),
        404: errorResponse('Unknown station or connector'),
        409: errorResponse('Connector busy, station not accepted by the network, or connector Inoperative, Unavailable or Faulted (`connector_inoperative`)'),
        422: errorResponse('Rejected'),
        503: errorResponse('Station offline'),
      },
      async handle(ctx, { body }) {
        const who = await startIdentity(pool, callerOf(ctx), body.id_tag, clock(), 'body.id_tag');
        const { sessionId, outcome } = await sessions.startSession({
          stationId: body.cp_id,
          connectorId: body.connector_id,
          driverId: who.driverId,
          idTag: who.idTag,
          waitMs: config.API_START_WAIT_MS,
        });
        if (!outcome.accepted) throw new ApiError(422, 'rejected', outcome.reason ?? 'the charger rejected the start', undefined, sessionId);
        const confirmed = outcome.status !== 'starting';
        ctx.status = confirmed ? 200 : 202;
        ctx.body = { status: confirmed ? 'accepted' : 'pending', session_id: sessionId, cp_id: body.cp_id, connector_id: body.connector_id };
      },
    }),
    endpoint({
      operationId: 'tutorialStopSession',
      method: 'post',
      path: '/stop_session',
      tag: 'tutorial',
      access: 'authenticated',
      summary: "Tutorial: stop a session; answers the final session JSON once the charger confirms",
      description: 'Name the session by `session_id`, or by `cp_id` (and `connector_id`) for the active session there. 202 if the charger has not confirmed within API_STOP_WAIT_MS.',
      request: z.object({
        body: z
          .object({ session_id: sessionIdSchema.optional(), cp_id: stationIdSchema.optional(), connector_id: connectorIdSchema.optional() })
          .refine((b) => b.session_id !== undefined || b.cp_id !== undefined, { message: 'give session_id, or cp_id', path: ['session_id'] })
          .meta({ anyOf: [{ required: ['session_id'] }, { required: ['cp_id'] }] }),
      }),
      responses: {
        200: { description: 'Stopped and billed', schema: tutorialSessionSchema },
        202: { description: 'Stop sent, not yet confirmed', schema: z.object({ status: z.literal('stopping'), session_id: z.string() }) },
        404: errorResponse('No such (active) session of yours'),
        409: errorResponse('The session is not running'),
      },
      async handle(ctx, { body }) {
        const caller = callerOf(ctx);
        let sessionId = body.session_id;
        if (sessionId === undefined) {
          const active = await findActiveSession(pool, body.cp_id!, body.connector_id);
          if (!active) throw notFound(`active session on ${body.cp_id}`);
          sessionId = active.sessionId;
        }
        await assertSessionVisible(pool, caller, sessionId);
        const result = await sessions.stopSession(sessionId, { requestedBy: caller.role }, config.API_STOP_WAIT_MS);
        if ('receipt' in result) {
          ctx.body = tutorialSession(result.receipt);
        } else {
          ctx.status = 202;
          ctx.body = { status: 'stopping', session_id: sessionId };
        }
      },
    }),
    endpoint({
      operationId: 'tutorialCheckSoc',
      method: 'get',
      path: '/station/:cp_id/check-soc',
      tag: 'tutorial',
      access: 'authenticated',
      summary: 'Tutorial: does the station report SoC now (SoC in MeterValuesSampledData)?',
      request: z.object({ params: cpParams }),
      responses: { 200: { description: 'Answer', schema: z.object({ soc_supported: z.boolean() }) }, ...featureProfileGatedResponses },
      async handle(ctx, { params }) {
        await assertStationExists(pool, params.cp_id);
        await requireFeatureProfile(pool, params.cp_id, profileOfCommand.getConfiguration);
        const soc = await chargerCommands.checkSoc(params.cp_id);
        ctx.body = { soc_supported: soc.enabled };
      },
    }),
    endpoint({
      operationId: 'tutorialEnableSoc',
      method: 'post',
      path: '/station/:cp_id/enable-soc',
      tag: 'tutorial',
      access: 'authenticated',
      summary: 'Tutorial: enable SoC reporting',
      description: '200 success when enabled (or already); 202 pending when the charger needs a reboot; 422 failed when it rejects or cannot.',
      request: z.object({ params: cpParams }),
      responses: {
        200: { description: 'Enabled', schema: tutorialStatusSchema },
        202: { description: 'Enabled after the charger reboots', schema: tutorialStatusSchema },
        ...featureProfileGatedResponses,
        422: {
          description: 'The charger rejected it or does not support SoC (the tutorial\'s shape), or answered with a CALLERROR (an error body)',
          schema: z.union([tutorialStatusSchema, errorBodySchema]),
        },
      },
      async handle(ctx, { params }) {
        await assertStationExists(pool, params.cp_id);
        await requireFeatureProfile(pool, params.cp_id, profileOfCommand.changeConfiguration);
        const { status } = await chargerCommands.enableSoc(params.cp_id);
        switch (status) {
          case 'accepted':
          case 'already_enabled':
            ctx.body = { status: 'success', message: 'SOC enabled' };
            return;
          case 'reboot_required':
            ctx.status = 202;
            ctx.body = { status: 'pending', message: 'SOC will be enabled after the charger reboots' };
            return;
          case 'rejected':
            ctx.status = 422;
            ctx.body = { status: 'failed', message: 'the charger rejected enabling SOC' };
            return;
          case 'not_supported':
            ctx.status = 422;
            ctx.body = { status: 'failed', message: 'the charger does not support SOC reporting' };
            return;
        }
      },
    }),
  ];
}
