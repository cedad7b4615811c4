/**
 * The session layer as the API sees it (SessionPort / ChargerCommandPort in src/api/deps.ts):
 * starting, stopping, watching sessions and one-off charger commands, each a call to a
 * Temporal workflow. PostgreSQL decides "one active session per connector"; the workflow
 * decides everything that happens after.
 */
import { randomBytes } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateStage, type Client, type WorkflowUpdateHandle } from '@temporalio/client';
import type { Config } from '../config/config';
import { sessionTimingsFromConfig } from './session-timings';
import type { Pool } from '../db/pool';
import type { Logger } from '../logger';
import type { ChargerCommandPort, SessionPort, SocEnableStatus } from '../api/deps';
import type { BaseReportRequest, BaseReportResponse } from '../ocpp/charger-commands';
import { planSocReporting, sampledDataKey, sampledDataMaxLengthKey } from '../ocpp/soc-configuration';
import { isPgError, pgErrorCodes } from '../db/transaction';
import { sessionStartAttributes } from '../temporal/search-attributes';
import { chargingSession } from '../../workflows/charging-session';
import { chargerCommand } from '../../workflows/charger-command';
import { changeAvailability } from '../../workflows/change-availability';
import type { ChargerCommandName, ChargerCommandOutcome, ChargerCommandRequest, CommandPolicy } from '../../workflows/charger-command-sender';
import {
  awaitStartOutcomeUpdate,
  requestStopUpdate,
  sessionStateQuery,
  terminalStatuses,
  type Receipt,
  type SessionInput,
  type SessionState,
  type StartOutcome,
  type StopRequest,
} from '../../workflows/session-messages';
import { newSessionId } from './session-id';
import { loadSessionPayment } from '../payments/payment-rows';
import { cardPaymentFor } from '../payments/card-payment';
import { commandFailureError, SessionError, type SessionErrorCode } from './session-error';
import { closeSession, insertAppSession } from './session-rows';
import { connectorStartState } from '../stations/availability-store';
import { loadSmartChargingContext } from '../stations/smart-charging-activities';
import { startRefusal, type AvailabilityType } from '../stations/connector-availability';
import { mayUseReservation, reservationInTheWay } from '../reservations/connector-reservation';
import type {
  ClearChargingProfileRequest,
  DataTransferRequest,
  DataTransferResponse,
  GetCompositeScheduleRequest,
  GetCompositeScheduleResponse,
  SetChargingProfileRequest,
  TriggerMessageRequest,
} from '../ocpp/ocpp16-messages';
import { stationChargingProfiles, stationChargingProfilesWorkflowId } from '../../workflows/station-charging-profiles';
import { StationIdKey } from '../temporal/search-attributes';

export { SessionError, type SessionErrorCode };

export interface SessionServiceDeps {
  client: Client;
  pool: Pool;
  config: Config;
  logger: Logger;
  /** StationId / DriverId search attributes on session workflows (off for servers without them). */
  searchAttributes?: boolean;
  /** How often watch() reads the live state. */
  watchIntervalMs?: number;
  /** The provider `card` drivers pay with (its name); absent: card payments are off and such a driver cannot start. */
  cardPayments?: { provider: string };
}

/** Resolves to the promise's value, or to `undefined` once `ms` have passed (the promise runs on). */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  promise.catch(() => undefined); // a late failure after the deadline is not unhandled
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * The station exists, has the connector, is online and its registration allows what is asked
 * (OCPP 1.6 §4.2): charging needs Accepted; a Pending charger still takes configuration commands;
 * a Rejected one takes nothing.
 */
async function assertStationReachable(pool: Pool, stationId: string, options: { connectorId?: number; forCharging?: boolean } = {}): Promise<void> {
  const { connectorId, forCharging = false } = options;
  const { rows } = await pool.query<{ online: boolean; registration_status: string; known_connectors: number[] }>(
    `SELECT c.online, c.registration_status, COALESCE(array_agg(k.connector_id) FILTER (WHERE k.connector_id > 0), '{}') AS known_connectors
       FROM chargers c LEFT JOIN connectors k ON k.station_id = c.id
      WHERE c.id = $1 GROUP BY c.id`,
    [stationId],
  );
  const station = rows[0];
  if (!station) throw new SessionError('unknown_station', `station ${stationId} is not known`);
  // Connectors are known from the charger's StatusNotifications; before the first one, any id ≥ 1 may exist.
  if (connectorId !== undefined && (connectorId < 1 || (station.known_connectors.length > 0 && !station.known_connectors.includes(connectorId)))) {
    throw new SessionError('unknown_connector', `station ${stationId} has no connector ${connectorId}`);
  }
  if (!station.online) throw new SessionError('station_offline', `station ${stationId} is offline`);
  if (station.registration_status === 'Rejected' || (forCharging && station.registration_status !== 'Accepted')) {
    throw new SessionError('station_not_accepted', `station ${stationId} is ${station.registration_status}: the network has not accepted it${forCharging ? ' for charging' : ''}`);
  }
}

export class SessionService implements SessionPort {
  private readonly watchIntervalMs: number;

  constructor(private readonly deps: SessionServiceDeps) {
    this.watchIntervalMs = deps.watchIntervalMs ?? 500;
  }

  async startSession(req: Parameters<SessionPort['startSession']>[0]): Promise<{ sessionId: string; outcome: StartOutcome }> {
    const { client, pool, config, logger } = this.deps;
    await assertStationReachable(pool, req.stationId, { connectorId: req.connectorId, forCharging: true });
    // Checked before the session exists, so an Inoperative connector is never sent a RemoteStart.
    const refusal = startRefusal(await connectorStartState(pool, req.stationId, req.connectorId));
    if (refusal) throw new SessionError('connector_inoperative', `${refusal}: no session can start there`);
    // A reserved connector starts only for the reserving driver (the reserved id tag, or one of its parent), and that start uses the reservation.
    const inTheWay = await reservationInTheWay(pool, req.stationId, req.connectorId);
    const mayUse = inTheWay !== null && (await mayUseReservation(pool, inTheWay, req));
    // A charge point reservation with another connector still free: someone else may take this one.
    const reserved = inTheWay && (mayUse || !inTheWay.keepsFree) ? inTheWay : null;
    if (reserved && !mayUse) {
      throw new SessionError('connector_reserved', `connector ${req.connectorId} of station ${req.stationId} is held by reservation ${reserved.reservationId} until ${reserved.expiryDate}`);
    }
    // The reserving driver starts with the reserved tag (the charger lets only it, or its group, through); a group member with their own.
    const idTag = reserved && reserved.driverId !== null && reserved.driverId === req.driverId ? reserved.idTag : req.idTag;
    if (req.limits?.maxPowerKw !== undefined && (await loadSmartChargingContext(pool, req.stationId)).smartCharging === false) {
      // The driver asked for a ceiling the station cannot be given: refused, rather than charging unlimited.
      throw new SessionError('feature_profile_not_supported', `station ${req.stationId} does not support SmartCharging: limits.maxPowerKw cannot be applied (start without it)`);
    }
    const payment = await cardPaymentFor(pool, config, req.driverId, this.deps.cardPayments);
    const sessionId = newSessionId();
    try {
      await insertAppSession(pool, { sessionId, stationId: req.stationId, connectorId: req.connectorId, driverId: req.driverId, idTag });
    } catch (err) {
      if (isPgError(err, pgErrorCodes.uniqueViolation, 'sessions_one_active_per_connector')) {
        throw new SessionError('connector_busy', `connector ${req.connectorId} of station ${req.stationId} already has an active session`);
      }
      throw err;
    }
    const input: SessionInput = {
      sessionId,
      stationId: req.stationId,
      connectorId: req.connectorId,
      idTag,
      driverId: req.driverId,
      origin: 'app',
      ...(reserved ? { reservationId: reserved.reservationId } : {}),
      limits: req.limits,
      timings: sessionTimingsFromConfig(config),
      indexStatus: this.deps.searchAttributes !== false,
      ...(payment ? { payment } : {}),
    };
    // Update-with-start: the workflow's start and the wait for the charger's answer in one round trip.
    const startOperation = new WithStartWorkflowOperation(chargingSession, {
      workflowId: sessionId,
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      ...(this.deps.searchAttributes !== false ? { typedSearchAttributes: sessionStartAttributes(input, 'starting') } : {}),
    });
    let update: WorkflowUpdateHandle<StartOutcome>;
    try {
      update = await client.workflow.startUpdateWithStart(awaitStartOutcomeUpdate, { startWorkflowOperation: startOperation, waitForStage: WorkflowUpdateStage.ACCEPTED });
    } catch (err) {
      // Without a workflow nothing will ever close the row: free the connector now (a workflow that did start closes it itself).
      const started = await startOperation.workflowHandle().then(() => true, () => false);
      if (!started) await closeSession(pool, sessionId, 'failed', 'could not start the session workflow');
      throw err;
    }
    logger.info({ sessionId, stationId: req.stationId, connectorId: req.connectorId }, 'session started');
    const outcome = await within(update.result(), req.waitMs);
    // The charger has not answered yet: the session goes on; the app follows it by id.
    return { sessionId, outcome: outcome ?? { accepted: true, status: 'starting' } };
  }

  /**
   * Asks the session to stop and waits at most `waitMs` in all for its receipt. The stop update is
   * only waited on until the workflow accepts it: its handler returns once RemoteStop has been sent,
   * and a charger that never answers holds that for every attempt of the command.
   */
  async stopSession(sessionId: string, req: StopRequest, waitMs: number): Promise<{ receipt: Receipt } | { state: SessionState }> {
    const deadline = Date.now() + waitMs;
    const handle = this.deps.client.workflow.getHandle<typeof chargingSession>(sessionId);
    let receipt: Receipt | undefined;
    try {
      const update = await handle.startUpdate(requestStopUpdate, { args: [req], waitForStage: WorkflowUpdateStage.ACCEPTED });
      // A stop the validator refused has its outcome already, so this rejects at once.
      receipt = await within(Promise.all([update.result(), handle.result()]).then(([, r]) => r), Math.max(0, deadline - Date.now()));
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) throw new SessionError('not_running', `session ${sessionId} cannot be stopped: ${err.cause?.message ?? err.message}`);
      if (err instanceof WorkflowNotFoundError || isClosedWorkflowError(err)) {
        if (await this.getReceipt(sessionId)) throw new SessionError('not_running', `session ${sessionId} has already ended`);
        throw new SessionError('not_found', `session ${sessionId} does not exist`);
      }
      throw err;
    }
    if (receipt) return { receipt };
    return { state: await handle.query(sessionStateQuery) };
  }

  /**
   * The live state from the session's workflow; once Temporal no longer has it (past the
   * namespace's retention), the final state from the stored session and its receipt.
   */
  async getState(sessionId: string): Promise<SessionState | null> {
    try {
      return await this.deps.client.workflow.getHandle(sessionId).query(sessionStateQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return this.finishedState(sessionId);
      throw err;
    }
  }

  private async finishedState(sessionId: string): Promise<SessionState | null> {
    const { rows } = await this.deps.pool.query<{ id_tag: string | null; origin: 'app' | 'charger'; body: Receipt }>(
      'SELECT s.id_tag, s.origin, r.body FROM sessions s JOIN receipts r ON r.session_id = s.id WHERE s.id = $1',
      [sessionId],
    );
    const row = rows[0];
    if (!row) return null;
    const r = row.body;
    return {
      sessionId,
      status: r.status,
      stationId: r.station_id,
      connectorId: r.connector_id,
      driverId: r.driver_id,
      idTag: row.id_tag ?? '',
      origin: row.origin,
      transactionId: r.transaction_id,
      meterStartWh: r.meter_start,
      lastEnergyWh: r.meter_stop === null ? null : String(r.meter_stop),
      energyKwh: r.energy_kwh_exact,
      costSoFar: r.total_cost_exact,
      currency: r.currency,
      ratePerKwh: r.rate_per_kwh_exact,
      socPercent: r.soc,
      powerW: null,
      startTime: r.start_time,
      lastReadingAt: null,
      endTime: r.end_time,
      chargerOnline: false,
      socReporting: { status: 'unknown' },
      limits: {},
      powerLimit: null,
      stopReason: r.stop_reason,
      failureReason: r.failure_reason,
      flags: r.flags,
    };
  }

  /** The stored receipt, with the payment as it stands now (captured, released, refunded after it was issued). */
  async getReceipt(sessionId: string): Promise<Receipt | null> {
    const { rows } = await this.deps.pool.query<{ body: Receipt }>('SELECT body FROM receipts WHERE session_id = $1', [sessionId]);
    if (!rows[0]) return null;
    const payment = await loadSessionPayment(this.deps.pool, sessionId);
    return payment ? { ...rows[0].body, payment: payment.view } : rows[0].body;
  }

  /**
   * Reads the live state every watchIntervalMs and reports each change. A query is cheap and
   * leaves no trace in the workflow's history, unlike a long-polling update per change.
   */
  async watch(sessionId: string, onState: (state: SessionState) => void, abort: AbortSignal): Promise<void> {
    let last = '';
    while (!abort.aborted) {
      const state = await this.getState(sessionId);
      if (!state) return;
      const seen = JSON.stringify(state);
      if (seen !== last) {
        last = seen;
        onState(state);
      }
      if (terminalStatuses.includes(state.status)) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.watchIntervalMs);
        abort.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
  }
}

/** An update or query sent to a workflow that has finished. */
export function isClosedWorkflowError(err: unknown): boolean {
  return err instanceof Error && /workflow execution (already )?(completed|finished)/i.test(err.message);
}

/**
 * One-off commands for the API (SoC check and enable, configuration, reset, unlock, triggers,
 * ClearCache, DataTransfer), each run as a short chargerCommand workflow so it is routed to the
 * charger's gateway and visible to operators; ChangeAvailability as the changeAvailability
 * workflow, which also records what the station took.
 */
export class ChargerCommandService implements ChargerCommandPort {
  constructor(private readonly deps: SessionServiceDeps) {}

  async checkSoc(stationId: string): Promise<{ supported: boolean; enabled: boolean; measurands: string[]; basis: string }> {
    const answer = await this.send(stationId, 'getConfiguration', { stationId: stationId, key: [sampledDataKey, sampledDataMaxLengthKey] });
    const plan = planSocReporting(answer);
    const listed = answer.configurationKey.find((k) => k.key === sampledDataKey);
    return {
      supported: !(plan.action === 'impossible' && plan.reason === 'not_supported'),
      enabled: plan.action === 'none',
      measurands: plan.measurands,
      basis: listed ? `GetConfiguration: ${sampledDataKey} = "${listed.value ?? ''}"${listed.readonly ? ' (read-only)' : ''}` : `GetConfiguration: ${sampledDataKey} unknown to the charger`,
    };
  }

  async enableSoc(stationId: string): Promise<{ status: SocEnableStatus }> {
    const plan = planSocReporting(await this.send(stationId, 'getConfiguration', { stationId: stationId, key: [sampledDataKey, sampledDataMaxLengthKey] }));
    if (plan.action === 'none') return { status: 'already_enabled' };
    if (plan.action === 'impossible') return { status: plan.reason === 'not_supported' ? 'not_supported' : 'rejected' };
    const { status } = await this.send(stationId, 'changeConfiguration', { stationId: stationId, key: sampledDataKey, value: plan.value });
    const byAnswer = { Accepted: 'accepted', Rejected: 'rejected', RebootRequired: 'reboot_required', NotSupported: 'not_supported' } as const;
    return { status: byAnswer[status] };
  }

  async getConfiguration(stationId: string, keys?: string[]): ReturnType<ChargerCommandPort['getConfiguration']> {
    return await this.send(stationId, 'getConfiguration', { stationId, key: keys });
  }

  async changeConfiguration(stationId: string, key: string, value: string): ReturnType<ChargerCommandPort['changeConfiguration']> {
    return await this.send(stationId, 'changeConfiguration', { stationId, key, value });
  }

  reset(stationId: string, type: 'Hard' | 'Soft'): Promise<unknown> {
    return this.send(stationId, 'reset', { stationId: stationId, type });
  }

  unlockConnector(stationId: string, connectorId: number): Promise<unknown> {
    return this.send(stationId, 'unlockConnector', { stationId: stationId, connectorId });
  }

  requestBootNotification(stationId: string): Promise<unknown> {
    return this.send(stationId, 'triggerMessage', { stationId: stationId, requestedMessage: 'BootNotification' });
  }

  /**
   * ChangeAvailability as its own workflow, which records what the station took (Accepted or
   * Scheduled) for the station view and for starting sessions.
   */
  async changeAvailability(stationId: string, connectorId: number, type: AvailabilityType): Promise<{ status: 'Accepted' | 'Rejected' | 'Scheduled' }> {
    const { status } = await this.run(stationId, 'changeAvailability', (workflowId, policy) =>
      this.deps.client.workflow.execute(changeAvailability, { workflowId, taskQueue: this.deps.config.TEMPORAL_TASK_QUEUE, args: [{ stationId, connectorId, type, policy }] }),
    );
    return { status };
  }

  async triggerMessage(stationId: string, requestedMessage: TriggerMessageRequest['requestedMessage'], connectorId?: number): Promise<{ status: 'Accepted' | 'Rejected' | 'NotImplemented' }> {
    const { status } = await this.send(stationId, 'triggerMessage', { stationId, requestedMessage, connectorId });
    return { status };
  }

  async clearCache(stationId: string): Promise<{ status: 'Accepted' | 'Rejected' }> {
    const { status } = await this.send(stationId, 'clearCache', { stationId });
    return { status };
  }

  async getLocalListVersion(stationId: string): Promise<{ listVersion: number }> {
    const { listVersion } = await this.send(stationId, 'getLocalListVersion', { stationId });
    return { listVersion };
  }

  async dataTransfer(stationId: string, request: DataTransferRequest): Promise<DataTransferResponse> {
    const { status, data } = await this.send(stationId, 'dataTransfer', { stationId, ...request });
    return data === undefined ? { status } : { status, data };
  }

  async setChargingProfile(stationId: string, request: SetChargingProfileRequest): Promise<{ status: 'Accepted' | 'Rejected' | 'NotSupported' }> {
    const { status } = await this.send(stationId, 'setChargingProfile', { stationId, ...request });
    return { status };
  }

  async clearChargingProfile(stationId: string, request: ClearChargingProfileRequest): Promise<{ status: 'Accepted' | 'Unknown' }> {
    const { status } = await this.send(stationId, 'clearChargingProfile', { stationId, ...request });
    return { status };
  }

  async getCompositeSchedule(stationId: string, request: GetCompositeScheduleRequest): Promise<GetCompositeScheduleResponse> {
    return await this.send(stationId, 'getCompositeSchedule', { stationId, ...request });
  }

  async getBaseReport(stationId: string, reportBase: BaseReportRequest['reportBase']): Promise<BaseReportResponse> {
    const { status, requestId } = await this.send(stationId, 'getBaseReport', { stationId, reportBase });
    return { status, requestId };
  }

  /**
   * The declared profiles are stored already: the run sends them now if the station is online,
   * else at its next boot or reconnect. A newer run (a boot meanwhile) replaces this one; either
   * way the outcome is in PostgreSQL.
   */
  async applyStationChargingProfiles(stationId: string, waitMs: number): Promise<void> {
    const { client, config } = this.deps;
    const handle = await client.workflow.start(stationChargingProfiles, {
      workflowId: stationChargingProfilesWorkflowId(stationId),
      workflowIdConflictPolicy: 'TERMINATE_EXISTING',
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [{ stationId, trigger: 'declared', policy: { commandTimeoutMs: config.SESSION_COMMAND_TIMEOUT_MS, commandMaxAttempts: 1 } }],
      ...(this.deps.searchAttributes !== false ? { typedSearchAttributes: [{ key: StationIdKey, value: stationId }] } : {}),
    });
    await within(handle.result(), waitMs).catch(() => undefined);
  }

  private send<N extends ChargerCommandName>(stationId: string, command: N, request: ChargerCommandRequest<N>) {
    return this.run(stationId, command, (workflowId, policy) =>
      this.deps.client.workflow.execute(chargerCommand, { workflowId, taskQueue: this.deps.config.TEMPORAL_TASK_QUEUE, args: [{ command, request, policy }] }) as Promise<
        ChargerCommandOutcome<N>
      >,
    );
  }

  /** One attempt (an HTTP caller is waiting): offline or silent → 503, CALLERROR → 422. */
  private async run<N extends ChargerCommandName>(
    stationId: string,
    command: N,
    execute: (workflowId: string, policy: CommandPolicy) => Promise<ChargerCommandOutcome<N>>,
  ) {
    const { pool, config } = this.deps;
    await assertStationReachable(pool, stationId);
    const outcome = await execute(`cmd_${command}_${stationId}_${randomBytes(6).toString('hex')}`, { commandTimeoutMs: config.SESSION_COMMAND_TIMEOUT_MS, commandMaxAttempts: 1 });
    if (outcome.ok) return outcome.result;
    const code = commandFailureError[outcome.code];
    const messages: Record<typeof code, string> = {
      rejected: `station ${stationId} answered ${command} with ${outcome.errorCode}: ${outcome.detail}`,
      station_not_accepted: `station ${stationId} is not accepted by the network: ${outcome.detail}`,
      station_offline: `station ${stationId} did not answer ${command}: ${outcome.detail}`,
    };
    throw new SessionError(code, messages[code]);
  }
}
