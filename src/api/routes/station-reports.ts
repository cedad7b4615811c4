/**
 * What an OCPP 2.0.1 station reports about itself, for operators: its events (NotifyEvent), its
 * security events (SecurityEventNotification) and its device model (NotifyReport). Stored by the
 * gateway as reported (migration 0016); a 1.6 station has none.
 */
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { endpoint, Endpoint, errorResponse } from '../http/endpoint';
import { stationIdSchema } from '../schemas/common';
import { deviceModelQuery, deviceModelSchema, reportListLimitQuery, securityEventListSchema, stationEventListSchema } from '../schemas/station-report-schemas';
import { listDeviceModel, listSecurityEvents, listStationEvents, reportedStatuses } from '../stores/station-report-store';
import { assertStationExists } from './stations';

const stationParams = z.object({ id: stationIdSchema });

export function stationReportEndpoints({ pool }: ApiDeps): Endpoint<any>[] {
  return [
    endpoint({
      operationId: 'listStationEvents',
      method: 'get',
      path: '/v1/operator/stations/:id/events',
      tag: 'operator',
      access: 'operator',
      summary: "A station's events (OCPP 2.0.1 NotifyEvent), newest first, and its last firmware and log status as it sent them",
      request: z.object({ params: stationParams, query: reportListLimitQuery }),
      responses: { 200: { description: 'Events', schema: stationEventListSchema }, 404: errorResponse('Unknown station') },
      async handle(ctx, { params, query }) {
        await assertStationExists(pool, params.id);
        const statuses = await reportedStatuses(pool, params.id);
        ctx.body = { stationId: params.id, events: await listStationEvents(pool, params.id, query.limit), firmwareStatus: statuses.firmware, logStatus: statuses.log };
      },
    }),
    endpoint({
      operationId: 'listStationSecurityEvents',
      method: 'get',
      path: '/v1/operator/stations/:id/security-events',
      tag: 'operator',
      access: 'operator',
      summary: "A station's security events (OCPP 2.0.1 SecurityEventNotification), newest first",
      request: z.object({ params: stationParams, query: reportListLimitQuery }),
      responses: { 200: { description: 'Security events', schema: securityEventListSchema }, 404: errorResponse('Unknown station') },
      async handle(ctx, { params, query }) {
        await assertStationExists(pool, params.id);
        ctx.body = { stationId: params.id, securityEvents: await listSecurityEvents(pool, params.id, query.limit) };
      },
    }),
    endpoint({
      operationId: 'getStationDeviceModel',
      method: 'get',
      path: '/v1/operator/stations/:id/device-model',
      tag: 'operator',
      access: 'operator',
      summary: "A station's device model as its reports told it (OCPP 2.0.1 NotifyReport, e.g. after GetBaseReport)",
      description: 'One entry per variable of a component (by component name, instance and EVSE, variable name and instance): the last report that named it wins.',
      request: z.object({ params: stationParams, query: deviceModelQuery }),
      responses: { 200: { description: 'The device model', schema: deviceModelSchema }, 404: errorResponse('Unknown station') },
      async handle(ctx, { params, query }) {
        await assertStationExists(pool, params.id);
        ctx.body = { stationId: params.id, variables: await listDeviceModel(pool, params.id, query.component) };
      },
    }),
  ];
}
