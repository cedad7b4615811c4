/**
 * Firmware updates (one station) and rollouts (many, a bounded number at once). Each is a
 * Temporal workflow (workflows/firmware-update.ts, firmware-rollout.ts) visible in the Web UI as
 * `firmware-update:<stationId>` / `rollout_…`; these routes start them and read what they recorded.
 */
import { z } from 'zod';
import { profileOfCommand } from '../../ocpp/feature-profiles';
import type { ApiDeps } from '../deps';
import { requireFeatureProfile } from '../guards/feature-profile';
import { notFound } from '../http/api-error';
import { endpoint, Endpoint, errorResponse } from '../http/endpoint';
import { stationIdSchema } from '../schemas/common';
import { firmwareRolloutRequestSchema, firmwareRolloutSchema, firmwareUpdateRequestSchema, firmwareUpdateSchema, listLimitQuery } from '../schemas/station-operation-schemas';

const updateIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be 1-80 characters: letters, digits, _ -').meta({ example: 'fw_3c9a1f0e5b7d2a64' });
const rolloutIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'must be 1-80 characters: letters, digits, _ -').meta({ example: 'rollout_7d1e0c2b9a4f6e13' });

export function operatorFirmwareEndpoints({ firmware, pool }: ApiDeps): Endpoint<any>[] {
  return [
    endpoint({
      operationId: 'requestFirmwareUpdate',
      method: 'post',
      path: '/v1/operator/stations/:id/firmware-updates',
      tag: 'operator',
      access: 'operator',
      summary: 'Update the firmware of one station (UpdateFirmware, followed to the new boot)',
      description:
        'Starts a firmware update workflow: UpdateFirmware is sent (retried while the station is offline), its FirmwareStatusNotifications are followed, and it ends when the station boots again ' +
        '(with `expectedVersion`, when given), fails, or stays silent for FIRMWARE_STATUS_TIMEOUT_MS. One update per station at a time.',
      request: z.object({ params: z.object({ id: stationIdSchema }), body: firmwareUpdateRequestSchema }),
      responses: {
        201: { description: 'Started; follow it at /v1/operator/firmware-updates/{updateId}', schema: firmwareUpdateSchema },
        404: errorResponse('Unknown station'),
        409: errorResponse(
          'The station already has a firmware update in progress (already_running), or does not list FirmwareManagement in its SupportedFeatureProfiles (feature_profile_not_supported)',
        ),
      },
      async handle(ctx, { params, body }) {
        await requireFeatureProfile(pool, params.id, profileOfCommand.updateFirmware);
        const update = await firmware.requestUpdate(params.id, body);
        ctx.status = 201;
        ctx.set('Location', `/v1/operator/firmware-updates/${update.updateId}`);
        ctx.body = update;
      },
    }),
    endpoint({
      operationId: 'listFirmwareUpdates',
      method: 'get',
      path: '/v1/operator/stations/:id/firmware-updates',
      tag: 'operator',
      access: 'operator',
      summary: "A station's firmware updates, newest first",
      request: z.object({ params: z.object({ id: stationIdSchema }), query: listLimitQuery }),
      responses: { 200: { description: 'Updates', schema: z.object({ updates: z.array(firmwareUpdateSchema) }) }, 404: errorResponse('Unknown station') },
      async handle(ctx, { params, query }) {
        ctx.body = { updates: await firmware.listUpdates(params.id, query.limit) };
      },
    }),
    endpoint({
      operationId: 'getFirmwareUpdate',
      method: 'get',
      path: '/v1/operator/firmware-updates/:id',
      tag: 'operator',
      access: 'operator',
      summary: 'One firmware update: status, outcome and the history of every status',
      request: z.object({ params: z.object({ id: updateIdSchema }) }),
      responses: { 200: { description: 'The update', schema: firmwareUpdateSchema }, 404: errorResponse('Unknown firmware update') },
      async handle(ctx, { params }) {
        const update = await firmware.getUpdate(params.id);
        if (!update) throw notFound(`firmware update ${params.id}`);
        ctx.body = update;
      },
    }),
    endpoint({
      operationId: 'startFirmwareRollout',
      method: 'post',
      path: '/v1/operator/firmware-rollouts',
      tag: 'operator',
      access: 'operator',
      summary: 'Update the firmware of many stations, at most maxConcurrent at once',
      description: 'One firmware update per station, in the order given; a station whose update is already running is reported `busy` and skipped.',
      request: z.object({ body: firmwareRolloutRequestSchema }),
      responses: {
        201: { description: 'Started; follow it at /v1/operator/firmware-rollouts/{rolloutId}', schema: firmwareRolloutSchema },
        404: errorResponse('A station is not known (all are named)'),
        409: errorResponse('A station does not list FirmwareManagement in its SupportedFeatureProfiles (feature_profile_not_supported)'),
      },
      async handle(ctx, { body }) {
        for (const stationId of body.stationIds) await requireFeatureProfile(pool, stationId, profileOfCommand.updateFirmware);
        const rollout = await firmware.startRollout(body);
        ctx.status = 201;
        ctx.set('Location', `/v1/operator/firmware-rollouts/${rollout.rolloutId}`);
        ctx.body = rollout;
      },
    }),
    endpoint({
      operationId: 'getFirmwareRollout',
      method: 'get',
      path: '/v1/operator/firmware-rollouts/:id',
      tag: 'operator',
      access: 'operator',
      summary: 'One rollout with the status and outcome of every station',
      request: z.object({ params: z.object({ id: rolloutIdSchema }) }),
      responses: { 200: { description: 'The rollout', schema: firmwareRolloutSchema }, 404: errorResponse('Unknown rollout') },
      async handle(ctx, { params }) {
        const rollout = await firmware.getRollout(params.id);
        if (!rollout) throw notFound(`firmware rollout ${params.id}`);
        ctx.body = rollout;
      },
    }),
  ];
}
