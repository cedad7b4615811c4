/** Operator commands to a station (ChangeAvailability, TriggerMessage, ClearCache, DataTransfer, GetBaseReport): requests and the station's answers. */
import { z } from 'zod';
import { stationIdSchema } from './common';

export const availabilityRequestSchema = z
  .strictObject({
    connectorId: z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 (the whole station) or more').max(99, 'must be 99 or less')
      .meta({ description: 'Connector number; 0 changes the whole station and every connector (404 for a connector the station does not have)', example: 1 }),
    type: z.enum(['Operative', 'Inoperative']),
  })
  .meta({ id: 'ChangeAvailabilityRequest', example: { connectorId: 1, type: 'Inoperative' } });

export const availabilityResultSchema = z
  .object({
    stationId: stationIdSchema,
    connectorId: z.number().int(),
    type: z.enum(['Operative', 'Inoperative']),
    status: z.enum(['Accepted', 'Rejected', 'Scheduled']).meta({ description: "The station's answer. Scheduled: a transaction runs; the change applies when it ends" }),
  })
  .meta({ id: 'ChangeAvailabilityResult', example: { stationId: 'CP_1', connectorId: 1, type: 'Inoperative', status: 'Scheduled' } });

const triggerableMessages = ['BootNotification', 'DiagnosticsStatusNotification', 'FirmwareStatusNotification', 'Heartbeat', 'MeterValues', 'StatusNotification'] as const;
/** OCPP 1.6 §5.17: connectorId only "when request applies to a specific connector". */
export const perConnectorTriggers: readonly string[] = ['MeterValues', 'StatusNotification'];

export const triggerRequestSchema = z
  .strictObject({
    requestedMessage: z.enum(triggerableMessages),
    connectorId: z.number({ error: 'must be a number' }).int('must be a whole number').min(0, 'must be 0 (the station itself) or more').max(99, 'must be 99 or less').optional()
      .meta({
        description: 'That connector (0: the station itself); absent: every connector',
        'x-constraints': ['only with requestedMessage MeterValues or StatusNotification (400 otherwise)', '0 or a connector the station has (404 otherwise)'],
      }),
  })
  .superRefine((b, ctx) => {
    if (b.connectorId !== undefined && !perConnectorTriggers.includes(b.requestedMessage)) {
      ctx.addIssue({ code: 'custom', path: ['connectorId'], message: `applies only to MeterValues and StatusNotification, not to ${b.requestedMessage}` });
    }
  })
  .meta({ id: 'TriggerMessageRequest', example: { requestedMessage: 'StatusNotification', connectorId: 1 } });

export const triggerResultSchema = z
  .object({
    stationId: stationIdSchema,
    requestedMessage: z.enum(triggerableMessages),
    connectorId: z.number().int().optional(),
    status: z.enum(['Accepted', 'Rejected', 'NotImplemented']).meta({ description: "The station's answer; Accepted: the message follows" }),
  })
  .meta({ id: 'TriggerMessageResult', example: { stationId: 'CP_1', requestedMessage: 'StatusNotification', connectorId: 1, status: 'Accepted' } });

export const clearCacheResultSchema = z
  .object({ stationId: stationIdSchema, status: z.enum(['Accepted', 'Rejected']).meta({ description: "The station's answer" }) })
  .meta({ id: 'ClearCacheResult', example: { stationId: 'CP_1', status: 'Accepted' } });

export const dataTransferRequestSchema = z
  .strictObject({
    vendorId: z.string().min(1, 'must not be empty').max(255, 'must be at most 255 characters (OCPP CiString255)').meta({ description: 'Vendor identifier (OCPP CiString255)', example: 'com.acme' }),
    messageId: z.string().max(50, 'must be at most 50 characters (OCPP CiString50)').optional().meta({ description: 'Message identifier (OCPP CiString50)', example: 'GetDisplayText' }),
    data: z.string().optional().meta({ description: 'Data without a specified format or length', example: '{"line":1}' }),
  })
  .meta({ id: 'DataTransferRequest', example: { vendorId: 'com.acme', messageId: 'GetDisplayText', data: '{"line":1}' } });

export const dataTransferResultSchema = z
  .object({
    stationId: stationIdSchema,
    status: z.enum(['Accepted', 'Rejected', 'UnknownMessageId', 'UnknownVendorId']).meta({ description: "The station's answer" }),
    data: z.string().optional().meta({ description: "The station's data, when it sent any" }),
  })
  .meta({ id: 'DataTransferResult', example: { stationId: 'CP_1', status: 'Accepted', data: 'Welcome' } });

const reportBases = ['FullInventory', 'ConfigurationInventory', 'SummaryInventory'] as const;

export const baseReportRequestSchema = z
  .strictObject({
    reportBase: z.enum(reportBases).default('FullInventory').meta({
      description: 'OCPP 2.0.1 B07: every component and variable (FullInventory), the configurable ones (ConfigurationInventory), or the summary (SummaryInventory); default FullInventory',
    }),
  })
  .meta({ id: 'BaseReportRequest', example: { reportBase: 'FullInventory' } });

export const baseReportResultSchema = z
  .object({
    stationId: stationIdSchema,
    reportBase: z.enum(reportBases),
    status: z.enum(['Accepted', 'Rejected', 'NotSupported', 'EmptyResultSet']).meta({ description: "The station's answer; Accepted: NotifyReport messages follow" }),
    requestId: z.number().int().meta({ description: 'The requestId the NotifyReport messages that follow carry' }),
  })
  .meta({ id: 'BaseReportResult', example: { stationId: 'CS_1', reportBase: 'FullInventory', status: 'Accepted', requestId: 12 } });
