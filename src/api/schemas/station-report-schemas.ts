/** What an OCPP 2.0.1 station reported about itself: events, security events, device model (routes/station-reports.ts). */
import { z } from 'zod';
import { isoTimeSchema, stationIdSchema } from './common';

const componentSchema = z
  .object({
    name: z.string().meta({ example: 'EVSE' }),
    instance: z.string().nullable(),
    evse: z.object({ id: z.number().int(), connectorId: z.number().int().nullable() }).nullable().meta({ description: 'The EVSE (and connector) the component belongs to; null: the station' }),
  })
  .meta({ id: 'DeviceModelComponent', description: 'OCPP 2.0.1 ComponentType' });

const variableSchema = z.object({ name: z.string().meta({ example: 'AvailabilityState' }), instance: z.string().nullable() }).meta({ id: 'DeviceModelVariable', description: 'OCPP 2.0.1 VariableType' });

export const stationEventSchema = z
  .object({
    eventId: z.number().int(),
    timestamp: isoTimeSchema,
    trigger: z.string().meta({ description: 'Alerting, Delta or Periodic' }),
    cause: z.number().int().nullable().meta({ description: 'The eventId of the event that caused this one' }),
    actualValue: z.string(),
    techCode: z.string().nullable(),
    techInfo: z.string().nullable(),
    cleared: z.boolean().nullable(),
    transactionId: z.string().nullable().meta({ description: "The station's transaction id, when the event belongs to a transaction" }),
    variableMonitoringId: z.number().int().nullable(),
    eventNotificationType: z.string().meta({ description: 'HardWiredNotification, HardWiredMonitor, PreconfiguredMonitor or CustomMonitor' }),
    component: componentSchema,
    variable: variableSchema,
    generatedAt: isoTimeSchema.meta({ description: 'When the station generated the NotifyEvent it came in' }),
    seqNo: z.number().int(),
    receivedAt: isoTimeSchema,
  })
  .meta({ id: 'StationEvent', description: 'One eventData element of an OCPP 2.0.1 NotifyEvent, as the station reported it' });

const reportedStatusSchema = z.object({ status: z.string(), requestId: z.number().int().nullable(), at: isoTimeSchema.nullable() });

export const stationEventListSchema = z.object({
  stationId: stationIdSchema,
  events: z.array(stationEventSchema).meta({ description: 'Newest first (by the station timestamp)' }),
  firmwareStatus: reportedStatusSchema
    .nullable()
    .meta({ description: 'The last OCPP 2.0.1 FirmwareStatusNotification as sent (e.g. InstallRebooting), with its requestId; null: none (or a 1.6 station)' }),
  logStatus: reportedStatusSchema.nullable().meta({ description: 'The last OCPP 2.0.1 LogStatusNotification as sent, with its requestId; null: none (or a 1.6 station)' }),
});

export const securityEventListSchema = z.object({
  stationId: stationIdSchema,
  securityEvents: z
    .array(z.object({ type: z.string().meta({ example: 'SettingSystemTime' }), timestamp: isoTimeSchema, techInfo: z.string().nullable(), receivedAt: isoTimeSchema }).meta({ id: 'SecurityEvent' }))
    .meta({ description: 'OCPP 2.0.1 SecurityEventNotifications, newest first (by the station timestamp)' }),
});

export const deviceModelSchema = z.object({
  stationId: stationIdSchema,
  variables: z.array(
    z
      .object({
        component: componentSchema,
        variable: variableSchema,
        attributes: z
          .array(z.object({ type: z.string().optional(), value: z.string().optional(), mutability: z.string().optional(), persistent: z.boolean().optional(), constant: z.boolean().optional() }))
          .meta({ description: 'variableAttribute as reported (type Actual when absent)' }),
        characteristics: z
          .object({
            dataType: z.string(),
            unit: z.string().optional(),
            minLimit: z.number().optional(),
            maxLimit: z.number().optional(),
            valuesList: z.string().optional(),
            supportsMonitoring: z.boolean(),
          })
          .nullable(),
        requestId: z.number().int().meta({ description: 'The report (GetBaseReport / GetReport requestId) that told it last' }),
        generatedAt: isoTimeSchema,
        updatedAt: isoTimeSchema,
      })
      .meta({ id: 'DeviceModelEntry' }),
  ),
});

export const deviceModelQuery = z.object({
  component: z.string().min(1).max(50).optional().meta({ description: 'Only the variables of components of this name (e.g. SampledDataCtrlr)' }),
});

export const reportListLimitQuery = z.object({
  limit: z.coerce.number({ error: 'must be a number' }).int().min(1).max(500).default(100),
});
