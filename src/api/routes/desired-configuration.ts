/**
 * The desired configuration operators declare for all stations, a group (vendor and/or model as
 * reported at boot) or one station. Each station is reconciled to it after every boot and
 * reconnect (workflows/station-configuration.ts); values are checked against the OCPP 1.6 key
 * table here, so nothing invalid is stored.
 */
import { z } from 'zod';
import { checkConfigurationValue, isReadonlyByDefinition } from '../../ocpp/configuration-keys';
import { networkOwnedKeys } from '../../stations/network-configuration-defaults';
import type { ApiDeps } from '../deps';
import { ApiError, type FieldProblem } from '../http/api-error';
import { endpoint, Endpoint, errorResponse } from '../http/endpoint';
import { desiredConfigurationEntrySchema, desiredConfigurationRequestSchema } from '../schemas/configuration-schemas';
import { declareDesiredConfiguration, listDesiredConfiguration, removeDesiredConfiguration } from '../stores/desired-configuration-store';

type DesiredRequest = z.output<typeof desiredConfigurationRequestSchema>;

/** The rules JSON Schema cannot state (x-constraints of the request schema). */
function problemsOf(body: DesiredRequest): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const forbid = (field: 'vendor' | 'model' | 'stationId') => {
    if (body[field] !== undefined) problems.push({ field: `body.${field}`, problem: `not allowed with scope ${body.scope}` });
  };
  if (body.scope === 'all') (['vendor', 'model', 'stationId'] as const).forEach(forbid);
  if (body.scope === 'group') {
    forbid('stationId');
    if (body.vendor === undefined && body.model === undefined) problems.push({ field: 'body.vendor', problem: 'scope group needs vendor and/or model' });
  }
  if (body.scope === 'station') {
    forbid('vendor');
    forbid('model');
    if (body.stationId === undefined) problems.push({ field: 'body.stationId', problem: 'scope station needs stationId' });
  }
  if (isReadonlyByDefinition(body.key)) problems.push({ field: 'body.key', problem: `${body.key} is read-only (OCPP 1.6 §9): it is never written` });
  else if ((networkOwnedKeys as readonly string[]).includes(body.key)) {
    problems.push({ field: 'body.key', problem: `${body.key} follows the gateway (GATEWAY_HEARTBEAT_INTERVAL_S, also sent in the BootNotification answer)` });
  } else {
    const check = checkConfigurationValue(body.key, body.value);
    if (!check.ok) problems.push({ field: 'body.value', problem: check.problem });
  }
  return problems;
}

export function desiredConfigurationEndpoints(deps: ApiDeps): Endpoint<any>[] {
  const { pool } = deps;
  return [
    endpoint({
      operationId: 'listDesiredConfiguration',
      method: 'get',
      path: '/v1/operator/desired-configuration',
      tag: 'operator',
      access: 'operator',
      summary: 'The desired configuration entries the operator declared',
      description: 'Network defaults (MeterValueSampleInterval, StopTxnSampledData, HeartbeatInterval, ConnectionTimeOut) come from the configuration and apply unless an entry overrides them.',
      request: z.object({}),
      responses: { 200: { description: 'Entries', schema: z.object({ entries: z.array(desiredConfigurationEntrySchema) }) } },
      async handle(ctx) {
        ctx.body = { entries: await listDesiredConfiguration(pool) };
      },
    }),
    endpoint({
      operationId: 'declareDesiredConfiguration',
      method: 'put',
      path: '/v1/operator/desired-configuration',
      tag: 'operator',
      access: 'operator',
      summary: 'Declare (or replace) the desired value of a key for all stations, a group or one station',
      description: 'Applied at each station\'s next boot or reconnect; the station view shows what could not be set (drift).',
      request: z.object({ body: desiredConfigurationRequestSchema }),
      responses: { 200: { description: 'The entry as stored', schema: desiredConfigurationEntrySchema }, 404: errorResponse('scope station: unknown station') },
      async handle(ctx, { body }) {
        const problems = problemsOf(body);
        if (problems.length > 0) throw new ApiError(400, 'invalid_request', problems.map((p) => `${p.field}: ${p.problem}`).join('; '), problems);
        const check = checkConfigurationValue(body.key, body.value);
        ctx.body = await declareDesiredConfiguration(pool, {
          scope: body.scope,
          vendor: body.vendor ?? null,
          model: body.model ?? null,
          stationId: body.stationId ?? null,
          key: body.key,
          value: check.ok ? check.value : body.value,
        });
      },
    }),
    endpoint({
      operationId: 'removeDesiredConfiguration',
      method: 'delete',
      path: '/v1/operator/desired-configuration/:entryId',
      tag: 'operator',
      access: 'operator',
      summary: 'Remove a desired configuration entry (the station keeps its value; the next less specific entry applies from its next reconciliation)',
      request: z.object({ params: z.object({ entryId: z.string().regex(/^[1-9][0-9]{0,17}$/, 'must be an entry id (a whole number)').meta({ example: '1' }) }) }),
      responses: { 204: { description: 'Removed' }, 404: errorResponse('Unknown entry') },
      async handle(ctx, { params }) {
        await removeDesiredConfiguration(pool, params.entryId);
        ctx.status = 204;
      },
    }),
  ];
}
