/**
 * A simulated OCPP 1.6-J charge point: a real client over WebSocket (ocpp-rpc's RPCClient, strict
 * schema validation of its own frames, `ocpp1.6` subprotocol, HTTP Basic auth). It is written
 * independently of the gateway's protocol code so tests do not check the server against itself.
 *
 * Offline behaviour follows OCPP 1.6 §4.x: transaction-related messages (StartTransaction,
 * MeterValues of a transaction, StopTransaction) are queued while disconnected and delivered in
 * order after reconnecting; anything else fails at once.
 */
import { EventEmitter, once } from 'node:events';
import Big from 'big.js';
import pino from 'pino';
import { RPCClient, createRPCError, NOREPLY } from 'ocpp-rpc';
import type { Logger } from '../logger';

export interface SimulatedChargePointOptions {
  /** Gateway base URL, e.g. ws://127.0.0.1:9000/ocpp (the charge point id is appended). */
  url: string;
  chargePointId: string;
  /** HTTP Basic password (security profile 1). */
  password?: string;
  connectors?: number;
  /** Initial energy register of every connector, Wh. */
  meterStartWh?: number;
  socStartPercent?: number;
  vendor?: string;
  model?: string;
  /** After an accepted RemoteStart, wait this long (the driver plugs in), then start the transaction. */
  plugDelayMs?: number;
  /** false → a ChangeConfiguration adding SoC to MeterValuesSampledData answers NotSupported. */
  supportsSoc?: boolean;
  /** Let ocpp-rpc reconnect by itself after the socket is lost (queued messages flush on reopen). */
  reconnect?: boolean;
  logger?: Logger;
  /** How long to wait for the CSMS to answer one call (default 30 s). */
  callTimeoutMs?: number;
  /** Delivery attempts of one transaction message answered with a CALLERROR or not answered (default 3). */
  transactionMessageAttempts?: number;
  /** Wait between those attempts (default 500 ms). */
  transactionMessageRetryMs?: number;
  /** Battery size used for the SoC curve (default 60 kWh). */
  batteryCapacityWh?: number;
  /** Power a connector draws when a transaction starts (default 11 kW). */
  defaultPowerW?: number;
}

export type CommandBehaviour = 'accept' | 'reject' | 'ignore' | 'callerror' | 'reboot_required' | 'not_supported';

export type CommandAction =
  | 'RemoteStartTransaction'
  | 'RemoteStopTransaction'
  | 'GetConfiguration'
  | 'ChangeConfiguration'
  | 'TriggerMessage'
  | 'Reset'
  | 'UnlockConnector'
  | 'ChangeAvailability'
  | 'ClearCache';

export interface IdTagInfo {
  status: string;
  expiryDate?: string;
  parentIdTag?: string;
}

/** The measurands this charger can sample, with their unit and location. */
export const supportedMeasurands: Record<string, { unit: string; location: string }> = {
  'Energy.Active.Import.Register': { unit: 'Wh', location: 'Outlet' },
  'Power.Active.Import': { unit: 'W', location: 'Outlet' },
  'Current.Import': { unit: 'A', location: 'Outlet' },
  'Current.Offered': { unit: 'A', location: 'Outlet' },
  Voltage: { unit: 'V', location: 'Outlet' },
  SoC: { unit: 'Percent', location: 'EV' },
};

const VOLTAGE = 230;
const PHASES = 3;
const MAX_CURRENT_A = 32;
/** Keys the CSMS may read but not change. */
const READONLY_KEYS = new Set(['NumberOfConnectors', 'SupportedFeatureProfiles', 'MeterValuesSampledDataMaxLength', 'ChargeProfileMaxStackLevel']);
/** Keys whose value must be a non-negative integer. */
const INTEGER_KEYS = new Set(['HeartbeatInterval', 'MeterValueSampleInterval', 'ClockAlignedDataInterval', 'ConnectionTimeOut', 'ResetRetries', 'TransactionMessageAttempts', 'TransactionMessageRetryInterval']);

/** Raised when a message that is not transaction-related is attempted while disconnected. */
export class ChargePointOfflineError extends Error {
  constructor(chargePointId: string, action: string) {
    super(`${chargePointId} is not connected: ${action} not sent`);
    this.name = 'ChargePointOfflineError';
  }
}

/** A transaction as the charger knows it; `id` is unknown until the CSMS answers StartTransaction. */
interface LocalTransaction {
  connectorId: number;
  idTag: string;
  id?: number;
  meterStartWh: number;
  startedAt: string;
  /** Settles when the CSMS has answered StartTransaction. */
  started: Promise<{ transactionId: number; idTagInfo: IdTagInfo }>;
}

interface Connector {
  id: number;
  /** Energy register in watt-seconds (exact decimal, so register += power × time is exact). */
  energyWs: Big;
  socPercent: number;
  powerW: number;
  status: string;
  /** Reserved by an accepted RemoteStart that has not started its transaction yet. */
  starting: boolean;
  transaction?: LocalTransaction;
}

interface QueuedMessage {
  action: string;
  /** Built at delivery time: a transaction started offline gets its real id before later messages go out. */
  payload: () => Record<string, unknown>;
  /** Runs synchronously on delivery, before the next queued message is built. */
  delivered?: (answer: unknown) => void;
  attempts: number;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

type HandlerArgs = { params?: Record<string, any>; signal?: AbortSignal };

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Parses a comma-separated measurand list (empty entries ignored). */
function measurandList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((m) => m.trim())
    .filter((m) => m.length > 0);
}

/** A number as an OCPP value string with at most `dp` decimals (rounded down, so a register never over-reports). */
function decimalString(value: Big, dp: number): string {
  return value.round(dp, Big.roundDown).toString();
}

export class SimulatedChargePoint extends EventEmitter {
  behaviour: Partial<Record<CommandAction, CommandBehaviour>> = {};
  /** Wait before answering a command (a slow charger); applies with every behaviour except 'ignore'. */
  replyDelayMs: Partial<Record<CommandAction, number>> = {};
  configuration: Map<string, string>;

  readonly chargePointId: string;
  private readonly options: SimulatedChargePointOptions;
  private readonly logger: Logger;
  private readonly client: RPCClient;
  private readonly connectors = new Map<number, Connector>();
  private readonly queue: QueuedMessage[] = [];
  private flushing = false;
  private online = false;
  private closed = false;
  private heartbeatTimer?: NodeJS.Timeout;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly background = new Set<Promise<unknown>>();
  private meterLoop?: NodeJS.Timeout;

  constructor(options: SimulatedChargePointOptions) {
    super();
    this.options = options;
    this.chargePointId = options.chargePointId;
    this.logger = (options.logger ?? pino({ level: 'silent' })).child({ chargePointId: options.chargePointId });
    const count = options.connectors ?? 1;
    for (let id = 1; id <= count; id++) {
      this.connectors.set(id, {
        id,
        energyWs: new Big(options.meterStartWh ?? 0).times(3600),
        socPercent: options.socStartPercent ?? 20,
        powerW: 0,
        status: 'Available',
        starting: false,
      });
    }
    this.configuration = new Map([
      ['HeartbeatInterval', '300'],
      ['MeterValuesSampledData', 'Energy.Active.Import.Register'],
      ['MeterValuesSampledDataMaxLength', '4'],
      ['MeterValueSampleInterval', '60'],
      ['ClockAlignedDataInterval', '0'],
      ['ConnectionTimeOut', '60'],
      ['NumberOfConnectors', String(count)],
      ['SupportedFeatureProfiles', 'Core,RemoteTrigger'],
      ['AuthorizeRemoteTxRequests', 'false'],
      ['StopTransactionOnInvalidId', 'true'],
      ['TransactionMessageAttempts', String(options.transactionMessageAttempts ?? 3)],
      ['TransactionMessageRetryInterval', String(Math.ceil((options.transactionMessageRetryMs ?? 500) / 1000))],
    ]);

    // ocpp-rpc's typings declare every option as required; it fills in defaults itself.
    const clientOptions = {
      endpoint: options.url.replace(/\/+$/, ''),
      identity: options.chargePointId,
      protocols: ['ocpp1.6'],
      strictMode: true,
      password: options.password ?? null,
      reconnect: options.reconnect ?? false,
      callTimeoutMs: options.callTimeoutMs ?? 30_000,
      backoff: { initialDelay: 200, maxDelay: 5000, factor: 2, randomisationFactor: 0.2 },
    };
    this.client = new RPCClient(clientOptions as unknown as ConstructorParameters<typeof RPCClient>[0]);
    this.client.on('open', () => {
      this.online = true;
      this.emit('connected');
      void this.flush();
    });
    this.client.on('disconnect', (event: { code?: number; reason?: string }) => {
      this.online = false;
      this.emit('disconnected', event);
    });
    this.client.on('close', () => {
      this.online = false;
    });
    this.client.on('strictValidationFailure', (event: { method: string; error: Error; outbound: boolean }) => {
      this.logger.warn({ method: event.method, outbound: event.outbound, err: event.error }, 'OCPP schema validation failed');
      this.emit('strictValidationFailure', event);
    });
    this.registerHandlers();
  }

  get connected(): boolean {
    return this.online;
  }

  /** Opens the connection, sends BootNotification and (when accepted) StatusNotification Available per connector. */
  async connect(): Promise<{ status: 'Accepted' | 'Pending' | 'Rejected' }> {
    this.closed = false;
    await this.client.connect();
    this.online = true;
    return this.boot();
  }

  /** Clean close (WebSocket close frame); unanswered ('ignore') commands are abandoned. */
  async close(): Promise<void> {
    this.closed = true;
    this.stopTimers();
    this.online = false;
    await this.client.close({ code: 1000, reason: 'Simulator closing' });
    for (const m of this.queue.splice(0)) m.reject(new Error(`${this.chargePointId} closed before ${m.action} was delivered`));
    await Promise.allSettled([...this.background]);
  }

  /** Abrupt loss of the socket (no close frame); transaction messages queue until reconnect(). */
  dropConnection(): void {
    this.online = false;
    this.stopHeartbeat();
    void this.client.close({ force: true }).catch(() => undefined);
  }

  /** Reopens the socket (no new boot: the charger did not restart) and flushes queued transaction messages in order. */
  async reconnect(): Promise<void> {
    await this.waitUntilSocketClosed();
    this.closed = false;
    await this.client.connect();
    this.online = true;
    this.startHeartbeat(Number(this.configuration.get('HeartbeatInterval')));
    await this.flush();
  }

  /** Resolves when every queued transaction message has been delivered (or given up). */
  async drained(): Promise<void> {
    while (this.queue.length > 0 || this.flushing) {
      if (!this.online) throw new Error(`${this.chargePointId} is offline with ${this.queue.length} queued messages`);
      await delay(10);
    }
  }

  /** Number of transaction messages waiting for the connection. */
  get queuedMessages(): number {
    return this.queue.length;
  }

  setMeterRegister(connectorId: number, wh: number): void {
    this.connector(connectorId).energyWs = new Big(wh).times(3600);
  }

  setSoc(connectorId: number, percent: number): void {
    this.connector(connectorId).socPercent = percent;
  }

  setPower(connectorId: number, watts: number): void {
    this.connector(connectorId).powerW = watts;
  }

  /** The energy register, Wh, exact. */
  meterRegisterWh(connectorId: number): Big {
    return this.connector(connectorId).energyWs.div(3600);
  }

  soc(connectorId: number): number {
    return this.connector(connectorId).socPercent;
  }

  power(connectorId: number): number {
    return this.connector(connectorId).powerW;
  }

  status(connectorId: number): string {
    return this.connector(connectorId).status;
  }

  /**
   * Charges for `seconds` at the connector's power: register += power × seconds exactly; SoC rises
   * with the energy over the battery size and stops at 100 % (the EV then draws nothing).
   */
  advance(connectorId: number, seconds: number): void {
    const c = this.connector(connectorId);
    if (!c.transaction || c.powerW <= 0) return;
    const addedWs = new Big(c.powerW).times(seconds);
    c.energyWs = c.energyWs.plus(addedWs);
    const capacityWh = this.options.batteryCapacityWh ?? 60_000;
    c.socPercent = Math.min(100, c.socPercent + (addedWs.div(3600).toNumber() / capacityWh) * 100);
    if (c.socPercent >= 100) c.powerW = 0;
  }

  /**
   * Charges and reports on its own: every `tickMs` (default `intervalS` seconds of wall time) each
   * connector with a transaction gains exactly power × `intervalS` (simulated time, so timer jitter
   * never changes the arithmetic) and sends one MeterValues. A smaller `tickMs` fast-forwards.
   */
  startMeterValuesLoop(intervalS: number, tickMs = intervalS * 1000): void {
    this.stopMeterValuesLoop();
    this.meterLoop = setInterval(() => {
      for (const c of this.connectors.values()) {
        if (!c.transaction) continue;
        this.advance(c.id, intervalS);
        this.track(this.sendMeterValues(c.id));
      }
    }, tickMs);
  }

  stopMeterValuesLoop(): void {
    if (this.meterLoop) clearInterval(this.meterLoop);
    this.meterLoop = undefined;
  }

  transactionId(connectorId: number): number | undefined {
    return this.connector(connectorId).transaction?.id;
  }

  /** Raw call, for tests (sends frames the simulator would not send by itself; strict mode still applies). */
  async call(action: string, payload: object): Promise<unknown> {
    if (!this.online) throw new ChargePointOfflineError(this.chargePointId, action);
    return this.client.call(action, payload);
  }

  /** Sends a raw frame without validation, for fault injection (invalid JSON, wrong shapes). */
  sendRaw(frame: string): void {
    this.client.sendRaw(frame);
  }

  async authorize(idTag: string): Promise<{ idTagInfo: IdTagInfo }> {
    return (await this.call('Authorize', { idTag })) as { idTagInfo: IdTagInfo };
  }

  async heartbeat(): Promise<{ currentTime: string }> {
    return (await this.call('Heartbeat', {})) as { currentTime: string };
  }

  async statusNotification(connectorId: number, status: string, errorCode = 'NoError'): Promise<void> {
    if (connectorId > 0) this.connector(connectorId).status = status;
    await this.call('StatusNotification', { connectorId, status, errorCode, timestamp: new Date().toISOString() });
  }

  /**
   * One MeterValues frame with a sampled value per measurand in MeterValuesSampledData (SoC only when
   * configured); carries the transaction id when a transaction runs, and then queues while offline.
   */
  async sendMeterValues(connectorId: number, context: 'Sample.Periodic' | 'Trigger' | 'Sample.Clock' = 'Sample.Periodic'): Promise<void> {
    const c = this.connector(connectorId);
    const sampledValue = this.sample(c, context);
    const timestamp = new Date().toISOString();
    const tx = c.transaction;
    if (!tx) {
      await this.call('MeterValues', { connectorId, meterValue: [{ timestamp, sampledValue }] });
    } else {
      await this.enqueue('MeterValues', () => ({
        connectorId,
        transactionId: this.requireId(tx),
        meterValue: [{ timestamp, sampledValue }],
      }));
    }
    this.emit('meterValues', { connectorId, transactionId: tx?.id, timestamp, sampledValue });
  }

  /**
   * Starts a transaction at the charger (RFID / local start, and the second half of a remote start):
   * Preparing → StartTransaction (meterStart = register) → Charging. While offline the
   * StartTransaction queues and this resolves once the CSMS has issued the transaction id.
   */
  async startTransaction(connectorId: number, idTag: string): Promise<{ transactionId: number; idTagInfo: IdTagInfo }> {
    const c = this.connector(connectorId);
    if (c.transaction) throw new Error(`connector ${connectorId} already has a transaction`);
    c.starting = false;
    await this.bestEffortStatus(connectorId, 'Preparing');
    const meterStartWh = Number(decimalString(c.energyWs.div(3600), 0));
    const startedAt = new Date().toISOString();
    const tx = { connectorId, idTag, meterStartWh, startedAt } as LocalTransaction;
    tx.started = this.enqueue(
      'StartTransaction',
      () => ({ connectorId, idTag, meterStart: meterStartWh, timestamp: startedAt }),
      // Set before the next queued message is built, so it carries the real id.
      (answer) => (tx.id = (answer as { transactionId: number }).transactionId),
    ) as Promise<{ transactionId: number; idTagInfo: IdTagInfo }>;
    c.transaction = tx;
    if (c.powerW <= 0) c.powerW = this.options.defaultPowerW ?? 11_000;
    let result: { transactionId: number; idTagInfo: IdTagInfo };
    try {
      result = await tx.started;
    } catch (err) {
      if (c.transaction === tx) c.transaction = undefined;
      c.powerW = 0;
      throw err;
    }
    this.emit('transactionStarted', { connectorId, transactionId: result.transactionId, idTag, meterStart: meterStartWh, idTagInfo: result.idTagInfo });
    if (result.idTagInfo.status !== 'Accepted' && this.configuration.get('StopTransactionOnInvalidId') === 'true') {
      this.track(this.stopTransaction(connectorId, 'DeAuthorized'));
      return result;
    }
    await this.bestEffortStatus(connectorId, 'Charging');
    return result;
  }

  /** StopTransaction (meterStop = register, with transactionData) → Finishing → Available. Queues while offline. */
  async stopTransaction(connectorId: number, reason = 'Local'): Promise<void> {
    const c = this.connector(connectorId);
    const tx = c.transaction;
    if (!tx) throw new Error(`connector ${connectorId} has no transaction`);
    c.transaction = undefined;
    c.powerW = 0;
    const meterStopWh = Number(decimalString(c.energyWs.div(3600), 0));
    const timestamp = new Date().toISOString();
    await this.enqueue('StopTransaction', () => ({
      transactionId: this.requireId(tx),
      idTag: tx.idTag,
      meterStop: meterStopWh,
      timestamp,
      reason,
      transactionData: [
        { timestamp: tx.startedAt, sampledValue: [this.energySample(tx.meterStartWh, 'Transaction.Begin')] },
        { timestamp, sampledValue: [this.energySample(meterStopWh, 'Transaction.End')] },
      ],
    }));
    this.emit('transactionStopped', { connectorId, transactionId: tx.id, meterStop: meterStopWh, reason });
    await this.bestEffortStatus(connectorId, 'Finishing');
    await this.bestEffortStatus(connectorId, 'Available');
  }

  /** Resolves with the event's first argument when `event` is emitted (and `match` accepts it). */
  waitFor<T = any>(event: string, match: (value: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const onEvent = (value: T) => {
        if (!match(value)) return;
        cleanup();
        resolve(value);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`${this.chargePointId}: no '${event}' within ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.off(event, onEvent);
      };
      this.on(event, onEvent);
    });
  }

  // ---- CSMS → charger commands -------------------------------------------------------------

  private registerHandlers(): void {
    const commands: Record<CommandAction, (params: Record<string, any>, behaviour: CommandBehaviour) => Record<string, unknown>> = {
      RemoteStartTransaction: (p, b) => this.onRemoteStart(p, b),
      RemoteStopTransaction: (p, b) => this.onRemoteStop(p, b),
      GetConfiguration: (p, b) => this.onGetConfiguration(p, b),
      ChangeConfiguration: (p, b) => this.onChangeConfiguration(p, b),
      TriggerMessage: (p, b) => this.onTriggerMessage(p, b),
      Reset: (p, b) => this.onReset(p, b),
      UnlockConnector: (p, b) => this.onUnlockConnector(p, b),
      ChangeAvailability: (p, b) => this.onChangeAvailability(p, b),
      ClearCache: (_p, b) => ({ status: b === 'accept' ? 'Accepted' : 'Rejected' }),
    };
    for (const [action, handle] of Object.entries(commands) as [CommandAction, (typeof commands)[CommandAction]][]) {
      this.client.handle(action, async ({ params = {}, signal }: HandlerArgs) => {
        const behaviour = this.behaviour[action] ?? 'accept';
        const wait = this.replyDelayMs[action];
        if (behaviour !== 'ignore' && wait) await delay(wait);
        this.logger.debug({ action, params, behaviour }, 'command from CSMS');
        if (behaviour === 'ignore') {
          this.emit('call', { action, params, behaviour });
          // Never answer; the promise settles (without a reply) when the connection closes, so close() does not wait on it.
          return new Promise((resolve) => {
            if (signal?.aborted) resolve(NOREPLY);
            signal?.addEventListener('abort', () => resolve(NOREPLY), { once: true });
          }) as Promise<Record<string, any>>;
        }
        if (behaviour === 'callerror') {
          this.emit('call', { action, params, behaviour });
          throw createRPCError('InternalError', `simulated failure of ${action}`);
        }
        const response = handle(params, behaviour);
        this.emit('call', { action, params, behaviour, response });
        return response;
      });
    }
  }

  private onRemoteStart(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    const idTag = String(params.idTag);
    const connectorId: number | undefined =
      params.connectorId ?? [...this.connectors.values()].find((c) => !c.transaction && !c.starting && c.status === 'Available')?.id;
    const c = connectorId === undefined ? undefined : this.connectors.get(connectorId);
    if (behaviour !== 'accept' || !c || c.transaction || c.starting || c.status === 'Unavailable' || c.status === 'Faulted') {
      return { status: 'Rejected' };
    }
    c.starting = true;
    this.emit('remoteStart', { connectorId: c.id, idTag });
    // After the reply is sent: the driver plugs in, then the transaction starts.
    this.later(this.options.plugDelayMs ?? 0, async () => {
      if (this.closed || !c.starting) return;
      await this.startTransaction(c.id, idTag);
    });
    return { status: 'Accepted' };
  }

  private onRemoteStop(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    const transactionId = Number(params.transactionId);
    const c = [...this.connectors.values()].find((x) => x.transaction?.id === transactionId);
    if (behaviour !== 'accept' || !c) return { status: 'Rejected' };
    this.emit('remoteStop', { connectorId: c.id, transactionId });
    this.later(0, () => this.stopTransaction(c.id, 'Remote'));
    return { status: 'Accepted' };
  }

  private onGetConfiguration(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    const requested: string[] | undefined = Array.isArray(params.key) && params.key.length > 0 ? params.key : undefined;
    if (behaviour !== 'accept') return { configurationKey: [], unknownKey: requested ?? [] };
    const keys = requested ?? [...this.configuration.keys()];
    const configurationKey = keys
      .filter((key) => this.configuration.has(key))
      .map((key) => ({ key, readonly: READONLY_KEYS.has(key), value: this.configuration.get(key) }));
    const unknownKey = keys.filter((key) => !this.configuration.has(key));
    return unknownKey.length > 0 ? { configurationKey, unknownKey } : { configurationKey };
  }

  private onChangeConfiguration(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    const key = String(params.key);
    const value = String(params.value);
    if (behaviour === 'reject') return { status: 'Rejected' };
    if (behaviour === 'not_supported') return { status: 'NotSupported' };
    if (behaviour === 'reboot_required') return { status: 'RebootRequired' };
    if (!this.configuration.has(key)) return { status: 'NotSupported' };
    if (READONLY_KEYS.has(key)) return { status: 'Rejected' };
    if (INTEGER_KEYS.has(key) && !/^\d+$/.test(value)) return { status: 'Rejected' };
    if (key === 'MeterValuesSampledData') {
      const measurands = measurandList(value);
      const maxLength = Number(this.configuration.get('MeterValuesSampledDataMaxLength'));
      if (measurands.some((m) => !(m in supportedMeasurands))) return { status: 'Rejected' };
      if (measurands.length > maxLength || new Set(measurands).size !== measurands.length) return { status: 'Rejected' };
      if (measurands.includes('SoC') && this.options.supportsSoc === false) return { status: 'NotSupported' };
    }
    this.configuration.set(key, value);
    if (key === 'HeartbeatInterval' && this.online) this.startHeartbeat(Number(value));
    this.emit('configurationChanged', { key, value });
    return { status: 'Accepted' };
  }

  private onTriggerMessage(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    if (behaviour === 'not_supported') return { status: 'NotImplemented' };
    if (behaviour !== 'accept') return { status: 'Rejected' };
    const requested = String(params.requestedMessage);
    const connectorId: number | undefined = params.connectorId;
    if (connectorId !== undefined && connectorId !== 0 && !this.connectors.has(connectorId)) return { status: 'Rejected' };
    const targets = connectorId ? [connectorId] : [...this.connectors.keys()];
    const send: Record<string, () => Promise<unknown>> = {
      BootNotification: () => this.call('BootNotification', this.bootPayload()),
      Heartbeat: () => this.heartbeat(),
      StatusNotification: async () => {
        for (const id of targets) await this.statusNotification(id, this.connector(id).status);
      },
      MeterValues: async () => {
        for (const id of targets) await this.sendMeterValues(id, 'Trigger');
      },
      DiagnosticsStatusNotification: () => this.call('DiagnosticsStatusNotification', { status: 'Idle' }),
      FirmwareStatusNotification: () => this.call('FirmwareStatusNotification', { status: 'Idle' }),
    };
    const action = send[requested];
    if (!action) return { status: 'NotImplemented' };
    this.later(0, action);
    return { status: 'Accepted' };
  }

  private onReset(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    if (behaviour !== 'accept') return { status: 'Rejected' };
    const reason = params.type === 'Hard' ? 'HardReset' : 'SoftReset';
    this.emit('reset', { type: params.type });
    // A reboot: end running transactions, reconnect and boot again.
    this.later(0, async () => {
      for (const c of this.connectors.values()) if (c.transaction) await this.stopTransaction(c.id, reason);
      this.stopHeartbeat();
      this.online = false;
      await this.client.close({ code: 1012, reason: 'Reset' });
      if (this.closed) return;
      await this.connect();
    });
    return { status: 'Accepted' };
  }

  private onUnlockConnector(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    if (behaviour === 'not_supported') return { status: 'NotSupported' };
    const c = this.connectors.get(Number(params.connectorId));
    if (behaviour !== 'accept' || !c) return { status: 'UnlockFailed' };
    if (c.transaction) this.later(0, () => this.stopTransaction(c.id, 'UnlockCommand'));
    return { status: 'Unlocked' };
  }

  private onChangeAvailability(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    if (behaviour !== 'accept') return { status: 'Rejected' };
    const connectorId = Number(params.connectorId);
    const targets = connectorId === 0 ? [...this.connectors.values()] : [this.connectors.get(connectorId)].filter((c): c is Connector => !!c);
    if (targets.length === 0) return { status: 'Rejected' };
    // A connector with a running transaction changes after it ends (Scheduled); this simulator does not apply it later.
    if (targets.some((c) => c.transaction)) return { status: 'Scheduled' };
    const status = params.type === 'Inoperative' ? 'Unavailable' : 'Available';
    this.later(0, async () => {
      for (const c of targets) await this.statusNotification(c.id, status);
    });
    return { status: 'Accepted' };
  }

  // ---- internals ------------------------------------------------------------------------

  private bootPayload(): Record<string, string> {
    return {
      chargePointVendor: this.options.vendor ?? 'Simulator',
      chargePointModel: this.options.model ?? 'SimCharger',
      chargePointSerialNumber: `SIM-${this.chargePointId}`.slice(0, 25),
      firmwareVersion: '1.0.0',
    };
  }

  private async boot(): Promise<{ status: 'Accepted' | 'Pending' | 'Rejected' }> {
    const answer = (await this.client.call('BootNotification', this.bootPayload())) as {
      status: 'Accepted' | 'Pending' | 'Rejected';
      interval: number;
      currentTime: string;
    };
    this.emit('booted', answer);
    if (answer.status === 'Accepted') {
      if (answer.interval > 0) this.configuration.set('HeartbeatInterval', String(answer.interval));
      this.startHeartbeat(answer.interval);
      for (const c of this.connectors.values()) await this.statusNotification(c.id, c.transaction ? 'Charging' : c.status);
    }
    return { status: answer.status };
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
  }

  private startHeartbeat(intervalS: number): void {
    this.stopHeartbeat();
    if (!(intervalS > 0)) return;
    this.heartbeatTimer = setInterval(() => {
      if (this.online) this.heartbeat().catch((err) => this.logger.debug({ err }, 'heartbeat failed'));
    }, intervalS * 1000);
    this.heartbeatTimer.unref();
  }

  private stopTimers(): void {
    this.stopMeterValuesLoop();
    this.stopHeartbeat();
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Runs `task` after `ms` (after the current reply is sent), logging rather than throwing failures. */
  private later(ms: number, task: () => Promise<unknown>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(task());
    }, ms);
    this.timers.add(timer);
  }

  private track(work: Promise<unknown>): void {
    const p = work.catch((err) => {
      this.logger.warn({ err }, 'simulator background task failed');
      this.emit('backgroundError', err);
    });
    this.background.add(p);
    void p.finally(() => this.background.delete(p));
  }

  private connector(connectorId: number): Connector {
    const c = this.connectors.get(connectorId);
    if (!c) throw new Error(`${this.chargePointId} has no connector ${connectorId}`);
    return c;
  }

  private requireId(tx: LocalTransaction): number {
    if (tx.id === undefined) throw new Error(`transaction on connector ${tx.connectorId} has no id: its StartTransaction was not delivered`);
    return tx.id;
  }

  private async bestEffortStatus(connectorId: number, status: string): Promise<void> {
    try {
      await this.statusNotification(connectorId, status);
    } catch (err) {
      this.logger.debug({ err, connectorId, status }, 'StatusNotification not sent');
    }
  }

  private energySample(wh: number | string, context: string): Record<string, string> {
    return { value: String(wh), context, format: 'Raw', measurand: 'Energy.Active.Import.Register', location: 'Outlet', unit: 'Wh' };
  }

  private sample(c: Connector, context: string): Record<string, string>[] {
    const configured = measurandList(this.configuration.get('MeterValuesSampledData'));
    const measurands = configured.length > 0 ? configured : ['Energy.Active.Import.Register'];
    const current = new Big(c.powerW).div(VOLTAGE * PHASES);
    const values: Record<string, string> = {
      'Energy.Active.Import.Register': decimalString(c.energyWs.div(3600), 3),
      'Power.Active.Import': decimalString(new Big(c.powerW), 1),
      'Current.Import': decimalString(current, 2),
      'Current.Offered': String(MAX_CURRENT_A),
      Voltage: String(VOLTAGE),
      SoC: decimalString(new Big(c.socPercent), 1),
    };
    return measurands
      .filter((m) => m in supportedMeasurands)
      .map((measurand) => ({
        value: values[measurand],
        context,
        format: 'Raw',
        measurand,
        location: supportedMeasurands[measurand].location,
        unit: supportedMeasurands[measurand].unit,
      }));
  }

  private enqueue(action: string, payload: () => Record<string, unknown>, delivered?: (answer: unknown) => void): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.queue.push({ action, payload, delivered, attempts: 0, resolve, reject });
      void this.flush();
    });
  }

  /** Delivers queued transaction messages in order while connected; a lost connection leaves the head in place. */
  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.queue.length > 0 && this.online) {
        const m = this.queue[0];
        let payload: Record<string, unknown>;
        try {
          payload = m.payload();
        } catch (err) {
          this.queue.shift();
          m.reject(err as Error);
          continue;
        }
        try {
          const answer = await this.client.call(m.action, payload);
          this.queue.shift();
          m.delivered?.(answer);
          m.resolve(answer);
        } catch (err) {
          if (!this.online) break; // stays queued; delivered after reconnect
          m.attempts++;
          const attempts = Number(this.configuration.get('TransactionMessageAttempts')) || 1;
          this.logger.warn({ err, action: m.action, attempt: m.attempts }, 'transaction message not accepted');
          if (m.attempts >= attempts) {
            this.queue.shift();
            m.reject(err as Error);
          } else {
            await delay(this.options.transactionMessageRetryMs ?? 500);
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async waitUntilSocketClosed(): Promise<void> {
    // A forced close settles on the socket's 'close' event; connect() refuses while CLOSING.
    const CLOSING = 2;
    if (this.client.state === CLOSING) await once(this.client, 'close').catch(() => undefined);
    while (this.client.state === CLOSING) await delay(5);
  }
}
