/**
 * Diagnostics requests as the API sees them (DiagnosticsPort in src/api/deps.ts): a request
 * creates a one-time upload token (only its SHA-256 is stored) and starts the workflow
 * (workflows/diagnostics-request.ts) with the API's upload URL as GetDiagnostics' location; the
 * upload is stored in PostgreSQL and told to the workflow; operators download it from there.
 */
import { createHash, randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Config } from '../config/config';
import type { Pool } from '../db/pool';
import type { Logger } from '../logger';
import { StationIdKey } from '../temporal/search-attributes';
import { chargerCommand } from '../../workflows/charger-command';
import type { ChargerCommandOutcome } from '../../workflows/charger-command-sender';
import { diagnosticsRequest } from '../../workflows/diagnostics-request';
import {
  diagnosticsFileSignal,
  diagnosticsWorkflowId,
  type DiagnosticsHistoryEntry,
  type DiagnosticsOutcome,
  type DiagnosticsRequestInput,
} from '../../workflows/diagnostics-messages';
import { asOcppDateTime } from './ocpp-date-time';
import { assertStationsKnown, iso } from './station-operation-rows';
import { StationOperationError } from './station-operation-error';

export interface DiagnosticsServiceDeps {
  client: Client;
  pool: Pool;
  config: Config;
  logger: Logger;
  searchAttributes?: boolean;
  /** The API's base URL as stations reach it; default API_PUBLIC_URL, else http://127.0.0.1:<API_PORT>. */
  publicUrl?: () => string;
}

export interface DiagnosticsRequestOptions {
  retries?: number;
  retryIntervalS?: number;
  startTime?: string;
  stopTime?: string;
}

export interface DiagnosticsRequestView {
  requestId: string;
  stationId: string;
  status: string;
  outcome: DiagnosticsOutcome | null;
  detail: string | null;
  fileName: string | null;
  /** Until when the station may upload (the token is spent by the first upload, and when the request ends). */
  uploadExpiresAt: string;
  /** Set once the file arrived: where the operator downloads it. */
  file: { fileName: string; sizeBytes: number; contentType: string; uploadedAt: string; href: string } | null;
  history: DiagnosticsHistoryEntry[];
  createdAt: string;
  finishedAt: string | null;
}

export interface DiagnosticsFile {
  fileName: string;
  contentType: string;
  content: Buffer;
}

/** The path of the upload URL; a station appends "/<fileName>" (the location is a directory, OCPP 1.6 §6.33). */
export const diagnosticsUploadPath = (token: string): string => `/v1/diagnostics-uploads/${token}`;

/** The configuration key naming the protocols a station can upload with (OCPP 1.6 security whitepaper / vendors). */
export const fileTransferProtocolsKey = 'SupportedFileTransferProtocols';

const hashToken = (token: string): Buffer => createHash('sha256').update(token).digest();

const requestColumns = `r.id, r.station_id, r.status, r.outcome, r.detail, r.file_name, r.upload_expires_at, r.history, r.created_at, r.finished_at,
  f.file_name AS stored_file_name, f.size_bytes, f.content_type, f.uploaded_at`;

interface RequestRow {
  id: string;
  station_id: string;
  status: string;
  outcome: DiagnosticsOutcome | null;
  detail: string | null;
  file_name: string | null;
  upload_expires_at: Date;
  history: DiagnosticsHistoryEntry[];
  created_at: Date;
  finished_at: Date | null;
  stored_file_name: string | null;
  size_bytes: number | null;
  content_type: string | null;
  uploaded_at: Date | null;
}

const view = (r: RequestRow): DiagnosticsRequestView => ({
  requestId: r.id,
  stationId: r.station_id,
  status: r.status,
  outcome: r.outcome,
  detail: r.detail,
  fileName: r.file_name,
  uploadExpiresAt: r.upload_expires_at.toISOString(),
  file:
    r.stored_file_name === null
      ? null
      : {
          fileName: r.stored_file_name,
          sizeBytes: r.size_bytes ?? 0,
          contentType: r.content_type ?? 'application/octet-stream',
          uploadedAt: r.uploaded_at!.toISOString(),
          href: `/v1/operator/stations/${encodeURIComponent(r.station_id)}/diagnostics/${r.id}/file`,
        },
  history: r.history,
  createdAt: r.created_at.toISOString(),
  finishedAt: iso(r.finished_at),
});

export class DiagnosticsService {
  constructor(private readonly deps: DiagnosticsServiceDeps) {}

  private publicUrl(): string {
    const { config } = this.deps;
    if (this.deps.publicUrl) return this.deps.publicUrl().replace(/\/+$/, '');
    return (config.API_PUBLIC_URL ?? `http://127.0.0.1:${config.API_PORT}`).replace(/\/+$/, '');
  }

  async requestDiagnostics(stationId: string, options: DiagnosticsRequestOptions): Promise<DiagnosticsRequestView> {
    const { client, pool, config } = this.deps;
    await assertStationsKnown(pool, [stationId]);
    await this.refuseFtpOnlyStation(stationId);
    const token = randomBytes(32).toString('base64url');
    const requestId = `diag_${randomBytes(8).toString('hex')}`;
    const input: DiagnosticsRequestInput = {
      requestId,
      stationId,
      location: this.publicUrl() + diagnosticsUploadPath(token),
      retries: options.retries,
      retryIntervalS: options.retryIntervalS,
      startTime: options.startTime === undefined ? undefined : asOcppDateTime(options.startTime),
      stopTime: options.stopTime === undefined ? undefined : asOcppDateTime(options.stopTime),
      statusTimeoutMs: config.DIAGNOSTICS_STATUS_TIMEOUT_MS,
      policy: { commandTimeoutMs: config.SESSION_COMMAND_TIMEOUT_MS, commandMaxAttempts: config.SESSION_COMMAND_MAX_ATTEMPTS },
    };
    await pool.query(
      `INSERT INTO diagnostics_requests (id, station_id, upload_token_hash, upload_expires_at, status) VALUES ($1, $2, $3, now() + make_interval(secs => $4::double precision / 1000), 'requested')`,
      [requestId, stationId, hashToken(token), config.DIAGNOSTICS_UPLOAD_TTL_MS],
    );
    try {
      await client.workflow.start(diagnosticsRequest, {
        workflowId: diagnosticsWorkflowId(stationId),
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [input],
        ...(this.deps.searchAttributes === false ? {} : { typedSearchAttributes: [{ key: StationIdKey, value: stationId }] }),
      });
    } catch (err) {
      await pool.query('DELETE FROM diagnostics_requests WHERE id = $1', [requestId]);
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new StationOperationError('already_running', `station ${stationId} already has a diagnostics request in progress`);
      throw err;
    }
    return (await this.getRequest(stationId, requestId))!;
  }

  /**
   * This CSMS takes uploads over HTTP(S) only. A station that lists its protocols in
   * SupportedFileTransferProtocols without HTTP or HTTPS is refused now, not after a failed upload.
   * A station that does not know the key, or is offline, is asked anyway (the workflow retries an
   * offline one).
   */
  private async refuseFtpOnlyStation(stationId: string): Promise<void> {
    const { client, pool, config, logger } = this.deps;
    const { rows } = await pool.query<{ online: boolean }>('SELECT online FROM chargers WHERE id = $1', [stationId]);
    if (!rows[0]?.online) return;
    let outcome: ChargerCommandOutcome<'getConfiguration'>;
    try {
      outcome = (await client.workflow.execute(chargerCommand, {
        workflowId: `cmd_getConfiguration_${stationId}_${randomBytes(6).toString('hex')}`,
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [{ command: 'getConfiguration', request: { stationId, key: [fileTransferProtocolsKey] }, policy: { commandTimeoutMs: config.SESSION_COMMAND_TIMEOUT_MS, commandMaxAttempts: 1 } }],
      })) as ChargerCommandOutcome<'getConfiguration'>;
    } catch (err) {
      logger.warn({ err, stationId }, 'could not read SupportedFileTransferProtocols; asking for diagnostics anyway');
      return;
    }
    if (!outcome.ok) return;
    const value = outcome.result.configurationKey.find((k) => k.key === fileTransferProtocolsKey)?.value;
    if (value === undefined || value.trim() === '') return;
    const protocols = value.split(',').map((p) => p.trim().toUpperCase());
    if (!protocols.some((p) => p === 'HTTP' || p === 'HTTPS')) {
      throw new StationOperationError(
        'unsupported_transfer_protocol',
        `station ${stationId} uploads only by ${protocols.join(', ')} (${fileTransferProtocolsKey}); this system accepts diagnostics over HTTP(S) only`,
      );
    }
  }

  async getRequest(stationId: string, requestId: string): Promise<DiagnosticsRequestView | null> {
    const { rows } = await this.deps.pool.query<RequestRow>(
      `SELECT ${requestColumns} FROM diagnostics_requests r LEFT JOIN diagnostics_files f ON f.request_id = r.id WHERE r.id = $1 AND r.station_id = $2`,
      [requestId, stationId],
    );
    return rows[0] ? view(rows[0]) : null;
  }

  async listRequests(stationId: string, limit: number): Promise<DiagnosticsRequestView[]> {
    await assertStationsKnown(this.deps.pool, [stationId]);
    const { rows } = await this.deps.pool.query<RequestRow>(
      `SELECT ${requestColumns} FROM diagnostics_requests r LEFT JOIN diagnostics_files f ON f.request_id = r.id WHERE r.station_id = $1 ORDER BY r.created_at DESC, r.id LIMIT $2`,
      [stationId, limit],
    );
    return rows.map(view);
  }

  /** Checks the token before the body is read: a wrong, spent or expired one costs no upload. */
  async checkUploadToken(token: string): Promise<{ requestId: string; stationId: string }> {
    const { rows } = await this.deps.pool.query<{ id: string; station_id: string; expired: boolean; used: boolean }>(
      `SELECT r.id, r.station_id, r.upload_expires_at <= now() AS expired, f.request_id IS NOT NULL AS used
         FROM diagnostics_requests r LEFT JOIN diagnostics_files f ON f.request_id = r.id WHERE r.upload_token_hash = $1`,
      [hashToken(token)],
    );
    const row = rows[0];
    if (!row) throw new StationOperationError('unknown_upload', 'no diagnostics upload has this token');
    if (row.used) throw new StationOperationError('upload_already_used', 'this upload URL has been used: it takes one file');
    if (row.expired) throw new StationOperationError('upload_expired', 'this upload URL has expired (or its diagnostics request has ended)');
    return { requestId: row.id, stationId: row.station_id };
  }

  /** Stores the file once per token (a concurrent second upload is refused) and tells the workflow. */
  async receiveUpload(token: string, file: DiagnosticsFile): Promise<{ requestId: string; fileName: string; sizeBytes: number }> {
    const { pool, client, logger } = this.deps;
    const { requestId, stationId } = await this.checkUploadToken(token);
    const stored = await pool.query(
      `INSERT INTO diagnostics_files (request_id, file_name, content_type, size_bytes, content)
       SELECT r.id, $2, $3, $4, $5 FROM diagnostics_requests r WHERE r.id = $1 AND r.upload_expires_at > now()
       ON CONFLICT (request_id) DO NOTHING RETURNING uploaded_at`,
      [requestId, file.fileName, file.contentType, file.content.length, file.content],
    );
    if (stored.rowCount === 0) {
      await this.checkUploadToken(token); // spent or expired meanwhile: its refusal
      throw new StationOperationError('upload_expired', 'this upload URL is no longer valid');
    }
    const event = { requestId, fileName: file.fileName, sizeBytes: file.content.length, at: new Date().toISOString() };
    try {
      await client.workflow.getHandle(diagnosticsWorkflowId(stationId)).signal(diagnosticsFileSignal, event);
    } catch (err) {
      // Stored is what counts: the workflow looks in PostgreSQL when the station reports Uploaded.
      if (!(err instanceof WorkflowNotFoundError)) logger.warn({ err, requestId }, 'diagnostics upload stored but not told to its workflow');
    }
    return { requestId, fileName: file.fileName, sizeBytes: file.content.length };
  }

  async getFile(stationId: string, requestId: string): Promise<DiagnosticsFile | null> {
    const { rows } = await this.deps.pool.query<{ file_name: string; content_type: string; content: Buffer }>(
      `SELECT f.file_name, f.content_type, f.content FROM diagnostics_files f JOIN diagnostics_requests r ON r.id = f.request_id WHERE r.id = $1 AND r.station_id = $2`,
      [requestId, stationId],
    );
    return rows[0] ? { fileName: rows[0].file_name, contentType: rows[0].content_type, content: rows[0].content } : null;
  }
}
