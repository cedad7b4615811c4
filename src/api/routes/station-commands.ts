/**
 * Operator commands to a station beyond reset and unlock (stations.ts): ChangeAvailability,
 * TriggerMessage, ClearCache, DataTransfer and (OCPP 2.0.1 only) GetBaseReport. Each is one chargerCommand workflow
 * (ChargerCommandService); the station's own answer (Rejected, NotImplemented, UnknownVendorId …)
 * is a 200, only an unknown station or connector, an unreachable station or a CALLERROR is an error.
 */
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { ApiError, notFound } from '../http/api-error';
import { endpoint, Endpoint, errorResponse } from '../http/endpoint';
import { featureProfileGatedResponses, requireFeatureProfile } from '../guards/feature-profile';
import { profileOfCommand } from '../../ocpp/feature-profiles';
import { stationIdSchema } from '../schemas/common';
import {
  availabilityRequestSchema,
  availabilityResultSchema,
  baseReportRequestSchema,
  baseReportResultSchema,
  clearCacheResultSchema,
  dataTransferRequestSchema,
  dataTransferResultSchema,
  triggerRequestSchema,
  triggerResultSchema,
} from '../schemas/station-command-schemas';
import { stationConnectorIds } from '../stores/station-store';
import { assertStationExists } from './stations';
import type { Pool } from '../../db/pool';

const stationParams = z.object({ id: stationIdSchema });

/**
 * 404 for an unknown station, and for a connector (≥ 1) it does not have. Connectors are known from
 * registration and the station's StatusNotifications; before either, any connector may exist.
 */
export async function assertConnectorExists(pool: Pool, stationId: string, connectorId: number | undefined): Promise<void> {
  const ids = await stationConnectorIds(pool, stationId);
  if (ids === null) throw notFound(`station ${stationId}`);
  if (connectorId === undefined || connectorId === 0 || ids.length === 0 || ids.includes(connectorId)) return;
  const problem = `station ${stationId} has no connector ${connectorId} (it has ${ids.join(', ')})`;
  throw new ApiError(404, 'unknown_connector', `body.connectorId: ${problem}`, [{ field: 'body.connectorId', problem }]);
}

const unknownConnector = errorResponse('Unknown station, or a connector the station does not have (names body.connectorId)');

export function stationCommandEndpoints(deps: ApiDeps): Endpoint<any>[] {
  const { pool, chargerCommands } = deps;
  return [
    endpoint({
      operationId: 'changeStationAvailability',
      method: 'post',
      path: '/v1/operator/stations/:id/availability',
      tag: 'operator',
      access: 'operator',
      summary: 'Make a connector, or the whole station (connector 0), Operative or Inoperative (ChangeAvailability)',
      description:
        'The station answers Accepted, Rejected, or Scheduled when a transaction runs: the change then applies when it ends. ' +
        'What it took is shown in the station view (`availability`: requested, scheduled, effective as the station reports it). ' +
        'No session can start on a connector requested Inoperative (even while scheduled), on a station made Inoperative with connector 0, ' +
        'or on a connector the station reports Unavailable or Faulted (409 `connector_inoperative`). ' +
        'Connector 0 changes every connector, replacing their own requests (OCPP 1.6 §5.2).',
      request: z.object({ params: stationParams, body: availabilityRequestSchema }),
      responses: {
        200: { description: "The station's answer", schema: availabilityResultSchema },
        400: errorResponse('Invalid body'),
        ...featureProfileGatedResponses,
        404: unknownConnector,
      },
      async handle(ctx, { params, body }) {
        await assertConnectorExists(pool, params.id, body.connectorId);
        await requireFeatureProfile(pool, params.id, profileOfCommand.changeAvailability);
        const { status } = await chargerCommands.changeAvailability(params.id, body.connectorId, body.type);
        ctx.body = { stationId: params.id, connectorId: body.connectorId, type: body.type, status };
      },
    }),
    endpoint({
      operationId: 'triggerStationMessage',
      method: 'post',
      path: '/v1/operator/stations/:id/trigger',
      tag: 'operator',
      access: 'operator',
      summary: 'Ask the station to send a message now (TriggerMessage)',
      description:
        'Any message OCPP 1.6 §5.17 allows. `connectorId` only for MeterValues and StatusNotification (0: the station itself; absent: every connector). ' +
        'Accepted: the station sends the message after its answer; Rejected and NotImplemented are its answers too (200).',
      request: z.object({ params: stationParams, body: triggerRequestSchema }),
      responses: {
        200: { description: "The station's answer", schema: triggerResultSchema },
        400: errorResponse('Invalid body (also: connectorId for a message that is not per connector)'),
        ...featureProfileGatedResponses,
        404: unknownConnector,
      },
      async handle(ctx, { params, body }) {
        await assertConnectorExists(pool, params.id, body.connectorId);
        await requireFeatureProfile(pool, params.id, profileOfCommand.triggerMessage);
        const { status } = await chargerCommands.triggerMessage(params.id, body.requestedMessage, body.connectorId);
        ctx.body = { stationId: params.id, requestedMessage: body.requestedMessage, ...(body.connectorId === undefined ? {} : { connectorId: body.connectorId }), status };
      },
    }),
    endpoint({
      operationId: 'clearStationCache',
      method: 'post',
      path: '/v1/operator/stations/:id/clear-cache',
      tag: 'operator',
      access: 'operator',
      summary: "Clear the station's Authorization Cache (ClearCache)",
      request: z.object({ params: stationParams }),
      responses: { 200: { description: "The station's answer", schema: clearCacheResultSchema }, ...featureProfileGatedResponses },
      async handle(ctx, { params }) {
        await assertStationExists(pool, params.id);
        await requireFeatureProfile(pool, params.id, profileOfCommand.clearCache);
        ctx.body = { stationId: params.id, ...(await chargerCommands.clearCache(params.id)) };
      },
    }),
    endpoint({
      operationId: 'dataTransferToStation',
      method: 'post',
      path: '/v1/operator/stations/:id/data-transfer',
      tag: 'operator',
      access: 'operator',
      summary: 'Send the station a vendor-specific DataTransfer and return its answer',
      description: "The station's status (Accepted, Rejected, UnknownMessageId, UnknownVendorId) and data, when it sent any.",
      request: z.object({ params: stationParams, body: dataTransferRequestSchema }),
      responses: { 200: { description: "The station's answer", schema: dataTransferResultSchema }, 400: errorResponse('Invalid body'), ...featureProfileGatedResponses },
      async handle(ctx, { params, body }) {
        await assertStationExists(pool, params.id);
        await requireFeatureProfile(pool, params.id, profileOfCommand.dataTransfer);
        ctx.body = { stationId: params.id, ...(await chargerCommands.dataTransfer(params.id, body)) };
      },
    }),
    endpoint({
      operationId: 'requestStationBaseReport',
      method: 'post',
      path: '/v1/operator/stations/:id/base-report',
      tag: 'operator',
      access: 'operator',
      summary: 'Ask an OCPP 2.0.1 station to report its device model (GetBaseReport)',
      description:
        'The station answers, then sends its components and variables in NotifyReport messages carrying the returned `requestId`, which the gateway stores. ' +
        'Rejected, NotSupported and EmptyResultSet are its answers too (200). OCPP 1.6 has no such message: a 1.6 station is refused (409 `not_ocpp201`), nothing sent.',
      request: z.object({ params: stationParams, body: baseReportRequestSchema }),
      responses: {
        200: { description: "The station's answer", schema: baseReportResultSchema },
        400: errorResponse('Invalid body'),
        404: errorResponse('Unknown station'),
        409: errorResponse('The station does not speak OCPP 2.0.1 (not_ocpp201)'),
      },
      async handle(ctx, { params, body }) {
        await assertStationExists(pool, params.id);
        const { rows } = await pool.query<{ ocpp_version: string | null }>('SELECT ocpp_version FROM chargers WHERE id = $1', [params.id]);
        if (rows[0]?.ocpp_version !== '2.0.1') {
          throw new ApiError(409, 'not_ocpp201', `station ${params.id} speaks OCPP ${rows[0]?.ocpp_version ?? '(not yet connected)'}, which has no GetBaseReport`);
        }
        ctx.body = { stationId: params.id, reportBase: body.reportBase, ...(await chargerCommands.getBaseReport(params.id, body.reportBase)) };
      },
    }),
  ];
}
