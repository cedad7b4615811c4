/**
 * Firmware updates and rollouts as the API sees them (FirmwarePort in src/api/deps.ts): each
 * request starts a workflow (workflows/firmware-update.ts, workflows/firmware-rollout.ts); what
 * they did is read back from the rows their activities write.
 */
import { randomBytes } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Config } from '../config/config';
import type { Pool } from '../db/pool';
import { StationIdKey } from '../temporal/search-attributes';
import { firmwareRollout } from '../../workflows/firmware-rollout';
import { firmwareUpdate } from '../../workflows/firmware-update';
import {
  firmwareUpdateWorkflowId,
  type FirmwareHistoryEntry,
  type FirmwareRolloutStationResult,
  type FirmwareUpdateInput,
  type FirmwareUpdateOutcome,
} from '../../workflows/firmware-messages';
import { asOcppDateTime } from './ocpp-date-time';
import { assertStationsKnown, iso } from './station-operation-rows';
import { StationOperationError } from './station-operation-error';

export interface FirmwareServiceDeps {
  client: Client;
  pool: Pool;
  config: Config;
  /** StationId search attribute on the workflows (off for servers without it registered). */
  searchAttributes?: boolean;
}

export interface FirmwareUpdateRequest {
  location: string;
  /** Default: now. */
  retrieveDate?: string;
  retries?: number;
  retryIntervalS?: number;
  expectedVersion?: string;
}

export interface FirmwareUpdateView {
  updateId: string;
  stationId: string;
  rolloutId: string | null;
  location: string;
  retrieveDate: string;
  retries: number | null;
  retryIntervalS: number | null;
  expectedVersion: string | null;
  status: string;
  outcome: FirmwareUpdateOutcome | null;
  detail: string | null;
  history: FirmwareHistoryEntry[];
  createdAt: string;
  finishedAt: string | null;
}

export interface FirmwareRolloutView {
  rolloutId: string;
  status: 'running' | 'finished';
  maxConcurrent: number;
  location: string;
  createdAt: string;
  finishedAt: string | null;
  /** One per station, in the order given: its update's status and outcome (pending: not started yet). */
  stations: { stationId: string; updateId: string | null; status: string; outcome: FirmwareRolloutStationResult['outcome'] | null }[];
}

const updateColumns = `id, station_id, rollout_id, location, retrieve_date, retries, retry_interval_s, expected_version, status, outcome, detail, history, created_at, finished_at`;

interface UpdateRow {
  id: string;
  station_id: string;
  rollout_id: string | null;
  location: string;
  retrieve_date: Date;
  retries: number | null;
  retry_interval_s: number | null;
  expected_version: string | null;
  status: string;
  outcome: FirmwareUpdateOutcome | null;
  detail: string | null;
  history: FirmwareHistoryEntry[];
  created_at: Date;
  finished_at: Date | null;
}

const view = (r: UpdateRow): FirmwareUpdateView => ({
  updateId: r.id,
  stationId: r.station_id,
  rolloutId: r.rollout_id,
  location: r.location,
  retrieveDate: r.retrieve_date.toISOString(),
  retries: r.retries,
  retryIntervalS: r.retry_interval_s,
  expectedVersion: r.expected_version,
  status: r.status,
  outcome: r.outcome,
  detail: r.detail,
  history: r.history,
  createdAt: r.created_at.toISOString(),
  finishedAt: iso(r.finished_at),
});

export class FirmwareService {
  constructor(private readonly deps: FirmwareServiceDeps) {}

  private timings(): Pick<FirmwareUpdateInput, 'statusTimeoutMs' | 'policy'> {
    const { config } = this.deps;
    return {
      statusTimeoutMs: config.FIRMWARE_STATUS_TIMEOUT_MS,
      policy: { commandTimeoutMs: config.SESSION_COMMAND_TIMEOUT_MS, commandMaxAttempts: config.SESSION_COMMAND_MAX_ATTEMPTS },
    };
  }

  private attributes(stationId: string) {
    return this.deps.searchAttributes === false ? {} : { typedSearchAttributes: [{ key: StationIdKey, value: stationId }] };
  }

  async requestUpdate(stationId: string, req: FirmwareUpdateRequest): Promise<FirmwareUpdateView> {
    const { client, pool, config } = this.deps;
    await assertStationsKnown(pool, [stationId]);
    const input: FirmwareUpdateInput = {
      updateId: `fw_${randomBytes(8).toString('hex')}`,
      stationId,
      location: req.location,
      retrieveDate: asOcppDateTime(req.retrieveDate),
      retries: req.retries,
      retryIntervalS: req.retryIntervalS,
      expectedVersion: req.expectedVersion,
      ...this.timings(),
    };
    // The row first, so the update can be read as soon as it is answered; the workflow keeps it up to date.
    await pool.query(
      `INSERT INTO firmware_updates (id, station_id, location, retrieve_date, retries, retry_interval_s, expected_version, status, history)
            VALUES ($1, $2, $3, $4, $5, $6, $7, 'requested', '[]')`,
      [input.updateId, stationId, input.location, input.retrieveDate, input.retries ?? null, input.retryIntervalS ?? null, input.expectedVersion ?? null],
    );
    try {
      await client.workflow.start(firmwareUpdate, {
        workflowId: firmwareUpdateWorkflowId(stationId),
        taskQueue: config.TEMPORAL_TASK_QUEUE,
        args: [input],
        ...this.attributes(stationId),
      });
    } catch (err) {
      await pool.query('DELETE FROM firmware_updates WHERE id = $1', [input.updateId]);
      if (err instanceof WorkflowExecutionAlreadyStartedError) throw new StationOperationError('already_running', `station ${stationId} already has a firmware update in progress`);
      throw err;
    }
    return (await this.getUpdate(input.updateId))!;
  }

  async getUpdate(updateId: string): Promise<FirmwareUpdateView | null> {
    const { rows } = await this.deps.pool.query<UpdateRow>(`SELECT ${updateColumns} FROM firmware_updates WHERE id = $1`, [updateId]);
    return rows[0] ? view(rows[0]) : null;
  }

  async listUpdates(stationId: string, limit: number): Promise<FirmwareUpdateView[]> {
    await assertStationsKnown(this.deps.pool, [stationId]);
    const { rows } = await this.deps.pool.query<UpdateRow>(`SELECT ${updateColumns} FROM firmware_updates WHERE station_id = $1 ORDER BY created_at DESC, id LIMIT $2`, [stationId, limit]);
    return rows.map(view);
  }

  async startRollout(req: FirmwareUpdateRequest & { stationIds: string[]; maxConcurrent: number }): Promise<FirmwareRolloutView> {
    const { client, pool, config } = this.deps;
    await assertStationsKnown(pool, req.stationIds);
    const rolloutId = `rollout_${randomBytes(8).toString('hex')}`;
    const update = {
      location: req.location,
      retrieveDate: asOcppDateTime(req.retrieveDate),
      retries: req.retries,
      retryIntervalS: req.retryIntervalS,
      expectedVersion: req.expectedVersion,
      ...this.timings(),
    };
    await pool.query('INSERT INTO firmware_rollouts (id, station_ids, location, max_concurrent, parameters) VALUES ($1, $2, $3, $4, $5)', [
      rolloutId,
      req.stationIds,
      req.location,
      req.maxConcurrent,
      JSON.stringify({ retrieveDate: update.retrieveDate, retries: update.retries, retryIntervalS: update.retryIntervalS, expectedVersion: update.expectedVersion }),
    ]);
    await client.workflow.start(firmwareRollout, {
      workflowId: rolloutId,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{ rolloutId, stationIds: req.stationIds, maxConcurrent: req.maxConcurrent, update, searchAttributes: this.deps.searchAttributes !== false }],
    });
    return (await this.getRollout(rolloutId))!;
  }

  async getRollout(rolloutId: string): Promise<FirmwareRolloutView | null> {
    const { pool } = this.deps;
    const { rows } = await pool.query<{
      id: string;
      station_ids: string[];
      location: string;
      max_concurrent: number;
      status: 'running' | 'finished';
      results: FirmwareRolloutStationResult[];
      created_at: Date;
      finished_at: Date | null;
    }>('SELECT id, station_ids, location, max_concurrent, status, results, created_at, finished_at FROM firmware_rollouts WHERE id = $1', [rolloutId]);
    const rollout = rows[0];
    if (!rollout) return null;
    const updates = await pool.query<{ id: string; station_id: string; status: string; outcome: FirmwareUpdateOutcome | null }>(
      'SELECT id, station_id, status, outcome FROM firmware_updates WHERE rollout_id = $1',
      [rolloutId],
    );
    return {
      rolloutId,
      status: rollout.status,
      maxConcurrent: rollout.max_concurrent,
      location: rollout.location,
      createdAt: rollout.created_at.toISOString(),
      finishedAt: iso(rollout.finished_at),
      stations: rollout.station_ids.map((stationId) => {
        const result = rollout.results.find((r) => r.stationId === stationId);
        if (result?.outcome === 'busy') return { stationId, updateId: null, status: 'busy', outcome: 'busy' };
        const row = updates.rows.find((u) => u.station_id === stationId);
        if (result?.outcome === 'terminated') return { stationId, updateId: row?.id ?? null, status: 'terminated', outcome: 'terminated' };
        return row ? { stationId, updateId: row.id, status: row.status, outcome: row.outcome } : { stationId, updateId: null, status: 'pending', outcome: null };
      }),
    };
  }
}
