/** Request and answer schemas of firmware updates, rollouts and diagnostics requests. */
import { z } from 'zod';
import { constraintsKey } from '../openapi/request-rules';
import { isoTimeSchema, stationIdSchema } from './common';

/** An ISO 8601 date-time with a zone (OCPP's dateTime), e.g. 2026-12-01T22:00:00Z. */
export const dateTimeInputSchema = z
  .string()
  .regex(/^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/, 'must be an ISO 8601 date-time with a zone from 1970 on, e.g. 2026-12-01T22:00:00Z')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'must be a real date and time')
  .meta({ example: '2026-12-01T22:00:00Z', [constraintsKey]: ['a real calendar date and time'] });

/** UpdateFirmware.location (OCPP 1.6 anyURI): where the station downloads the firmware. */
const firmwareLocationSchema = z
  .string()
  .max(512)
  // RFC 3986 characters only: the gateway validates UpdateFirmware against OCPP's schema (format uri) before sending.
  .regex(/^[A-Za-z][A-Za-z0-9+.-]*:\/\/[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/, 'must be an absolute URI such as https://… or ftp://… (RFC 3986 characters, no spaces)')
  .refine((s) => URL.canParse(s), 'must be a URI that parses')
  .meta({ description: 'URI the station downloads the firmware from (OCPP 1.6 UpdateFirmware.location)', example: 'https://127.0.0.1:8080/firmware/acme-2.1.0.bin' });

const retriesSchema = z.number().int().min(1).max(100).meta({ description: 'Download attempts the station makes (OCPP 1.6 `retries`)', example: 3 });
const retryIntervalSchema = z.number().int().min(0).max(86_400).meta({ description: 'Seconds between attempts (OCPP 1.6 `retryInterval`)', example: 60 });

const firmwareFields = {
  location: firmwareLocationSchema,
  retrieveDate: dateTimeInputSchema.optional().meta({ description: 'From when the station may download (default: now)' }),
  retries: retriesSchema.optional(),
  retryIntervalS: retryIntervalSchema.optional(),
  expectedVersion: z
    .string()
    .min(1)
    .max(50)
    .regex(/^[\x20-\x7e]+$/, 'must be printable ASCII')
    .optional()
    .meta({ description: 'The firmwareVersion the station must boot with for the update to count as installed (BootNotification: at most 50 characters)', example: '2.1.0' }),
};

export const firmwareUpdateRequestSchema = z
  .strictObject(firmwareFields)
  .meta({ id: 'FirmwareUpdateRequest', example: { location: 'https://127.0.0.1:8080/firmware/acme-2.1.0.bin', retries: 3, retryIntervalS: 60, expectedVersion: '2.1.0' } });

export const firmwareRolloutRequestSchema = z
  .strictObject({
    stationIds: z
      .array(stationIdSchema)
      .min(1)
      .max(1000)
      .refine((ids) => new Set(ids).size === ids.length, 'must not name a station twice')
      .meta({ uniqueItems: true, description: 'Stations to update, in this order' }),
    maxConcurrent: z.number().int().min(1).max(100).meta({ description: 'At most this many stations updating at once', example: 2 }),
    ...firmwareFields,
  })
  .meta({ id: 'FirmwareRolloutRequest', example: { stationIds: ['CP_1', 'CP_2'], maxConcurrent: 1, location: 'https://127.0.0.1:8080/firmware/acme-2.1.0.bin', expectedVersion: '2.1.0' } });

const historySchema = z.array(
  z.object({ at: isoTimeSchema, status: z.string().meta({ example: 'Downloading' }), detail: z.string().optional() }).meta({ id: 'StationOperationHistoryEntry' }),
);

export const firmwareOutcomeSchema = z
  .enum(['installed', 'download_failed', 'installation_failed', 'timed_out', 'charger_error', 'unreachable', 'rejected', 'cancelled'])
  .meta({ description: 'How it ended: installed, download_failed, installation_failed, timed_out (silent station), charger_error (CALLERROR), unreachable (never delivered), rejected (station not accepted), cancelled (in the Temporal Web UI)' });

export const firmwareUpdateSchema = z
  .object({
    updateId: z.string().meta({ example: 'fw_3c9a1f0e5b7d2a64' }),
    stationId: z.string(),
    rolloutId: z.string().nullable(),
    location: z.string(),
    retrieveDate: isoTimeSchema,
    retries: z.number().int().nullable(),
    retryIntervalS: z.number().int().nullable(),
    expectedVersion: z.string().nullable(),
    status: z.string().meta({ description: 'requested, sent, the last FirmwareStatusNotification (Downloading, Downloaded, Installing, Installed), or the outcome', example: 'Downloading' }),
    outcome: firmwareOutcomeSchema.nullable(),
    detail: z.string().nullable(),
    history: historySchema,
    createdAt: isoTimeSchema,
    finishedAt: isoTimeSchema.nullable(),
  })
  .meta({
    id: 'FirmwareUpdate',
    example: {
      updateId: 'fw_3c9a1f0e5b7d2a64',
      stationId: 'CP_1',
      rolloutId: null,
      location: 'https://127.0.0.1:8080/firmware/acme-2.1.0.bin',
      retrieveDate: '2026-12-01T22:00:00.000Z',
      retries: 3,
      retryIntervalS: 60,
      expectedVersion: '2.1.0',
      status: 'installed',
      outcome: 'installed',
      detail: 'booted with firmwareVersion 2.1.0',
      history: [
        { at: '2026-12-01T22:00:00.000Z', status: 'requested', detail: 'https://127.0.0.1:8080/firmware/acme-2.1.0.bin' },
        { at: '2026-12-01T22:00:00.200Z', status: 'sent' },
        { at: '2026-12-01T22:00:01.000Z', status: 'Downloading' },
        { at: '2026-12-01T22:01:10.000Z', status: 'Downloaded' },
        { at: '2026-12-01T22:01:11.000Z', status: 'Installing' },
        { at: '2026-12-01T22:03:40.000Z', status: 'Installed' },
        { at: '2026-12-01T22:04:30.000Z', status: 'booted', detail: 'firmwareVersion 2.1.0' },
        { at: '2026-12-01T22:04:30.100Z', status: 'installed', detail: 'booted with firmwareVersion 2.1.0' },
      ],
      createdAt: '2026-12-01T22:00:00.000Z',
      finishedAt: '2026-12-01T22:04:30.100Z',
    },
  });

export const firmwareRolloutSchema = z
  .object({
    rolloutId: z.string().meta({ example: 'rollout_7d1e0c2b9a4f6e13' }),
    status: z.enum(['running', 'finished']),
    maxConcurrent: z.number().int(),
    location: z.string(),
    createdAt: isoTimeSchema,
    finishedAt: isoTimeSchema.nullable(),
    stations: z.array(
      z.object({
        stationId: z.string(),
        updateId: z.string().nullable(),
        status: z.string().meta({ description: "pending (not started yet), busy (another update was running: none started), terminated (its workflow was ended from outside), or the update's status" }),
        outcome: z.union([firmwareOutcomeSchema, z.enum(['busy', 'terminated'])]).nullable(),
      }),
    ),
  })
  .meta({
    id: 'FirmwareRollout',
    example: {
      rolloutId: 'rollout_7d1e0c2b9a4f6e13',
      status: 'running',
      maxConcurrent: 1,
      location: 'https://127.0.0.1:8080/firmware/acme-2.1.0.bin',
      createdAt: '2026-12-01T22:00:00.000Z',
      finishedAt: null,
      stations: [
        { stationId: 'CP_1', updateId: 'rollout_7d1e0c2b9a4f6e13-1', status: 'installed', outcome: 'installed' },
        { stationId: 'CP_2', updateId: 'rollout_7d1e0c2b9a4f6e13-2', status: 'Downloading', outcome: null },
      ],
    },
  });

export const diagnosticsRequestSchema = z
  .strictObject({
    retries: z.number().int().min(1).max(100).optional().meta({ description: 'Upload attempts the station makes', example: 2 }),
    retryIntervalS: retryIntervalSchema.optional(),
    startTime: dateTimeInputSchema.optional().meta({ description: 'Oldest log entries to include' }),
    stopTime: dateTimeInputSchema.optional().meta({ description: 'Newest log entries to include' }),
  })
  .refine((b) => !b.startTime || !b.stopTime || Date.parse(b.stopTime) >= Date.parse(b.startTime), { message: 'must not be before startTime', path: ['stopTime'] })
  .meta({ id: 'DiagnosticsRequestBody', example: { retries: 2, retryIntervalS: 30 }, [constraintsKey]: ['stopTime not before startTime'] });

export const diagnosticsOutcomeSchema = z
  .enum(['uploaded', 'upload_failed', 'no_file', 'file_missing', 'timed_out', 'charger_error', 'unreachable', 'rejected', 'cancelled'])
  .meta({ description: 'uploaded (the file is stored), upload_failed, no_file (the station has none), file_missing (Uploaded reported, nothing arrived), timed_out, charger_error, unreachable, rejected, cancelled (in the Temporal Web UI)' });

export const diagnosticsRequestViewSchema = z
  .object({
    requestId: z.string().meta({ example: 'diag_1f2e3d4c5b6a7980' }),
    stationId: z.string(),
    status: z.string().meta({ description: 'requested, sent, the last DiagnosticsStatusNotification (Uploading, Uploaded), or the outcome', example: 'Uploading' }),
    outcome: diagnosticsOutcomeSchema.nullable(),
    detail: z.string().nullable(),
    fileName: z.string().nullable().meta({ description: 'The name the station announced in GetDiagnostics.conf' }),
    uploadExpiresAt: isoTimeSchema,
    file: z
      .object({ fileName: z.string(), sizeBytes: z.number().int(), contentType: z.string(), uploadedAt: isoTimeSchema, href: z.string().meta({ description: 'Download path (operator token)' }) })
      .nullable(),
    history: historySchema,
    createdAt: isoTimeSchema,
    finishedAt: isoTimeSchema.nullable(),
  })
  .meta({
    id: 'DiagnosticsRequest',
    example: {
      requestId: 'diag_1f2e3d4c5b6a7980',
      stationId: 'CP_1',
      status: 'uploaded',
      outcome: 'uploaded',
      detail: 'CP_1_diagnostics.log (2048 bytes)',
      fileName: 'CP_1_diagnostics.log',
      uploadExpiresAt: '2026-12-01T22:00:03.000Z',
      file: { fileName: 'CP_1_diagnostics.log', sizeBytes: 2048, contentType: 'text/plain', uploadedAt: '2026-12-01T22:00:03.000Z', href: '/v1/operator/stations/CP_1/diagnostics/diag_1f2e3d4c5b6a7980/file' },
      history: [
        { at: '2026-12-01T22:00:00.000Z', status: 'requested' },
        { at: '2026-12-01T22:00:00.300Z', status: 'sent', detail: 'fileName CP_1_diagnostics.log' },
        { at: '2026-12-01T22:00:01.000Z', status: 'Uploading' },
        { at: '2026-12-01T22:00:03.000Z', status: 'file_received', detail: 'CP_1_diagnostics.log (2048 bytes)' },
        { at: '2026-12-01T22:00:03.100Z', status: 'Uploaded' },
        { at: '2026-12-01T22:00:03.200Z', status: 'uploaded', detail: 'CP_1_diagnostics.log (2048 bytes)' },
      ],
      createdAt: '2026-12-01T22:00:00.000Z',
      finishedAt: '2026-12-01T22:00:03.200Z',
    },
  });

export const uploadReceiptSchema = z
  .object({ requestId: z.string(), fileName: z.string(), sizeBytes: z.number().int() })
  .meta({ id: 'DiagnosticsUploadReceipt', example: { requestId: 'diag_1f2e3d4c5b6a7980', fileName: 'CP_1_diagnostics.log', sizeBytes: 2048 } });

export const listLimitQuery = z.object({ limit: z.coerce.number({ error: 'must be a number' }).int().min(1).max(100).default(20) });
