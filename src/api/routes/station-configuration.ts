/**
 * A station's configuration, read and changed by operators: GetConfiguration (all keys or some)
 * and ChangeConfiguration of one key, checked against the OCPP 1.6 key table before it is sent.
 * The station's answer is data: Rejected, RebootRequired and NotSupported are 200.
 */
import { z } from 'zod';
import { checkConfigurationValue, configurationKeyDefinition, isReadonlyByDefinition } from '../../ocpp/configuration-keys';
import { profileOfCommand } from '../../ocpp/feature-profiles';
import type { ApiDeps } from '../deps';
import { featureProfileGatedResponses, requireFeatureProfile } from '../guards/feature-profile';
import { ApiError } from '../http/api-error';
import { endpoint, Endpoint, errorResponse } from '../http/endpoint';
import { stationIdSchema } from '../schemas/common';
import { changeConfigurationResultSchema, configurationKeyListSchema, configurationKeySchema, configurationValueSchema, stationConfigurationSchema } from '../schemas/configuration-schemas';
import { readStationConfiguration } from '../stores/station-configuration-store';
import { assertStationExists } from './stations';

export const configurationKeyReadonly = 'configuration_key_readonly';

const invalidValue = (problem: string) => new ApiError(400, 'invalid_request', `body.value: ${problem}`, [{ field: 'body.value', problem }]);

export function stationConfigurationEndpoints(deps: ApiDeps): Endpoint<any>[] {
  const { pool, chargerCommands } = deps;
  return [
    endpoint({
      operationId: 'getStationConfiguration',
      method: 'get',
      path: '/v1/operator/stations/:id/configuration',
      tag: 'operator',
      access: 'operator',
      summary: "Read the station's configuration (GetConfiguration): every key, or the keys named",
      description: 'Each key with its value and whether it is read-only; keys the station does not know are listed in unknownKey.',
      request: z.object({ params: z.object({ id: stationIdSchema }), query: z.object({ key: configurationKeyListSchema.optional() }) }),
      responses: { 200: { description: "The station's answer", schema: stationConfigurationSchema }, ...featureProfileGatedResponses },
      async handle(ctx, { params, query }) {
        await assertStationExists(pool, params.id);
        await requireFeatureProfile(pool, params.id, profileOfCommand.getConfiguration);
        const keys = query.key?.split(',');
        // GetConfigurationMaxKeys (§9.1): a station answers more keys with a CALLERROR; say so before asking.
        const maxKeys = Number.parseInt((await readStationConfiguration(pool, params.id))?.keys?.find((k) => k.key === 'GetConfigurationMaxKeys')?.value ?? '', 10);
        if (keys && Number.isInteger(maxKeys) && maxKeys > 0 && keys.length > maxKeys) {
          const problem = `station ${params.id} answers at most ${maxKeys} keys per request (GetConfigurationMaxKeys); leave key out to read them all`;
          throw new ApiError(400, 'invalid_request', `query.key: ${problem}`, [{ field: 'query.key', problem }]);
        }
        const answer = await chargerCommands.getConfiguration(params.id, keys);
        ctx.body = {
          stationId: params.id,
          configurationKey: answer.configurationKey.map((k) => ({ key: k.key, value: k.value ?? null, readonly: k.readonly })),
          unknownKey: answer.unknownKey,
        };
      },
    }),
    endpoint({
      operationId: 'changeStationConfiguration',
      method: 'put',
      path: '/v1/operator/stations/:id/configuration/:key',
      tag: 'operator',
      access: 'operator',
      summary: 'Change one configuration key (ChangeConfiguration)',
      description:
        "The station's answer is the result: Accepted, Rejected, RebootRequired (applies after its next reboot) or NotSupported (the key is unknown to it). " +
        'A value that does not fit a standard key (type, list elements, the station\'s list length) is refused with 400, a read-only key with 409, before anything is sent.',
      request: z.object({
        params: z.object({ id: stationIdSchema, key: configurationKeySchema }),
        body: z.strictObject({ value: configurationValueSchema }).meta({ id: 'ChangeConfigurationRequest', example: { value: '60' } }),
      }),
      responses: {
        200: { description: "The station's answer", schema: changeConfigurationResultSchema },
        ...featureProfileGatedResponses,
        409: errorResponse(
          'The key is read-only (configuration_key_readonly), the network has not accepted the station (station_not_accepted), or the station does not support the Core profile (feature_profile_not_supported)',
        ),
      },
      async handle(ctx, { params, body }) {
        const { id: stationId, key } = params;
        await assertStationExists(pool, stationId);
        await requireFeatureProfile(pool, stationId, profileOfCommand.changeConfiguration);
        const stored = await readStationConfiguration(pool, stationId);
        const reported = stored?.keys?.find((k) => k.key === key);
        if (isReadonlyByDefinition(key) || reported?.readonly) {
          throw new ApiError(409, configurationKeyReadonly, `${key} is read-only ${reported?.readonly ? 'on station ' + stationId : 'by the OCPP 1.6 specification'}: it is never written`);
        }
        const maxLengthKey = configurationKeyDefinition(key)?.maxLengthKey;
        const maxLength = Number.parseInt(stored?.keys?.find((k) => k.key === maxLengthKey)?.value ?? '', 10);
        const check = checkConfigurationValue(key, body.value, Number.isInteger(maxLength) && maxLength > 0 ? maxLength : undefined);
        if (!check.ok) throw invalidValue(check.problem);
        const { status } = await chargerCommands.changeConfiguration(stationId, key, check.value);
        ctx.body = { stationId, key, value: check.value, status };
      },
    }),
  ];
}
