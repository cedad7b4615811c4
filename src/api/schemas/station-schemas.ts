/** Station (charger), connector and tariff shapes. */
import { z } from 'zod';
import { isoTimeSchema, stationIdSchema } from './common';
import { tariffSchema } from './tariff-schemas';

export { tariffSchema };

export const configurationDriftSchema = z
  .object({
    key: z.string(),
    desired: z.string(),
    actual: z.string().nullable().meta({ description: "The station's value when read; null when it does not know the key" }),
    outcome: z
      .enum(['Rejected', 'NotSupported', 'RebootRequired', 'readonly', 'unknown', 'invalid', 'call_error', 'unreachable'])
      .meta({ description: "The station's answer to ChangeConfiguration, or why it was not sent / did not arrive" }),
    detail: z.string(),
    source: z.enum(['network_default', 'all', 'group', 'station']).meta({ description: 'Where the desired value comes from' }),
  })
  .meta({ id: 'ConfigurationDrift', description: 'A desired value that is not in force on the station' });

export const stationConfigurationStateSchema = z
  .object({
    reconciledAt: isoTimeSchema.nullable(),
    trigger: z.string().nullable().meta({ description: 'boot or reconnect', example: 'boot' }),
    result: z.string().nullable().meta({ description: 'in_sync, drift or unreachable', example: 'in_sync' }),
    workflowId: z.string().nullable().meta({ description: 'The reconciliation run in the Temporal Web UI', example: 'station-config_CP_1' }),
    drift: z.array(configurationDriftSchema),
  })
  .meta({ id: 'StationConfigurationState' });

export const localListModeSchema = z
  .enum(['unknown', 'local_list', 'cache_only'])
  .meta({ description: 'unknown: not asked yet; local_list: the station keeps a Local Authorization List; cache_only: it answered NotSupported / NotImplemented / -1 or lacks the LocalAuthListManagement profile, so revocations reach it as ClearCache only' });
export const localListSyncStateSchema = z
  .enum(['pending', 'in_sync', 'waiting_for_station', 'failed', 'cache_only'])
  .meta({ description: 'pending: not synced yet; in_sync: holds what it should; waiting_for_station: offline (it catches up when it reconnects); failed: answered Failed / Rejected / a CALLERROR (retried with backoff); cache_only: see mode' });

export const stationLocalListSummarySchema = z
  .object({
    mode: localListModeSchema,
    syncState: localListSyncStateSchema,
    confirmedVersion: z.number().int().nullable().meta({ description: 'The list version the station accepted last; null: none yet', example: 7 }),
    syncedAt: isoTimeSchema.nullable(),
  })
  .meta({ id: 'StationLocalListSummary' });

export const availabilitySchema = z
  .object({
    requested: z.enum(['Operative', 'Inoperative']).nullable().meta({ description: 'What the operator last asked with ChangeAvailability and the station took (Accepted or Scheduled); null: never asked' }),
    requestedAt: isoTimeSchema.nullable(),
    scheduled: z.boolean().meta({ description: 'The station answered Scheduled (a transaction runs) and has not reported the change yet' }),
    effective: z.enum(['Operative', 'Inoperative', 'Unknown']).meta({ description: 'As the station reports it (StatusNotification): Unavailable is Inoperative; Unknown before a report or while offline' }),
  })
  .meta({ id: 'Availability', description: 'ChangeAvailability (OCPP 1.6 §5.2). A session cannot start on a connector requested Inoperative (even while only scheduled), nor on one reported Unavailable or Faulted.' });

export const connectorSchema = z
  .object({
    connectorId: z.number().int(),
    status: z.string().meta({ description: "Last StatusNotification status in the station's OCPP version's words (1.6 ChargePointStatus; 2.0.1 connectorStatus: Available, Occupied, Reserved, Unavailable, Faulted — a 2.0.1 station's connectors are its EVSEs); Unknown before the first one", example: 'Available' }),
    errorCode: z.string(),
    info: z.string().nullable(),
    statusAt: isoTimeSchema.nullable(),
    busy: z.boolean().meta({ description: 'An active session holds this connector' }),
    reservationId: z
      .number()
      .int()
      .nullable()
      .meta({ description: 'The active reservation holding this connector (requested or accepted); the charger then reports status Reserved' }),
    availability: availabilitySchema,
  })
  .meta({ id: 'Connector' });

export const stationSchema = z
  .object({
    stationId: stationIdSchema,
    online: z.boolean(),
    registrationStatus: z.string(),
    // As stored: the request schema (TimeZone) is the stricter rule for what may be set.
    timeZone: z.string().meta({ description: "The station's time zone (IANA): time-of-use prices follow its local clock", example: 'Europe/Berlin' }),
    vendor: z.string().nullable(),
    model: z.string().nullable(),
    firmwareVersion: z.string().nullable(),
    ocppVersion: z
      .enum(['1.6', '2.0.1'])
      .nullable()
      .meta({ description: 'The OCPP version the station speaks (negotiated at its current or last connection: ocpp2.0.1 is preferred when offered); null: never connected' }),
    bootReason: z.string().nullable().meta({ description: 'Why the station last booted (OCPP 2.0.1 BootNotification reason, e.g. PowerUp); null for OCPP 1.6 stations', example: 'PowerUp' }),
    lastHeartbeatAt: isoTimeSchema.nullable(),
    connectedAt: isoTimeSchema.nullable(),
    disconnectedAt: isoTimeSchema.nullable(),
    /** The whole station (connector 0): Inoperative there makes every connector unavailable. */
    availability: availabilitySchema,
    connectors: z.array(connectorSchema),
    tariff: tariffSchema.nullable().meta({ description: "The station's tariff, else the default; null when neither exists" }),
    featureProfiles: z
      .array(z.string())
      .nullable()
      .meta({ description: 'OCPP feature profiles the station reports (SupportedFeatureProfiles); null until its configuration was read', example: ['Core', 'RemoteTrigger'] }),
    numberOfConnectors: z.number().int().nullable().meta({ description: 'NumberOfConnectors as the station reports it; null until read', example: 2 }),
    configuration: stationConfigurationStateSchema.nullable().meta({ description: 'The last configuration reconciliation; null before the first' }),
    electrics: z
      .object({ phases: z.literal([1, 3]), voltageV: z.number().int() })
      .meta({ description: 'How the station is wired (PUT /v1/operator/stations/{id}/electrics): W ↔ A in charging profiles is P = phases × voltageV × A' }),
    chargingProfiles: z
      .array(z.object({ purpose: z.string(), status: z.string(), detail: z.string().nullable() }))
      .meta({ description: "The operator's station profiles (ChargePointMaxProfile, TxDefaultProfile) and whether the station has them; details at /v1/operator/stations/{id}/station-profiles" }),
    localList: stationLocalListSummarySchema.meta({ description: 'Its Local Authorization List as the station confirmed it, and how its sync stands' }),
  })
  .meta({ id: 'Station' });

export const socCheckSchema = z
  .object({
    stationId: stationIdSchema,
    supported: z.boolean().meta({ description: 'The charger can measure SoC (as far as its configuration tells)' }),
    enabled: z.boolean().meta({ description: 'SoC is in MeterValuesSampledData now' }),
    measurands: z.array(z.string()),
    basis: z.string().meta({ description: 'What the answer is based on (e.g. the GetConfiguration reply)' }),
  })
  .meta({ id: 'SocCheck' });

export const socEnableSchema = z
  .object({
    stationId: stationIdSchema,
    status: z.enum(['accepted', 'already_enabled', 'rejected', 'reboot_required', 'not_supported']),
  })
  .meta({ id: 'SocEnableResult' });

export const commandResultSchema = z.object({ stationId: stationIdSchema, result: z.unknown() }).meta({ id: 'ChargerCommandResult' });
