/** Station configuration shapes: keys as a station reports them, ChangeConfiguration answers, desired entries. */
import { z } from 'zod';
import { configurationKeyMaxLength, configurationValueMaxLength } from '../../ocpp/configuration-keys';
import { isoTimeSchema, stationIdSchema } from './common';

const keyWords = [
  'a standard OCPP 1.6 key (§9) takes a value of its type: boolean true/false, a whole number, or a comma-separated list of its elements (400 otherwise)',
  'a key that is read-only by the spec or as the station last reported it is refused with 409 before anything is sent',
];

/** ChangeConfiguration.req key: CiString50. */
export const configurationKeySchema = z
  .string()
  .min(1)
  .max(configurationKeyMaxLength)
  .regex(/^[\x21-\x7e]{1,50}$/, `must be 1-${configurationKeyMaxLength} printable ASCII characters without spaces`)
  .meta({ description: 'Configuration key (OCPP 1.6 CiString50); keys outside §9 are the vendor\'s own', example: 'MeterValueSampleInterval', 'x-constraints': keyWords });

/** ChangeConfiguration.req value: CiString500. */
export const configurationValueSchema = z
  .string()
  .max(configurationValueMaxLength)
  .meta({ description: `Value (OCPP 1.6 CiString500, at most ${configurationValueMaxLength} characters)`, example: '60', 'x-constraints': ['valid for the key: see the key'] });

export const configurationKeyListSchema = z
  .string()
  .regex(/^[\x21-\x2b\x2d-\x7e]{1,50}(,[\x21-\x2b\x2d-\x7e]{1,50}){0,49}$/, 'must be 1 to 50 comma-separated keys of 1-50 printable characters')
  .meta({
    description: 'Comma-separated keys to read (at most 50); all keys when absent',
    example: 'HeartbeatInterval,MeterValueSampleInterval',
    'x-constraints': ["no more keys than the station's GetConfigurationMaxKeys, as last read (400 otherwise)"],
  });

export const stationConfigurationSchema = z
  .object({
    stationId: stationIdSchema,
    configurationKey: z.array(
      z.object({ key: z.string(), value: z.string().nullable().meta({ description: 'null: the station reports no value' }), readonly: z.boolean() }).meta({ id: 'ConfigurationKeyValue' }),
    ),
    unknownKey: z.array(z.string()).meta({ description: 'Keys asked for that the station does not know' }),
  })
  .meta({ id: 'StationConfiguration' });

export const changeConfigurationResultSchema = z
  .object({
    stationId: stationIdSchema,
    key: z.string(),
    value: z.string().meta({ description: 'The value as sent (booleans lower case, lists without blanks)' }),
    status: z.enum(['Accepted', 'Rejected', 'RebootRequired', 'NotSupported']).meta({ description: "The station's answer (RebootRequired: applies after its next reboot; NotSupported: the key is unknown to it)" }),
  })
  .meta({ id: 'ChangeConfigurationResult' });

export const desiredScopeSchema = z.enum(['all', 'group', 'station']).meta({ description: 'all stations; a group by the vendor and/or model stations report at boot; one station' });

export const desiredConfigurationRequestSchema = z
  .strictObject({
    scope: desiredScopeSchema,
    vendor: z.string().min(1).max(20).optional().meta({ description: 'group: chargePointVendor as reported at boot (CiString20)' }),
    model: z.string().min(1).max(20).optional().meta({ description: 'group: chargePointModel as reported at boot (CiString20)' }),
    stationId: stationIdSchema.optional().meta({ description: 'station: the station' }),
    key: configurationKeySchema.meta({ 'x-constraints': ['not a read-only key (§9)', 'not HeartbeatInterval: the gateway sets it (GATEWAY_HEARTBEAT_INTERVAL_S, also in the BootNotification answer)'] }),
    value: configurationValueSchema,
  })
  .meta({
    id: 'DesiredConfigurationRequest',
    description: 'Declares (or replaces) the desired value of a key for a scope; the most specific scope wins (station > group > all > network default)',
    'x-constraints': [
      'scope all: none of vendor, model, stationId',
      'scope group: vendor and/or model, no stationId',
      'scope station: stationId (a registered station), neither vendor nor model',
      'value valid for the key by the OCPP 1.6 key table (type, list elements)',
    ],
    example: { scope: 'all', key: 'MeterValueSampleInterval', value: '60' },
  });

export const desiredConfigurationEntrySchema = z
  .object({
    id: z.string().meta({ example: '1' }),
    scope: desiredScopeSchema,
    vendor: z.string().nullable(),
    model: z.string().nullable(),
    stationId: z.string().nullable(),
    key: z.string(),
    value: z.string(),
    updatedAt: isoTimeSchema,
  })
  .meta({ id: 'DesiredConfigurationEntry' });
