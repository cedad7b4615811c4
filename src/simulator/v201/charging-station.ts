/**
 * A simulated OCPP 2.0.1 charging station: a real ocpp-rpc RPCClient (`ocpp2.0.1` subprotocol,
 * strict schema validation of its own frames and the CSMS's, HTTP Basic auth = security profile 1).
 * Written from the OCPP 2.0.1 specification, independently of the CSMS's protocol code, so tests
 * do not check the server against itself.
 *
 * Model: EVSEs 1..N with one connector each (connectorId 1). Transactions are identified by an id
 * the station chooses; their TransactionEvents are numbered (seqNo from 0) and go through an
 * ordered queue that holds them while offline (E04) and delivers them after reconnecting with
 * `offline: true`. Anything else fails at once while disconnected.
 */
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import Big from 'big.js';
import pino from 'pino';
import { RPCClient, createRPCError, NOREPLY } from 'ocpp-rpc';
import type { Logger } from '../../logger';
import { DeviceModel, samplableMeasurands } from './device-model';
import { QueueFaults, TransactionQueue } from './transaction-queue';
import { IdToken, IdTokenInfo, LocalAuthorizationList, tokenKey } from './local-list';
import { AuthorizationCache } from './authorization-cache';
import { MeterState, SampledValue, registerWh, sample } from './sampling';
import { registerDeviceModelCommands } from './device-model-commands';
import { CommandHandler, StationFeatures, StationHost } from './features';
import { BackgroundTasks } from '../background-tasks';
import { createSimulatorClient, notifyIfOnline, waitUntilSocketClosed } from '../simulator-client';
import { waitForEvent } from '../wait-for-event';

export type CommandBehaviour201 = 'accept' | 'reject' | 'ignore' | 'callerror';
export type ConnectorStatus = 'Available' | 'Occupied' | 'Reserved' | 'Unavailable' | 'Faulted';
export type BootStatus = 'Accepted' | 'Pending' | 'Rejected';

export interface SimulatedChargingStation201Options {
  /** CSMS base URL, e.g. ws://127.0.0.1:9000/ocpp (the station id is appended). */
  url: string;
  stationId: string;
  /** HTTP Basic password (security profile 1). */
  password?: string;
  evses?: number;
  /** Initial energy register of every EVSE, Wh. */
  meterStartWh?: number;
  socStartPercent?: number;
  /** RequestStartTransaction accepted → TransactionEvent Started after this (the driver plugs in). */
  plugDelayMs?: number;
  /** Let ocpp-rpc reconnect by itself after the socket is lost (queued events flush on reopen). */
  reconnect?: boolean;
  /** How long to wait for the CSMS to answer one call (default 30 s). */
  callTimeoutMs?: number;
  logger?: Logger;
  /** Device-model values preset before connecting, key 'Component.Variable' (or 'Component.Variable[Instance]'). */
  variables?: Record<string, string>;
  /** false: 'SoC' is not in the valuesList of the measurand variables (the EV does not report it). */
  supportsSoc?: boolean;
  /** Per CSMS request: accept (default), reject (answer its rejected status), ignore (never answer), callerror. */
  commandBehaviour?: Partial<Record<string, CommandBehaviour201>>;
  vendorName?: string;
  model?: string;
  firmwareVersion?: string;
  /** Power an EVSE draws while charging (default 11 kW); charging profiles can lower it. */
  defaultPowerW?: number;
  /** Battery size for the SoC curve (default 60 kWh). */
  batteryCapacityWh?: number;
  /** Wall-clock ms per protocol second (intervals, retries); default 1000. */
  secondMs?: number;
  /** Send TransactionEvent Updated by itself every SampledDataCtrlr.TxUpdatedInterval, charging meanwhile (default off). */
  autoMeterValues?: boolean;
  /** Wait between delivery attempts of a TransactionEvent (default OCPPCommCtrlr.MessageAttemptInterval[TransactionEvent] s). */
  transactionMessageRetryMs?: number;
  /** Answers a DataTransfer from the CSMS (default: UnknownVendorId). */
  dataTransfer?: (request: { vendorId: string; messageId?: string; data?: unknown }) => { status: 'Accepted' | 'Rejected' | 'UnknownMessageId' | 'UnknownVendorId'; data?: unknown };
  /** Firmware update and log upload timings and scripted failures. */
  firmware?: { stepMs?: number; fail?: 'download' | 'install' };
  logs?: { stepMs?: number; fail?: boolean };
}

export interface StationTransaction {
  id: string;
  evseId: number;
  idToken?: IdToken;
  remoteStartId?: number;
  reservationId?: number;
  startedAt: string;
  /** The next event's seqNo. */
  seqNo: number;
  begin: SampledValue[];
  chargingState: 'Charging' | 'EVConnected' | 'SuspendedEV' | 'SuspendedEVSE' | 'Idle';
}

interface Evse {
  id: number;
  energyWs: Big;
  /** Energy in the EV's battery, Ws (exact, so SoC = battery / capacity has no drift). */
  batteryWs: Big;
  powerW: number;
  /** setPower(): what the EV asks for instead of defaultPowerW (until its transaction ends). */
  demandW?: number;
  status: ConnectorStatus;
  /** The status the CSMS last heard (reported again after an offline period). */
  reported?: ConnectorStatus;
  operative: boolean;
  /** A ChangeAvailability answered Scheduled, applied when the transaction ends. */
  scheduledOperative?: boolean;
  faulted: boolean;
  starting: boolean;
  /** startTransaction() is reporting Occupied before it queues Started. */
  opening?: boolean;
  transaction?: StationTransaction;
  sampler?: NodeJS.Timeout;
}

/** Raised for a message (other than a TransactionEvent) attempted while disconnected. */
export class StationOfflineError extends Error {
  constructor(stationId: string, action: string) {
    super(`${stationId} is not connected: ${action} not sent`);
    this.name = 'StationOfflineError';
  }
}

type HandlerArgs = { params?: Record<string, any>; signal?: AbortSignal };
export type { CommandHandler } from './features';

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What each command answers with behaviour 'reject'. */
function rejectedAnswer(action: string, params: Record<string, any>): unknown {
  switch (action) {
    case 'GetVariables':
      return { getVariableResult: (params.getVariableData ?? []).map((d: any) => ({ attributeStatus: 'Rejected', component: d.component, variable: d.variable })) };
    case 'SetVariables':
      return { setVariableResult: (params.setVariableData ?? []).map((d: any) => ({ attributeStatus: 'Rejected', component: d.component, variable: d.variable })) };
    case 'UnlockConnector':
      return { status: 'UnlockFailed' };
    case 'SendLocalList':
      return { status: 'Failed' };
    case 'ClearChargingProfile':
      return { status: 'Unknown' };
    case 'GetLocalListVersion':
      return { versionNumber: 0 };
    default:
      return { status: 'Rejected' };
  }
}

export class SimulatedChargingStation201 extends EventEmitter {
  readonly stationId: string;
  readonly deviceModel: DeviceModel;
  readonly localList = new LocalAuthorizationList();
  readonly authorizationCache = new AuthorizationCache();
  /** Every CSMS→station request, in order. */
  readonly received: Array<{ action: string; payload: unknown }> = [];
  commandBehaviour: Partial<Record<string, CommandBehaviour201>>;
  firmwareVersion: string;
  readonly features: StationFeatures;

  private readonly options: SimulatedChargingStation201Options;
  private readonly logger: Logger;
  private readonly client: RPCClient;
  private readonly evses = new Map<number, Evse>();
  private readonly queue: TransactionQueue;
  private online = false;
  private accepted = false;
  /** The last boot answer's status (undefined before the first). */
  private registration?: BootStatus;
  private closed = false;
  private stationOperative = true;
  private heartbeatTimer?: NodeJS.Timeout;
  private bootRetryTimer?: NodeJS.Timeout;
  private meterLoop?: NodeJS.Timeout;
  private readonly tasks = new BackgroundTasks((err) => {
    this.logger.warn({ err }, 'simulator background task failed');
    this.emit('backgroundError', err);
  });
  private bootReason = 'PowerUp';
  /** connect() / reconnect() is opening the socket. */
  private connecting = false;
  /** Security events to report once the next boot is accepted (after a reset: ResetOrReboot, StartupOfTheDevice). */
  private readonly pendingSecurityEvents: { type: string; techInfo?: string }[] = [];
  /** A Reset OnIdle answered Scheduled: the station (0) or an EVSE resets when idle. */
  private scheduledReset?: { evseId?: number };
  private nextEventId = 1;

  constructor(options: SimulatedChargingStation201Options) {
    super();
    this.options = options;
    this.stationId = options.stationId;
    this.commandBehaviour = { ...options.commandBehaviour };
    this.logger = (options.logger ?? pino({ level: 'silent' })).child({ stationId: options.stationId });
    this.firmwareVersion = options.firmwareVersion ?? '1.0.0';
    const count = options.evses ?? 1;
    for (let id = 1; id <= count; id++) {
      this.evses.set(id, {
        id,
        energyWs: new Big(options.meterStartWh ?? 0).times(3600),
        batteryWs: this.capacityWs.times(options.socStartPercent ?? 20).div(100),
        powerW: 0,
        status: 'Available',
        operative: true,
        faulted: false,
        starting: false,
      });
    }
    this.deviceModel = new DeviceModel(
      {
        evses: count,
        supportsSoc: options.supportsSoc !== false,
        vendorName: options.vendorName ?? 'Simulator',
        model: options.model ?? 'SimStation201',
        serialNumber: `SIM-${options.stationId}`.slice(0, 25),
        firmwareVersion: this.firmwareVersion,
      },
      options.variables,
    );
    this.queue = new TransactionQueue({
      online: () => this.online && this.accepted,
      send: (payload) => this.client.call('TransactionEvent', payload),
      attempts: () => this.deviceModel.integer('OCPPCommCtrlr.MessageAttempts[TransactionEvent]'),
      retryDelayMs: () => this.options.transactionMessageRetryMs ?? this.deviceModel.integer('OCPPCommCtrlr.MessageAttemptInterval[TransactionEvent]') * this.secondMs,
      lost: (payload, err) => {
        this.logger.warn({ err, seqNo: payload.seqNo, eventType: payload.eventType }, 'TransactionEvent not delivered');
        this.emit('transactionEventLost', { payload, error: err });
      },
    });

    this.client = createSimulatorClient({ ...options, identity: options.stationId, protocol: 'ocpp2.0.1' }, this.logger, this);
    this.client.on('open', () => {
      const wasOffline = !this.online;
      this.online = true;
      this.emit('connected');
      // ocpp-rpc's own reconnect (reconnect: true); connect() and reconnect() do this themselves.
      if (wasOffline && this.accepted && !this.connecting) this.tasks.track(this.afterReconnect());
    });
    this.client.on('disconnect', (event: { code?: number; reason?: string }) => {
      this.wentOffline();
      this.emit('disconnected', event);
    });
    this.client.on('close', () => this.wentOffline());
    this.features = new StationFeatures(this.featureHost());
    this.registerHandlers();
  }

  /** Scripted faults of the offline queue (see transaction-queue.ts). */
  get faults(): QueueFaults {
    return this.queue.faults;
  }

  set faults(value: QueueFaults) {
    Object.assign(this.queue.faults, { duplicateNext: undefined, reorderQueue: undefined, dropStarted: undefined }, value);
  }

  get connected(): boolean {
    return this.online;
  }

  get bootAccepted(): boolean {
    return this.accepted;
  }

  // ---- connection -------------------------------------------------------------------------

  /** Opens the connection and sends BootNotification (then StatusNotification per EVSE when Accepted). */
  async connect(): Promise<{ status: BootStatus }> {
    this.closed = false;
    await this.openSocket();
    return this.boot(this.bootReason);
  }

  /** Clean close; unanswered ('ignore') commands are abandoned, queued events rejected. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopTimers();
    this.features.shutdown();
    this.online = false;
    this.accepted = false;
    await this.client.close({ code: 1000, reason: 'Simulator closing' });
    this.queue.abandon(`${this.stationId} closed before its TransactionEvents were delivered`);
    await this.tasks.settled();
  }

  /** Abrupt loss of the socket (no close frame); TransactionEvents queue until reconnect(). */
  dropConnection(): void {
    this.wentOffline();
    void this.client.close({ force: true }).catch(() => undefined);
  }

  /** Reopens the socket (no new boot: the station did not restart), reports changed statuses and flushes the queue in order. */
  async reconnect(): Promise<void> {
    await waitUntilSocketClosed(this.client);
    this.closed = false;
    await this.openSocket();
    if (this.accepted) await this.afterReconnect();
  }

  /** Resolves when the offline queue is empty (every TransactionEvent delivered or given up). */
  async drained(): Promise<void> {
    while (this.queue.busy) {
      if (!this.online) throw new Error(`${this.stationId} is offline with ${this.queue.length} queued TransactionEvents`);
      await delay(10);
    }
  }

  get queuedEvents(): number {
    return this.queue.length;
  }

  private async openSocket(): Promise<void> {
    this.connecting = true;
    try {
      await this.client.connect();
    } finally {
      this.connecting = false;
    }
    this.online = true;
  }

  private wentOffline(): void {
    if (this.online) this.queue.connectionLost();
    this.online = false;
    this.stopHeartbeat();
  }

  private async afterReconnect(): Promise<void> {
    this.startHeartbeat();
    await this.queue.flush();
    for (const e of this.evses.values()) if (e.reported !== e.status) await this.bestEffortStatus(e.id);
  }

  /**
   * Restarts like a real station (Reset, installed firmware): the socket closes, values set with
   * RebootRequired take effect, it reconnects and boots with `reason`; once accepted it reports
   * the reset as security events.
   */
  async reboot(reason: string, techInfo?: string): Promise<void> {
    this.stopTimers();
    this.accepted = false;
    this.online = false;
    this.emit('rebooting', { reason });
    await this.client.close({ code: 1012, reason: 'Rebooting' }).catch(() => undefined);
    this.deviceModel.applyPendingAtBoot();
    this.deviceModel.setInternal('Controller.FirmwareVersion', this.firmwareVersion);
    for (const e of this.evses.values()) {
      e.status = !e.operative || !this.stationOperative ? 'Unavailable' : e.faulted ? 'Faulted' : 'Available';
      e.starting = false;
    }
    this.features.rebooted();
    this.pendingSecurityEvents.push({ type: 'ResetOrReboot', techInfo: techInfo ?? reason }, { type: 'StartupOfTheDevice' });
    this.bootReason = reason;
    if (this.closed) return;
    await waitUntilSocketClosed(this.client);
    await this.connect();
  }

  // ---- boot and heartbeat -------------------------------------------------------------------

  private async boot(reason: string): Promise<{ status: BootStatus }> {
    this.clearBootRetry();
    const answer = (await this.client.call('BootNotification', {
      reason,
      chargingStation: {
        model: this.options.model ?? 'SimStation201',
        vendorName: this.options.vendorName ?? 'Simulator',
        firmwareVersion: this.firmwareVersion,
        serialNumber: `SIM-${this.stationId}`.slice(0, 25),
      },
    })) as { status: BootStatus; interval: number; currentTime: string };
    this.emit('booted', answer);
    this.registration = answer.status;
    if (answer.status === 'Accepted') {
      this.accepted = true;
      this.bootReason = 'PowerUp';
      if (answer.interval > 0) this.deviceModel.setInternal('OCPPCommCtrlr.HeartbeatInterval', String(answer.interval));
      this.startHeartbeat();
      for (const e of this.evses.values()) await this.bestEffortStatus(e.id);
      for (const event of this.pendingSecurityEvents.splice(0)) await this.securityEvent(event.type, event.techInfo).catch(() => undefined);
      this.tasks.track(this.queue.flush());
      this.features.booted();
    } else {
      // B02 / B03: Pending and Rejected boot again after `interval` (Pending also when triggered).
      this.accepted = false;
      const retryS = answer.interval > 0 ? answer.interval : 10;
      this.bootRetryTimer = setTimeout(() => {
        this.bootRetryTimer = undefined;
        if (this.online && !this.accepted) this.tasks.track(this.boot(reason));
      }, retryS * this.secondMs);
    }
    return { status: answer.status };
  }

  private clearBootRetry(): void {
    if (this.bootRetryTimer) clearTimeout(this.bootRetryTimer);
    this.bootRetryTimer = undefined;
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  private startHeartbeat(): void {
    this.stopHeartbeat();
    const intervalS = this.deviceModel.integer('OCPPCommCtrlr.HeartbeatInterval');
    if (!(intervalS > 0)) return;
    this.heartbeatTimer = setInterval(() => {
      if (this.online && this.accepted) this.heartbeat().catch((err) => this.logger.debug({ err }, 'heartbeat failed'));
    }, intervalS * this.secondMs);
    this.heartbeatTimer.unref();
  }

  private stopTimers(): void {
    this.clearBootRetry();
    this.stopHeartbeat();
    this.stopMeterValuesLoop();
    for (const e of this.evses.values()) this.stopSampler(e);
    this.tasks.cancelPending();
  }

  // ---- station → CSMS ---------------------------------------------------------------------

  /** Raw call, for tests (strict mode still validates it); fails at once while disconnected. */
  async call(action: string, payload: object): Promise<unknown> {
    if (!this.online) throw new StationOfflineError(this.stationId, action);
    return this.client.call(action, payload);
  }

  /** Sends a frame as is, without validation (fault injection). */
  sendRaw(frame: string): void {
    this.client.sendRaw(frame);
  }

  async heartbeat(): Promise<{ currentTime: string }> {
    return (await this.call('Heartbeat', {})) as { currentTime: string };
  }

  async authorize(idToken: IdToken): Promise<{ idTokenInfo: IdTokenInfo }> {
    const answer = (await this.call('Authorize', { idToken })) as { idTokenInfo: IdTokenInfo };
    this.remember(idToken, answer.idTokenInfo);
    return answer;
  }

  async statusNotification(evseId: number, connectorStatus: ConnectorStatus): Promise<void> {
    const e = this.evse(evseId);
    this.setStatus(e, connectorStatus);
    await this.call('StatusNotification', { timestamp: new Date().toISOString(), connectorStatus, evseId, connectorId: 1 });
    e.reported = connectorStatus;
  }

  async securityEvent(type: string, techInfo?: string): Promise<void> {
    await this.call('SecurityEventNotification', { type, timestamp: new Date().toISOString(), ...(techInfo ? { techInfo: techInfo.slice(0, 255) } : {}) });
  }

  /** One NotifyEvent (seqNo 0, complete) with the given events (eventId, timestamp filled in). */
  async notifyEvent(events: Array<Record<string, unknown> & { component: object; variable: object; actualValue: string }>): Promise<void> {
    const now = new Date().toISOString();
    await this.call('NotifyEvent', {
      generatedAt: now,
      seqNo: 0,
      tbc: false,
      eventData: events.map((e) => ({ eventId: this.nextEventId++, timestamp: now, trigger: 'Delta', eventNotificationType: 'HardWiredNotification', ...e })),
    });
  }

  /** The connector breaks: StatusNotification Faulted and a NotifyEvent of its AvailabilityState (a transaction on it ends first). */
  async fault(evseId: number): Promise<void> {
    const e = this.evse(evseId);
    if (e.transaction) await this.stopTransaction(evseId, 'Other', 'AbnormalCondition');
    e.faulted = true;
    await this.features.evseLost(evseId);
    await this.bestEffortStatus(evseId, 'Faulted');
    await this.notifyEvent([{ component: { name: 'Connector', evse: { id: evseId, connectorId: 1 } }, variable: { name: 'AvailabilityState' }, actualValue: 'Faulted', techCode: 'SimulatedFault' }]);
  }

  /** The fault is cleared: the connector's status returns and the NotifyEvent says cleared. */
  async clearFault(evseId: number): Promise<void> {
    const e = this.evse(evseId);
    e.faulted = false;
    await this.bestEffortStatus(evseId, this.idleStatus(e));
    await this.notifyEvent([{ component: { name: 'Connector', evse: { id: evseId, connectorId: 1 } }, variable: { name: 'AvailabilityState' }, actualValue: this.idleStatus(e), cleared: true }]);
  }

  // ---- authorization ----------------------------------------------------------------------

  /**
   * C01/C12/C13/C15: decides an id token presented at the station. Online: the local list or
   * cache answers when LocalPreAuthorize allows it, else Authorize. Offline: the local list or
   * cache when LocalAuthorizeOffline, else Accepted only with OfflineTxForUnknownIdEnabled.
   */
  async decide(idToken: IdToken): Promise<IdTokenInfo & { by: 'csms' | 'list' | 'cache' | 'offline' | 'none' }> {
    const listed = this.deviceModel.flag('LocalAuthListCtrlr.Enabled') ? this.localList.lookup(idToken) : undefined;
    const cached = this.deviceModel.flag('AuthCacheCtrlr.Enabled') ? this.authorizationCache.lookup(idToken) : undefined;
    const local = listed ? { ...listed, by: 'list' as const } : cached ? { ...cached, by: 'cache' as const } : undefined;
    if (this.online && this.accepted) {
      if (local && local.status === 'Accepted' && this.deviceModel.flag('AuthCtrlr.LocalPreAuthorize')) return local;
      const { idTokenInfo } = await this.authorize(idToken);
      return { ...idTokenInfo, by: 'csms' };
    }
    if (local && this.deviceModel.flag('AuthCtrlr.LocalAuthorizeOffline')) return local;
    if (this.deviceModel.flag('AuthCtrlr.OfflineTxForUnknownIdEnabled')) return { status: 'Accepted', by: 'offline' };
    return { status: 'Unknown', by: 'none' };
  }

  /** C10: the CSMS's answer goes into the cache, unless the token is in the local list (C14.FR.?: no caching of list entries). */
  private remember(idToken: IdToken, info: IdTokenInfo | undefined): void {
    if (!info || !this.deviceModel.flag('AuthCacheCtrlr.Enabled')) return;
    if (this.deviceModel.flag('LocalAuthListCtrlr.Enabled') && this.localList.lookup(idToken)) return;
    this.authorizationCache.remember(idToken, info, this.deviceModel.integer('AuthCacheCtrlr.LifeTime'));
  }

  /**
   * The driver presents an id token (RFID): authorized as in decide(), it starts a transaction on
   * the EVSE; presented again at the EVSE whose transaction it started, it stops it (E06.FR.?:
   * StopAuthorized, stoppedReason Local).
   */
  async presentIdToken(evseId: number, idToken: string, type = 'ISO14443'): Promise<{ started: boolean; status: string; stopped?: boolean }> {
    const token = { idToken, type };
    const e = this.evse(evseId);
    if (e.transaction) {
      if (e.transaction.idToken && tokenKey(e.transaction.idToken) === tokenKey(token)) {
        await this.stopTransaction(evseId, 'Local', 'StopAuthorized', token);
        return { started: false, stopped: true, status: 'Accepted' };
      }
      return { started: false, status: 'Occupied' };
    }
    if (!e.operative || !this.stationOperative || e.faulted || e.opening || e.starting) return { started: false, status: e.faulted ? 'Faulted' : e.opening || e.starting ? 'Occupied' : 'Unavailable' };
    const reservation = this.features.reservationFor(evseId, token);
    if (reservation === 'other') return { started: false, status: 'Reserved' };
    const info = await this.decide(token);
    if (info.status !== 'Accepted') return { started: false, status: info.status };
    const start = this.startTransaction(evseId, idToken, { type });
    if (this.online) await start;
    else this.tasks.track(start);
    return { started: true, status: info.status };
  }

  // ---- transactions -----------------------------------------------------------------------

  /**
   * Starts a transaction on the EVSE (E01/E02/F01): StatusNotification Occupied, then
   * TransactionEvent Started (seqNo 0, triggerReason RemoteStart with remoteStartId, else
   * Authorized) with the evse, the id token and the Transaction.Begin samples of
   * TxStartedMeasurands. Online it resolves once Started is answered; offline once it is queued.
   */
  async startTransaction(evseId: number, idToken: string, options: { remoteStartId?: number; type?: string } = {}): Promise<{ transactionId: string }> {
    const e = this.evse(evseId);
    if (e.transaction || e.opening) throw new Error(`EVSE ${evseId} already has a transaction`);
    if (!e.operative || !this.stationOperative || e.faulted) throw new Error(`EVSE ${evseId} is ${e.status}`);
    const token = { idToken, type: options.type ?? (options.remoteStartId !== undefined ? 'Central' : 'ISO14443') };
    const reservation = this.features.reservationFor(evseId, token);
    if (reservation === 'other') throw new Error(`EVSE ${evseId} is Reserved for another id token`);
    e.starting = false;
    const reservationId = reservation?.id;
    if (reservation) this.features.reservationUsed(reservation.id);
    const tx: StationTransaction = {
      id: randomUUID(),
      evseId,
      idToken: token,
      remoteStartId: options.remoteStartId,
      reservationId,
      startedAt: new Date().toISOString(),
      seqNo: 0,
      begin: [],
      chargingState: 'Charging',
    };
    tx.begin = this.samples(e, this.deviceModel.list('SampledDataCtrlr.TxEndedMeasurands'), 'Transaction.Begin');
    const beginSamples = this.samples(e, this.startedMeasurands(), 'Transaction.Begin');
    // The transaction becomes visible (meter loop, commands) only with its Started queued, so nothing precedes seqNo 0.
    e.opening = true;
    try {
      await this.bestEffortStatus(evseId, 'Occupied');
    } finally {
      e.opening = false;
    }
    e.transaction = tx;
    e.powerW = this.features.limitPower(evseId, this.demand(e));
    tx.chargingState = e.powerW > 0 ? 'Charging' : 'SuspendedEVSE';
    const started = this.transactionEvent(tx, 'Started', options.remoteStartId !== undefined ? 'RemoteStart' : 'Authorized', {
      evse: { id: evseId, connectorId: 1 },
      idToken: token,
      ...(reservationId !== undefined ? { reservationId } : {}),
      meterValue: [{ timestamp: tx.startedAt, sampledValue: beginSamples }],
      transactionInfo: { ...(options.remoteStartId !== undefined ? { remoteStartId: options.remoteStartId } : {}) },
    });
    this.features.transactionStarted(evseId, tx.id);
    this.startSampler(e);
    this.emit('transactionStarted', { evseId, transactionId: tx.id, idToken: token, remoteStartId: options.remoteStartId, meterStartWh: registerWh(e.energyWs) });
    const deliver = started.then((answer) => this.checkIdTokenInfo(tx, token, answer));
    if (this.online && this.accepted) await deliver;
    else this.tasks.track(deliver);
    return { transactionId: tx.id };
  }

  /** E05: a Started answered with an idTokenInfo other than Accepted ends the transaction (TxCtrlr.StopTxOnInvalidId). */
  private checkIdTokenInfo(tx: StationTransaction, token: IdToken, answer: unknown): void {
    const info = (answer as { idTokenInfo?: IdTokenInfo } | undefined)?.idTokenInfo;
    this.remember(token, info);
    if (!info || info.status === 'Accepted') return;
    const e = this.evses.get(tx.evseId);
    if (e?.transaction !== tx) return;
    this.emit('deauthorized', { evseId: tx.evseId, transactionId: tx.id, status: info.status });
    if (this.deviceModel.flag('TxCtrlr.StopTxOnInvalidId')) this.tasks.track(this.stopTransaction(tx.evseId, 'DeAuthorized', 'Deauthorized'));
  }

  /**
   * Ends the EVSE's transaction (E06/E07/F03): TransactionEvent Ended with stoppedReason, the
   * presenting id token (StopAuthorized), and TxEndedMeasurands sampled at the start
   * (Transaction.Begin) and now (Transaction.End); then the connector is Available again.
   */
  async stopTransaction(evseId: number, stoppedReason = 'Local', triggerReason = 'StopAuthorized', idToken?: IdToken): Promise<void> {
    const e = this.evse(evseId);
    const tx = e.transaction;
    if (!tx) throw new Error(`EVSE ${evseId} has no transaction`);
    e.transaction = undefined;
    this.stopSampler(e);
    const now = new Date().toISOString();
    const end = this.samples(e, this.deviceModel.list('SampledDataCtrlr.TxEndedMeasurands'), 'Transaction.End');
    const meterValue = [
      ...(tx.begin.length > 0 ? [{ timestamp: tx.startedAt, sampledValue: tx.begin }] : []),
      { timestamp: now, sampledValue: end.length > 0 ? end : this.samples(e, ['Energy.Active.Import.Register'], 'Transaction.End') },
    ];
    e.powerW = 0;
    e.demandW = undefined;
    const ended = this.transactionEvent(tx, 'Ended', triggerReason, {
      ...(triggerReason === 'StopAuthorized' ? { idToken: idToken ?? tx.idToken } : {}),
      meterValue,
      transactionInfo: { chargingState: stoppedReason === 'EVDisconnected' ? 'Idle' : 'EVConnected', stoppedReason },
    });
    this.features.transactionEnded(evseId);
    this.emit('transactionEnded', { evseId, transactionId: tx.id, stoppedReason, meterStopWh: registerWh(e.energyWs) });
    if (this.online && this.accepted) await ended;
    else this.tasks.track(ended);
    // The driver unplugs; a change Scheduled while charging takes effect now.
    if (e.scheduledOperative !== undefined) {
      e.operative = e.scheduledOperative;
      e.scheduledOperative = undefined;
    }
    await this.bestEffortStatus(evseId, this.idleStatus(e));
    await this.resetIfScheduled();
  }

  /** One TransactionEvent Updated (Sample.Periodic) with the TxUpdatedMeasurands. */
  async sendMeterValues(evseId: number, triggerReason = 'MeterValuePeriodic', context = 'Sample.Periodic'): Promise<void> {
    const e = this.evse(evseId);
    const tx = e.transaction;
    if (!tx) {
      const measurands = this.deviceModel.list('AlignedDataCtrlr.Measurands');
      await this.call('MeterValues', { evseId, meterValue: [{ timestamp: new Date().toISOString(), sampledValue: this.samples(e, measurands.length > 0 ? measurands : ['Energy.Active.Import.Register'], context) }] });
      return;
    }
    const measurands = this.deviceModel.list('SampledDataCtrlr.TxUpdatedMeasurands');
    const sampledValue = this.samples(e, measurands.length > 0 ? measurands : ['Energy.Active.Import.Register'], context);
    const timestamp = new Date().toISOString();
    this.emit('meterValues', { evseId, transactionId: tx.id, timestamp, sampledValue });
    const sent = this.transactionEvent(tx, 'Updated', triggerReason, { meterValue: [{ timestamp, sampledValue }], transactionInfo: {} });
    if (this.online && this.accepted) await sent;
    else this.tasks.track(sent);
  }

  /** Builds and queues the transaction's next event (seqNo, offline flag) now, so its content is what the station saw at that moment. */
  private transactionEvent(tx: StationTransaction, eventType: 'Started' | 'Updated' | 'Ended', triggerReason: string, extra: { transactionInfo: Record<string, unknown>; [key: string]: unknown }): Promise<unknown> {
    const { transactionInfo, ...rest } = extra;
    const payload: Record<string, unknown> = {
      eventType,
      timestamp: new Date().toISOString(),
      triggerReason,
      seqNo: tx.seqNo++,
      // Offline = no connection; an event held only because the boot is not yet Accepted is not offline.
      ...(this.online ? {} : { offline: true }),
      transactionInfo: { transactionId: tx.id, chargingState: tx.chargingState, ...transactionInfo },
      ...rest,
    };
    return this.queue.push(payload);
  }

  private startedMeasurands(): string[] {
    const list = this.deviceModel.list('SampledDataCtrlr.TxStartedMeasurands');
    return list.length > 0 ? list : ['Energy.Active.Import.Register'];
  }

  private samples(e: Evse, measurands: string[], context: string): SampledValue[] {
    const state: MeterState = { energyWs: e.energyWs, powerW: e.powerW, socPercent: this.socOf(e), offeredW: this.features.offeredW(e.id) };
    // SoC only from an EV that reports it.
    const allowed = new Set(samplableMeasurands(this.options.supportsSoc !== false));
    return sample(state, measurands.filter((m) => allowed.has(m)), context, this.wiring);
  }

  /** What the EV draws without a limit. */
  private demand(e: Evse): number {
    return e.demandW ?? this.options.defaultPowerW ?? 11_000;
  }

  get wiring(): { phases: number; voltageV: number } {
    return { phases: 3, voltageV: 230 };
  }

  // ---- meter --------------------------------------------------------------------------------

  setMeterRegister(evseId: number, wh: number): void {
    this.evse(evseId).energyWs = new Big(wh).times(3600);
  }

  setSoc(evseId: number, percent: number): void {
    this.evse(evseId).batteryWs = this.capacityWs.times(percent).div(100);
  }

  /** Overrides what the EVSE draws while charging (charging profiles still cap it). */
  setPower(evseId: number, watts: number): void {
    const e = this.evse(evseId);
    e.demandW = watts;
    if (e.transaction) e.powerW = this.features.limitPower(evseId, watts);
  }

  /** Charges for `seconds`: register += power × seconds exactly; SoC rises with the energy over the battery size, up to 100 %. */
  advance(evseId: number, seconds: number): void {
    const e = this.evse(evseId);
    if (!e.transaction || e.powerW <= 0) return;
    let added = new Big(e.powerW).times(seconds);
    const room = this.capacityWs.minus(e.batteryWs);
    if (added.gt(room)) added = room.gt(0) ? room : new Big(0);
    e.energyWs = e.energyWs.plus(added);
    e.batteryWs = e.batteryWs.plus(added);
    // A full battery: the EV stops drawing (SuspendedEV).
    if (e.batteryWs.gte(this.capacityWs)) {
      e.powerW = 0;
      this.chargingStateChanged(e, 'SuspendedEV');
    }
  }

  /** E?: a change of the transaction's chargingState is reported at once (Updated, triggerReason ChargingStateChanged). */
  private chargingStateChanged(e: Evse, state: StationTransaction['chargingState']): void {
    const tx = e.transaction;
    if (!tx || tx.chargingState === state) return;
    tx.chargingState = state;
    this.tasks.track(this.transactionEvent(tx, 'Updated', 'ChargingStateChanged', { transactionInfo: {} }));
  }

  private get capacityWs(): Big {
    return new Big(this.options.batteryCapacityWh ?? 60_000).times(3600);
  }

  private socOf(e: Evse): number {
    return Math.min(100, e.batteryWs.times(100).div(this.capacityWs).toNumber());
  }

  meterRegisterWh(evseId: number): Big {
    return this.evse(evseId).energyWs.div(3600);
  }

  soc(evseId: number): number {
    return this.socOf(this.evse(evseId));
  }

  power(evseId: number): number {
    return this.evse(evseId).powerW;
  }

  /** Every `tickMs` each charging EVSE gains power × `intervalS` (simulated seconds) and sends one Updated. */
  startMeterValuesLoop(intervalS: number, tickMs = intervalS * 1000): void {
    this.stopMeterValuesLoop();
    this.meterLoop = setInterval(() => {
      for (const e of this.evses.values()) {
        if (!e.transaction) continue;
        this.advance(e.id, intervalS);
        this.tasks.track(this.sendMeterValues(e.id));
      }
    }, tickMs);
  }

  stopMeterValuesLoop(): void {
    if (this.meterLoop) clearInterval(this.meterLoop);
    this.meterLoop = undefined;
  }

  /** autoMeterValues: an Updated every SampledDataCtrlr.TxUpdatedInterval while the transaction runs. */
  private startSampler(e: Evse): void {
    this.stopSampler(e);
    const intervalS = this.deviceModel.integer('SampledDataCtrlr.TxUpdatedInterval');
    if (!this.options.autoMeterValues || !(intervalS > 0) || !e.transaction) return;
    const tx = e.transaction;
    e.sampler = setInterval(() => {
      if (e.transaction !== tx) return this.stopSampler(e);
      this.advance(e.id, intervalS);
      this.tasks.track(this.sendMeterValues(e.id));
    }, intervalS * this.secondMs);
  }

  private stopSampler(e: Evse): void {
    if (e.sampler) clearInterval(e.sampler);
    e.sampler = undefined;
  }

  // ---- state --------------------------------------------------------------------------------

  transactionId(evseId: number): string | undefined {
    return this.evse(evseId).transaction?.id;
  }

  transaction(evseId: number): Readonly<StationTransaction> | undefined {
    return this.evse(evseId).transaction;
  }

  status(evseId: number): string {
    return this.evse(evseId).status;
  }

  operative(evseId = 0): boolean {
    return evseId === 0 ? this.stationOperative : this.evse(evseId).operative;
  }

  variable(name: string): string | undefined {
    return this.deviceModel.get(name);
  }

  get evseIds(): number[] {
    return [...this.evses.keys()];
  }

  /** Resolves with the event's first argument when `event` is emitted (and `match` accepts it). */
  waitFor<T = any>(event: string, match: (value: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
    return waitForEvent(this, this.stationId, event, match, timeoutMs);
  }

  private evse(evseId: number): Evse {
    const e = this.evses.get(evseId);
    if (!e) throw new Error(`${this.stationId} has no EVSE ${evseId}`);
    return e;
  }

  /** The status of a connector without a transaction. */
  private idleStatus(e: Evse): ConnectorStatus {
    if (e.faulted) return 'Faulted';
    if (!e.operative || !this.stationOperative) return 'Unavailable';
    if (this.features.reservedEvse(e.id)) return 'Reserved';
    return 'Available';
  }

  private setStatus(e: Evse, status: ConnectorStatus): void {
    e.status = status;
    this.deviceModel.setInternal('EVSE.AvailabilityState', status, e.id);
    this.deviceModel.setInternal('Connector.AvailabilityState', status, e.id);
  }

  /** Reports the EVSE's status (given, or its current one); a failure (offline) is only logged, the status is kept for the reconnect. */
  private async bestEffortStatus(evseId: number, status?: ConnectorStatus): Promise<void> {
    const e = this.evse(evseId);
    if (status) this.setStatus(e, status);
    if (!this.online || !this.accepted) return;
    try {
      await this.statusNotification(evseId, e.status);
    } catch (err) {
      this.logger.debug({ err, evseId }, 'StatusNotification not sent');
    }
  }

  private get secondMs(): number {
    return this.options.secondMs ?? 1000;
  }

  private get idle(): boolean {
    return [...this.evses.values()].every((e) => !e.transaction);
  }

  // ---- CSMS → station ---------------------------------------------------------------------

  /** Registers a command handler behind the scripted behaviours; later registrations (features) add commands. */
  handle(action: string, handler: CommandHandler): void {
    this.client.handle(action, async ({ params = {}, signal }: HandlerArgs): Promise<Record<string, any>> => {
      this.received.push({ action, payload: params });
      this.emit('request', { action, payload: params });
      // B03.FR.?: while Rejected the station does not respond to CSMS-initiated messages.
      if (this.registration === 'Rejected') return NOREPLY as unknown as Record<string, any>;
      const behaviour = this.commandBehaviour[action] ?? 'accept';
      this.logger.debug({ action, params, behaviour }, 'request from CSMS');
      if (behaviour === 'ignore') {
        // Never answered; settles without a reply when the connection closes.
        return new Promise<Record<string, any>>((resolve) => {
          if (signal?.aborted) resolve(NOREPLY);
          signal?.addEventListener('abort', () => resolve(NOREPLY), { once: true });
        });
      }
      if (behaviour === 'callerror') throw createRPCError('InternalError', `simulated failure of ${action}`);
      if (behaviour === 'reject') return rejectedAnswer(action, params) as Record<string, any>;
      return (await handler(params)) as Record<string, any>;
    });
  }

  private registerHandlers(): void {
    // Requests the station does not implement are recorded too, then answered NotImplemented.
    this.client.handle(({ method, params }: { method?: string; params?: unknown }): Promise<Record<string, any>> => {
      this.received.push({ action: String(method), payload: params });
      this.emit('request', { action: String(method), payload: params });
      if (this.registration === 'Rejected') return Promise.resolve(NOREPLY as unknown as Record<string, any>);
      return Promise.reject(createRPCError('NotImplemented', `${method} is not implemented by this station`));
    });
    this.handle('RequestStartTransaction', (p) => this.onRequestStart(p));
    this.handle('RequestStopTransaction', (p) => this.onRequestStop(p));
    registerDeviceModelCommands({
      deviceModel: this.deviceModel,
      handle: (action, handler) => this.handle(action, handler),
      later: (ms, task) => this.tasks.later(ms, task),
      call: (action, payload) => this.call(action, payload),
      variableChanged: (key) => this.variableChanged(key),
    });
    // E14: whether the transaction runs and whether its events still wait in the queue.
    this.handle('GetTransactionStatus', (p) => ({
      ...(p.transactionId !== undefined ? { ongoingIndicator: [...this.evses.values()].some((e) => e.transaction?.id === p.transactionId) } : {}),
      messagesInQueue: this.queue.holds(p.transactionId),
    }));
    // I02/I03: the running cost of a transaction, shown to the driver.
    this.handle('CostUpdated', (p) => {
      this.emit('costUpdated', { transactionId: p.transactionId, totalCost: p.totalCost });
      return {};
    });
    this.handle('Reset', (p) => this.onReset(p));
    this.handle('UnlockConnector', (p) => this.onUnlock(p));
    this.handle('ChangeAvailability', (p) => this.onChangeAvailability(p));
    this.handle('TriggerMessage', (p) => this.onTriggerMessage(p));
    this.handle('ClearCache', () => {
      // C11.FR.04: a disabled cache cannot be cleared.
      if (!this.deviceModel.flag('AuthCacheCtrlr.Enabled')) return { status: 'Rejected' };
      this.authorizationCache.clear();
      return { status: 'Accepted' };
    });
    this.handle('DataTransfer', (p) => (this.options.dataTransfer ? this.options.dataTransfer(p as any) : { status: 'UnknownVendorId' }));
  }

  /** F01/F02: picks the EVSE (given, else a free one), answers, then starts after the plug-in delay. */
  private onRequestStart(p: Record<string, any>): unknown {
    const token = p.idToken as IdToken;
    const free = (e: Evse) => !e.transaction && !e.starting && !e.opening && e.operative && this.stationOperative && !e.faulted && this.features.reservationFor(e.id, token) !== 'other';
    let e: Evse | undefined;
    if (p.evseId !== undefined) {
      e = this.evses.get(Number(p.evseId));
      if (!e || !free(e)) return { status: 'Rejected' };
    } else {
      e = [...this.evses.values()].find(free);
      if (!e) return { status: 'Rejected' };
    }
    // F01.FR.?: a charging profile given with the request must be a TxProfile.
    if (p.chargingProfile && (p.chargingProfile.chargingProfilePurpose !== 'TxProfile' || !this.features.acceptsRemoteStartProfile(p.chargingProfile, e.id))) return { status: 'Rejected' };
    const evse = e;
    evse.starting = true;
    this.emit('remoteStart', { evseId: evse.id, idToken: token, remoteStartId: p.remoteStartId });
    this.tasks.later(0, async () => {
      try {
        // F01.FR.02: with AuthorizeRemoteStart the id token is authorized first.
        if (this.deviceModel.flag('AuthCtrlr.AuthorizeRemoteStart')) {
          const info = await this.decide(token);
          if (info.status !== 'Accepted') {
            evse.starting = false;
            this.emit('remoteStartNotAuthorized', { evseId: evse.id, status: info.status });
            return;
          }
        }
        await delay(this.options.plugDelayMs ?? 0);
        if (!evse.starting || this.closed) return;
        await this.startTransaction(evse.id, token.idToken, { remoteStartId: Number(p.remoteStartId), type: token.type });
        if (p.chargingProfile) this.features.installRemoteStartProfile(evse.id, p.chargingProfile);
      } finally {
        evse.starting = false;
      }
    });
    return { status: 'Accepted' };
  }

  /** F03: an ongoing transaction with that id ends with triggerReason RemoteStop, stoppedReason Remote. */
  private onRequestStop(p: Record<string, any>): unknown {
    const e = [...this.evses.values()].find((x) => x.transaction?.id === p.transactionId);
    if (!e) return { status: 'Rejected' };
    this.emit('remoteStop', { evseId: e.id, transactionId: p.transactionId });
    this.tasks.later(0, () => this.stopTransaction(e.id, 'Remote', 'RemoteStop'));
    return { status: 'Accepted' };
  }

  /** A changed variable takes effect at once. */
  private variableChanged(key: string): void {
    this.emit('variableChanged', { key, value: this.deviceModel.get(key) });
    if (key === 'OCPPCommCtrlr.HeartbeatInterval' && this.accepted) this.startHeartbeat();
    if (key === 'SampledDataCtrlr.TxUpdatedInterval') for (const e of this.evses.values()) if (e.transaction) this.startSampler(e);
  }

  /**
   * B11/B12: Immediate ends the transactions (stoppedReason ImmediateReset, triggerReason
   * ResetCommand) and reboots; OnIdle waits for them (Scheduled). With evseId only that EVSE resets.
   */
  private onReset(p: Record<string, any>): unknown {
    const evseId = p.evseId as number | undefined;
    if (evseId !== undefined && evseId !== 0 && !this.evses.has(evseId)) return { status: 'Rejected' };
    const targets = evseId ? [this.evse(evseId)] : [...this.evses.values()];
    const busy = targets.some((e) => e.transaction);
    this.emit('reset', { type: p.type, evseId });
    if (p.type === 'OnIdle' && busy) {
      this.scheduledReset = { evseId: evseId || undefined };
      return { status: 'Scheduled' };
    }
    this.tasks.later(0, async () => {
      for (const e of targets) if (e.transaction) await this.stopTransaction(e.id, 'ImmediateReset', 'ResetCommand');
      await this.performReset(evseId || undefined, p.type);
    });
    return { status: 'Accepted' };
  }

  private async performReset(evseId: number | undefined, type: string): Promise<void> {
    if (evseId === undefined) return this.reboot('RemoteReset', `Reset ${type} requested by the CSMS`);
    // An EVSE reset: it goes Unavailable and comes back.
    const e = this.evse(evseId);
    await this.bestEffortStatus(evseId, 'Unavailable');
    await delay(10);
    await this.bestEffortStatus(evseId, this.idleStatus(e));
  }

  private async resetIfScheduled(): Promise<void> {
    const scheduled = this.scheduledReset;
    if (!scheduled) return;
    const targets = scheduled.evseId ? [this.evse(scheduled.evseId)] : [...this.evses.values()];
    if (targets.some((e) => e.transaction)) return;
    this.scheduledReset = undefined;
    this.tasks.later(0, () => this.performReset(scheduled.evseId, 'OnIdle'));
  }

  /** F05: only connector 1 of an existing EVSE; an authorized transaction keeps it locked. */
  private onUnlock(p: Record<string, any>): unknown {
    const e = this.evses.get(Number(p.evseId));
    if (!e || p.connectorId !== 1) return { status: 'UnknownConnector' };
    if (e.transaction?.idToken) return { status: 'OngoingAuthorizedTransaction' };
    this.emit('unlocked', { evseId: e.id });
    return { status: 'Unlocked' };
  }

  /** G03/G04: an EVSE (or the station) becomes Operative/Inoperative; with a transaction running the change is Scheduled. */
  private onChangeAvailability(p: Record<string, any>): unknown {
    const operative = p.operationalStatus === 'Operative';
    const evseId = p.evse?.id as number | undefined;
    if (evseId !== undefined && evseId !== 0 && (!this.evses.has(evseId) || (p.evse.connectorId !== undefined && p.evse.connectorId !== 1))) return { status: 'Rejected' };
    const targets = evseId ? [this.evse(evseId)] : [...this.evses.values()];
    if (!evseId) this.stationOperative = operative || targets.some((e) => e.transaction) ? this.stationOperative : operative;
    let scheduled = false;
    for (const e of targets) {
      if (e.transaction && !operative) {
        e.scheduledOperative = false;
        scheduled = true;
        continue;
      }
      e.operative = operative;
      e.scheduledOperative = undefined;
    }
    if (!evseId && operative) this.stationOperative = true;
    if (!evseId && !operative && !scheduled) this.stationOperative = false;
    this.deviceModel.setInternal('ChargingStation.AvailabilityState', this.stationOperative ? 'Available' : 'Unavailable');
    this.tasks.later(0, async () => {
      for (const e of targets) {
        if (e.transaction) continue;
        if (!operative) await this.features.evseLost(e.id);
        if (e.status !== this.idleStatus(e)) await this.bestEffortStatus(e.id, this.idleStatus(e));
      }
    });
    return { status: scheduled ? 'Scheduled' : 'Accepted' };
  }

  /** F06: the requested message is sent after the answer. */
  private onTriggerMessage(p: Record<string, any>): unknown {
    const evseId = p.evse?.id as number | undefined;
    if (evseId !== undefined && evseId !== 0 && !this.evses.has(evseId)) return { status: 'Rejected' };
    const targets = evseId ? [this.evse(evseId)] : [...this.evses.values()];
    switch (p.requestedMessage) {
      case 'BootNotification':
        // F06.FR.17: not after the boot was accepted.
        if (this.accepted) return { status: 'Rejected' };
        this.tasks.later(0, () => this.boot('Triggered'));
        return { status: 'Accepted' };
      case 'Heartbeat':
        this.tasks.later(0, () => this.heartbeat());
        return { status: 'Accepted' };
      case 'StatusNotification':
        this.tasks.later(0, async () => {
          for (const e of targets) await this.statusNotification(e.id, e.status);
        });
        return { status: 'Accepted' };
      case 'MeterValues':
        this.tasks.later(0, async () => {
          for (const e of targets) {
            const measurands = this.deviceModel.list('AlignedDataCtrlr.Measurands');
            await this.call('MeterValues', { evseId: e.id, meterValue: [{ timestamp: new Date().toISOString(), sampledValue: this.samples(e, measurands.length > 0 ? measurands : ['Energy.Active.Import.Register'], 'Trigger') }] });
          }
        });
        return { status: 'Accepted' };
      case 'TransactionEvent': {
        const charging = targets.filter((e) => e.transaction);
        if (charging.length === 0) return { status: 'Rejected' };
        this.tasks.later(0, async () => {
          for (const e of charging) await this.sendMeterValues(e.id, 'Trigger', 'Trigger');
        });
        return { status: 'Accepted' };
      }
      case 'FirmwareStatusNotification':
      case 'LogStatusNotification':
        this.tasks.later(0, () => this.features.triggered(p.requestedMessage));
        return { status: 'Accepted' };
      default:
        return { status: 'NotImplemented' };
    }
  }

  /** What the feature modules (reservations, local list, smart charging, firmware, logs) need from the station. */
  private featureHost(): StationHost {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const station = this;
    return {
      get deviceModel() {
        return station.deviceModel;
      },
      get secondMs() {
        return station.secondMs;
      },
      logger: this.logger,
      localList: this.localList,
      evseIds: () => [...this.evses.keys()],
      evseState: (id: number) => {
        const e = this.evse(id);
        return { status: e.status, operative: e.operative && this.stationOperative, faulted: e.faulted, busy: !!e.transaction || e.starting || !!e.opening, transactionId: e.transaction?.id, startedAt: e.transaction?.startedAt };
      },
      reportStatus: (id: number) => this.bestEffortStatus(id, this.evse(id).transaction ? 'Occupied' : this.idleStatus(this.evse(id))),
      notify: (action: string, payload: object) => notifyIfOnline(this.client, this.online, this.logger, action, payload),
      handle: (action: string, handler: CommandHandler) => this.handle(action, handler),
      later: (ms: number, task: () => Promise<unknown>) => this.tasks.later(ms, task),
      emit: (event: string, value: unknown) => this.emit(event, value),
      powerLimitsChanged: () => {
        for (const e of this.evses.values()) {
          if (!e.transaction || this.socOf(e) >= 100) continue;
          e.powerW = this.features.limitPower(e.id, this.demand(e));
          // A limit of 0 suspends charging on the station's side; a higher one resumes it.
          this.chargingStateChanged(e, e.powerW > 0 ? 'Charging' : 'SuspendedEVSE');
        }
      },
      whenIdle: async () => {
        while (!this.idle && !this.closed) await delay(20);
      },
      reboot: (reason: string, techInfo?: string) => this.reboot(reason, techInfo),
      setFirmwareVersion: (version: string) => {
        this.firmwareVersion = version;
      },
      securityEvent: (type: string, techInfo?: string) => this.securityEvent(type, techInfo).catch(() => undefined),
      logLines: () => [
        `firmwareVersion=${this.firmwareVersion}`,
        ...[...this.evses.values()].map((e) => `evse ${e.id}: ${e.status}${e.transaction ? ` transaction ${e.transaction.id}` : ''}`),
        ...this.received.slice(-50).map((r) => `request ${r.action}`),
      ],
      options: this.options,
    };
  }
}
