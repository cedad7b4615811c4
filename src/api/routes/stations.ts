/** Stations with connectors, live status and tariff; SoC reporting; operator reset and unlock. */
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { notFound } from '../http/api-error';
import { endpoint, Endpoint, errorResponse } from '../http/endpoint';
import { featureProfileGatedResponses, requireFeatureProfile } from '../guards/feature-profile';
import { profileOfCommand } from '../../ocpp/feature-profiles';
import { connectorIdSchema, stationIdSchema } from '../schemas/common';
import { commandResultSchema, socCheckSchema, socEnableSchema, stationSchema } from '../schemas/station-schemas';
import { getStation, listStations, stationExists } from '../stores/station-store';
import type { Pool } from '../../db/pool';

const stationParams = z.object({ id: stationIdSchema });

export async function assertStationExists(pool: Pool, stationId: string): Promise<void> {
  if (!(await stationExists(pool, stationId))) throw notFound(`station ${stationId}`);
}

export function stationEndpoints(deps: ApiDeps): Endpoint<any>[] {
  const { pool, chargerCommands } = deps;
  return [
    endpoint({
      operationId: 'listStations',
      method: 'get',
      path: '/v1/stations',
      tag: 'stations',
      access: 'authenticated',
      summary: 'All stations with connectors, online state and tariff',
      request: z.object({}),
      responses: { 200: { description: 'Stations', schema: z.object({ stations: z.array(stationSchema) }) } },
      async handle(ctx) {
        ctx.body = { stations: await listStations(pool) };
      },
    }),
    endpoint({
      operationId: 'getStation',
      method: 'get',
      path: '/v1/stations/:id',
      tag: 'stations',
      access: 'authenticated',
      summary: 'One station with connectors, online state and tariff',
      request: z.object({ params: stationParams }),
      responses: { 200: { description: 'The station', schema: stationSchema }, 404: errorResponse('Unknown station') },
      async handle(ctx, { params }) {
        const station = await getStation(pool, params.id);
        if (!station) throw notFound(`station ${params.id}`);
        ctx.body = station;
      },
    }),
    endpoint({
      operationId: 'checkStationSoc',
      method: 'get',
      path: '/v1/stations/:id/soc',
      tag: 'stations',
      access: 'authenticated',
      summary: 'Whether the station reports state of charge (asks it with GetConfiguration)',
      request: z.object({ params: stationParams }),
      responses: { 200: { description: 'SoC reporting', schema: socCheckSchema }, ...featureProfileGatedResponses },
      async handle(ctx, { params }) {
        await assertStationExists(pool, params.id);
        await requireFeatureProfile(pool, params.id, profileOfCommand.getConfiguration);
        ctx.body = { stationId: params.id, ...(await chargerCommands.checkSoc(params.id)) };
      },
    }),
    endpoint({
      operationId: 'enableStationSoc',
      method: 'post',
      path: '/v1/stations/:id/soc',
      tag: 'stations',
      access: 'authenticated',
      summary: 'Enable state-of-charge reporting (adds SoC to MeterValuesSampledData)',
      description: 'The charger\'s answer: accepted, already_enabled, rejected, reboot_required or not_supported.',
      request: z.object({ params: stationParams }),
      responses: { 200: { description: "The charger's answer", schema: socEnableSchema }, ...featureProfileGatedResponses },
      async handle(ctx, { params }) {
        await assertStationExists(pool, params.id);
        await requireFeatureProfile(pool, params.id, profileOfCommand.changeConfiguration);
        const { status } = await chargerCommands.enableSoc(params.id);
        ctx.body = { stationId: params.id, status };
      },
    }),
    endpoint({
      operationId: 'resetStation',
      method: 'post',
      path: '/v1/operator/stations/:id/reset',
      tag: 'operator',
      access: 'operator',
      summary: 'Send the station a Reset (Soft or Hard)',
      request: z.object({ params: stationParams, body: z.strictObject({ type: z.enum(['Soft', 'Hard']) }) }),
      responses: { 200: { description: "The charger's answer", schema: commandResultSchema }, ...featureProfileGatedResponses },
      async handle(ctx, { params, body }) {
        await assertStationExists(pool, params.id);
        await requireFeatureProfile(pool, params.id, profileOfCommand.reset);
        ctx.body = { stationId: params.id, result: await chargerCommands.reset(params.id, body.type) };
      },
    }),
    endpoint({
      operationId: 'unlockConnector',
      method: 'post',
      path: '/v1/operator/stations/:id/unlock',
      tag: 'operator',
      access: 'operator',
      summary: 'Send the station an UnlockConnector',
      request: z.object({ params: stationParams, body: z.strictObject({ connectorId: connectorIdSchema }) }),
      responses: { 200: { description: "The charger's answer", schema: commandResultSchema }, ...featureProfileGatedResponses },
      async handle(ctx, { params, body }) {
        await assertStationExists(pool, params.id);
        await requireFeatureProfile(pool, params.id, profileOfCommand.unlockConnector);
        ctx.body = { stationId: params.id, result: await chargerCommands.unlockConnector(params.id, body.connectorId) };
      },
    }),
  ];
}
