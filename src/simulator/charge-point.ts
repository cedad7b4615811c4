/**
 * A simulated OCPP 1.6-J charge point: a real client over WebSocket (ocpp-rpc's RPCClient, strict
 * schema validation of its own frames, `ocpp1.6` subprotocol, HTTP Basic auth). It is written
 * independently of the gateway's protocol code so tests do not check the server against itself.
 *
 * Offline behaviour follows OCPP 1.6 §4.x: transaction-related messages (StartTransaction,
 * MeterValues of a transaction, StopTransaction) are queued while disconnected and delivered in
 * order after reconnecting; anything else fails at once.
 */
import { EventEmitter } from 'node:events';
import Big from 'big.js';
import pino from 'pino';
import { RPCClient, createRPCError, NOREPLY } from 'ocpp-rpc';
import type { Logger } from '../logger';
import { LocalAuthList } from './local-auth-list';
import { AuthorizedBy, LocalStores, authorizeIdTag, conflictsWithList, findLocally, localListInUse } from './id-tag-authorization';
import { Reservation, ReservationBook } from './reservations';
import { ConfigurationStore, cslList } from './configuration';
import { AuthorizationCache } from './authorization-cache';
import { FirmwareHost, FirmwareOptions, FirmwareUpdater } from './firmware';
import { DiagnosticsHost, DiagnosticsOptions, DiagnosticsUploader } from './diagnostics';
import { SmartCharging, SmartChargingHost, SmartChargingOptions } from './smart-charging';
import type { InstalledChargingProfile } from './charging-profiles';
import { EvModel, MIN_CHARGING_CURRENT_A, drawnPower, evAcceptanceW, shareChargePointMax } from './charging-power';
import type { ChargingProfile } from '../ocpp/ocpp16-messages';
import { BackgroundTasks } from './background-tasks';
import { createSimulatorClient, notifyIfOnline, waitUntilSocketClosed } from './simulator-client';
import { waitForEvent } from './wait-for-event';
import { SAMPLED_MEASURANDS } from './measurands';

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
  /** firmwareVersion in BootNotification (default 1.0.0); an installed firmware update replaces it. */
  firmwareVersion?: string;
  /** SupportedFeatureProfiles (default Core, FirmwareManagement, RemoteTrigger); a declared profile adds its §9 keys. */
  featureProfiles?: string[];
  /** Configuration values preset before connecting (key → value). */
  configuration?: Record<string, string>;
  /** Keys reported and enforced read-only besides the spec's read-only ones. */
  readonlyKeys?: string[];
  /** Keys whose change answers RebootRequired and takes effect at the next boot. */
  rebootRequiredKeys?: string[];
  /** Wall-clock ms per protocol second (HeartbeatInterval, MeterValueSampleInterval, ConnectionTimeOut, retryInterval); default 1000. */
  secondMs?: number;
  /**
   * Send MeterValues by itself every MeterValueSampleInterval during a transaction, the register
   * advancing by power × interval (OCPP 1.6 §9.1). Off by default: callers that drive readings by hand
   * (sendMeterValues/advance/startMeterValuesLoop) see no extra frames.
   */
  autoMeterValues?: boolean;
  /** Firmware update timings and scripted faults. */
  firmware?: FirmwareOptions;
  /** Diagnostics upload method, file size and scripted faults. */
  diagnostics?: DiagnosticsOptions;
  /** Answers a DataTransfer from the CSMS (default: UnknownVendorId for every vendor). */
  dataTransfer?: (request: DataTransferRequest) => DataTransferAnswer;
  /** TriggerMessage requestedMessage values this charger answers NotImplemented. */
  notImplementedTriggers?: string[];
  /** false: the connectors have no lock, UnlockConnector answers NotSupported (default true). */
  connectorLock?: boolean;
  /** The charger's wiring (default 3 phases): W ↔ A for smart charging, P = phases × voltage × I per phase. */
  phases?: 1 | 3;
  /** Phase voltage, V (default 230). */
  voltageV?: number;
  /** The car's own maximum charging power, W (default `defaultPowerW`, default 11 kW). */
  evMaxPowerW?: number;
  /** Above this SoC the car's acceptance falls linearly, to a tenth at 100 % (default 80). */
  evTaperFromSoc?: number;
  /** Smart Charging (declare 'SmartCharging' in featureProfiles to enable its commands). */
  smartCharging?: SmartChargingOptions;
}

export interface DataTransferRequest {
  vendorId: string;
  messageId?: string;
  data?: string;
}

export interface DataTransferAnswer {
  status: 'Accepted' | 'Rejected' | 'UnknownMessageId' | 'UnknownVendorId';
  data?: string;
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
  | 'ClearCache'
  | 'DataTransfer'
  | 'UpdateFirmware'
  | 'GetDiagnostics'
  | 'SendLocalList'
  | 'GetLocalListVersion'
  | 'ReserveNow'
  | 'CancelReservation'
  | 'SetChargingProfile'
  | 'ClearChargingProfile'
  | 'GetCompositeSchedule';

export interface IdTagInfo {
  status: string;
  expiryDate?: string;
  parentIdTag?: string;
}

/** The connector's hardware maximum current per phase, A. */
const MAX_CURRENT_A = 32;
const DEFAULT_PROFILES = ['Core', 'FirmwareManagement', 'RemoteTrigger'];

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
  /** StopTxnSampledData values at the start, for transactionData's Transaction.Begin entry. */
  begin: Record<string, string>[];
  /** StopTxnSampledData values of each periodic sample (autoMeterValues), for transactionData. */
  periodic: { timestamp: string; sampledValue: Record<string, string>[] }[];
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
  /** Availability (ChangeAvailability); persists across reboots (§4.9 "persistent states"). */
  operative: boolean;
  /** A change answered Scheduled, applied when the running transaction ends. */
  scheduled?: boolean;
  /** autoMeterValues: the MeterValueSampleInterval timer of the running transaction. */
  sampler?: NodeJS.Timeout;
  /** setPower(): what the car asks for instead of its own acceptance (cleared when the transaction ends). */
  demandOverrideW?: number;
  /** Charging paused because the offered limit is below 6 A (status SuspendedEVSE). */
  suspendedByLimit?: boolean;
  /** The chargingProfile of an accepted RemoteStartTransaction, installed when its transaction starts. */
  remoteStartProfile?: ChargingProfile;
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

/** A number as an OCPP value string with at most `dp` decimals (rounded down, so a register never over-reports). */
function decimalString(value: Big, dp: number): string {
  return value.round(dp, Big.roundDown).toString();
}

export class SimulatedChargePoint extends EventEmitter {
  behaviour: Partial<Record<CommandAction, CommandBehaviour>> = {};
  /** Wait before answering a command (a slow charger); applies with every behaviour except 'ignore'. */
  replyDelayMs: Partial<Record<CommandAction, number>> = {};
  configuration: ConfigurationStore;
  /** id tags and their latest IdTagInfo from the CSMS (§3.5.1). */
  readonly authorizationCache = new AuthorizationCache();
  /** The Local Authorization List the CSMS sends (§3.5.2, §5.15); kept across reboots and reconnects. */
  readonly localAuthList = new LocalAuthList();
  readonly firmware: FirmwareUpdater;
  readonly diagnostics: DiagnosticsUploader;
  readonly smartCharging: SmartCharging;
  /** firmwareVersion sent in BootNotification. */
  firmwareVersion: string;

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
  private readonly tasks = new BackgroundTasks((err) => {
    this.logger.warn({ err }, 'simulator background task failed');
    this.emit('backgroundError', err);
  });
  private meterLoop?: NodeJS.Timeout;
  /** Availability of the charge point as a whole (connector 0). */
  private stationOperative = true;
  /** A connector-0 ChangeAvailability answered Scheduled: connector 0's status follows when the last transaction ends. */
  private stationScheduled = false;
  /** ReserveNow / CancelReservation (§5.13, §5.1). */
  private readonly reservationBook: ReservationBook;

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
        operative: true,
      });
    }
    this.firmwareVersion = options.firmwareVersion ?? '1.0.0';
    const measurands = new Set(Object.keys(SAMPLED_MEASURANDS).filter((m) => m !== 'SoC' || options.supportsSoc !== false));
    this.configuration = new ConfigurationStore({
      connectors: count,
      featureProfiles: options.featureProfiles ?? DEFAULT_PROFILES,
      supportedMeasurands: measurands,
      values: {
        TransactionMessageAttempts: String(options.transactionMessageAttempts ?? 3),
        TransactionMessageRetryInterval: String(Math.ceil((options.transactionMessageRetryMs ?? 500) / 1000)),
        ...options.configuration,
      },
      readonlyKeys: options.readonlyKeys,
      rebootRequiredKeys: options.rebootRequiredKeys,
    });
    this.reservationBook = new ReservationBook({
      logger: this.logger,
      connectors: () =>
        [...this.connectors.values()].map((c) => ({ id: c.id, status: c.status, operative: c.operative && this.stationOperative, busy: !!c.transaction || c.starting })),
      zeroSupported: () => this.configuration.flag('ReserveConnectorZeroSupported'),
      report: (connectorId, status) => this.statusNotification(connectorId, status).then(
        () => true,
        () => false,
      ),
      later: (task) => this.tasks.later(0, task),
      emit: (event, value) => this.emit(event, value),
    });
    this.firmware = new FirmwareUpdater(this.host(), options.firmware);
    this.diagnostics = new DiagnosticsUploader(this.host(), options.diagnostics);
    this.smartCharging = new SmartCharging(this.smartChargingHost(), options.smartCharging);

    this.client = createSimulatorClient({ ...options, identity: options.chargePointId, protocol: 'ocpp1.6' }, this.logger, this);
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
    this.registerHandlers();
  }

  get connected(): boolean {
    return this.online;
  }

  /** Opens the connection, sends BootNotification and (when accepted) StatusNotification Available per connector. */
  async connect(): Promise<{ status: 'Accepted' | 'Pending' | 'Rejected' }> {
    this.closed = false;
    this.reservationBook.resume();
    await this.client.connect();
    this.online = true;
    return this.boot();
  }

  /** Clean close (WebSocket close frame); unanswered ('ignore') commands are abandoned. */
  async close(): Promise<void> {
    this.closed = true;
    this.firmware.cancel();
    this.diagnostics.cancel();
    this.reservationBook.suspend();
    this.stopTimers();
    this.online = false;
    await this.client.close({ code: 1000, reason: 'Simulator closing' });
    for (const m of this.queue.splice(0)) m.reject(new Error(`${this.chargePointId} closed before ${m.action} was delivered`));
    await this.tasks.settled();
  }

  /** Abrupt loss of the socket (no close frame); transaction messages queue until reconnect(). */
  dropConnection(): void {
    this.online = false;
    this.stopHeartbeat();
    void this.client.close({ force: true }).catch(() => undefined);
  }

  /** Reopens the socket (no new boot: the charger did not restart) and flushes queued transaction messages in order. */
  async reconnect(): Promise<void> {
    await waitUntilSocketClosed(this.client);
    this.closed = false;
    await this.client.connect();
    this.online = true;
    this.startHeartbeat(Number(this.configuration.get('HeartbeatInterval')));
    this.reservationBook.reconnected();
    await this.flush();
  }

  /**
   * Restarts like a real charger (Reset, installed firmware): the socket is closed, values changed
   * with RebootRequired take effect, then it reconnects and boots again.
   */
  async reboot(firmwareVersion = this.firmwareVersion): Promise<void> {
    this.stopHeartbeat();
    for (const c of this.connectors.values()) this.stopSampler(c);
    this.online = false;
    await this.client.close({ code: 1012, reason: 'Rebooting' }).catch(() => undefined);
    this.firmwareVersion = firmwareVersion;
    const applied = this.configuration.applyPendingAtBoot();
    if (applied.length > 0) this.emit('configurationApplied', applied);
    this.smartCharging.rebooting();
    this.emit('rebooting', { firmwareVersion });
    if (this.closed) return;
    await waitUntilSocketClosed(this.client);
    await this.connect();
    for (const c of this.connectors.values()) if (c.transaction) this.startSampler(c);
  }

  /** Whether a connector (or, for 0, the charge point) is Operative (ChangeAvailability). */
  operative(connectorId: number): boolean {
    return connectorId === 0 ? this.stationOperative : this.connector(connectorId).operative;
  }

  /**
   * The driver presents an id tag at the charger (RFID), decided as in id-tag-authorization.ts:
   * Local Authorization List, then Authorization Cache, then Authorize. A reserved connector
   * (§5.13) charges only the reservation's idTag, or a tag whose parentIdTag (list, cache, else an
   * Authorize) is the reservation's; any other tag is refused without asking the CSMS
   * (`reason: 'reserved'`). Starts a transaction when accepted, carrying the reservationId it uses.
   */
  async presentIdTag(connectorId: number, idTag: string): Promise<{ started: boolean; idTagInfo?: IdTagInfo; authorizedBy: AuthorizedBy; reason?: 'reserved' }> {
    const local = findLocally(idTag, this.localStores());
    const book = this.reservationBook;
    let reservation = book.match(connectorId, idTag, local?.info.parentIdTag);
    let decided: { idTagInfo?: IdTagInfo; authorizedBy: AuthorizedBy } | undefined;
    if (!reservation && book.blocks(connectorId)) {
      // §5.13: the parent of a tag known neither to the list nor to the cache comes from Authorize.
      if (!local && this.online && book.wantsParent(connectorId, idTag)) {
        decided = { idTagInfo: (await this.authorize(idTag)).idTagInfo, authorizedBy: 'csms' };
        reservation = book.match(connectorId, idTag, decided.idTagInfo?.parentIdTag);
      }
      if (!reservation) return { started: false, ...(decided ?? { authorizedBy: 'none' }), reason: 'reserved' };
    }
    decided ??= await authorizeIdTag(idTag, local, { configuration: this.configuration, online: this.online, authorize: (tag) => this.authorize(tag) });
    const { idTagInfo, authorizedBy } = decided;
    if (idTagInfo?.status !== 'Accepted') return { started: false, idTagInfo, authorizedBy };
    reservation ??= book.match(connectorId, idTag, idTagInfo.parentIdTag);
    // While offline the StartTransaction queues; do not wait for its delivery.
    const start = this.startTransaction(connectorId, idTag, { reservationId: reservation?.reservationId });
    if (this.online) await start;
    else this.tasks.track(start);
    return { started: true, idTagInfo, authorizedBy };
  }

  /** The reservations the charger holds (ReserveNow accepted, not yet used, cancelled or expired). */
  reservations(): Reservation[] {
    return this.reservationBook.list();
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
    const c = this.connector(connectorId);
    c.socPercent = percent;
    this.updatePower(c);
  }

  /**
   * Overrides what the car asks for: it then draws min(watts, offered limit) until its transaction
   * ends (no taper, no EV maximum).
   */
  setPower(connectorId: number, watts: number): void {
    const c = this.connector(connectorId);
    c.demandOverrideW = watts;
    if (c.transaction) this.updatePower(c);
    else c.powerW = watts;
  }

  /** The installed charging profiles (of one connector, or all): SetChargingProfile.req-shaped, the profile's fields also at the top. */
  chargingProfiles(connectorId?: number): InstalledChargingProfile[] {
    return this.smartCharging.installed(connectorId);
  }

  /** The charging profiles' composite limit on the connector at `at` (default now), W; undefined when no profile limits it. */
  offeredLimitW(connectorId: number, at?: Date): number | undefined {
    return this.smartCharging.limitAt(connectorId, at?.getTime()).limitW;
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
   * with the energy over the battery size and stops at 100 % (the EV then draws nothing). Where the
   * car's acceptance tapers (SoC above evTaperFromSoc) it goes in steps of 10 s, power following SoC.
   */
  advance(connectorId: number, seconds: number): void {
    const c = this.connector(connectorId);
    if (!c.transaction) return;
    const capacityWh = this.options.batteryCapacityWh ?? 60_000;
    const TAPER_STEP_S = 10;
    let remaining = seconds;
    while (remaining > 0 && c.powerW > 0) {
      const tapers = c.demandOverrideW === undefined && c.socPercent + ((c.powerW * remaining) / 3600 / capacityWh) * 100 > this.ev.taperFromSoc;
      const step = tapers ? Math.min(remaining, TAPER_STEP_S) : remaining;
      let addedWs = new Big(c.powerW).times(step);
      // A full battery takes nothing more: the last step stops where it fills.
      const roomWs = new Big(Math.max(0, 100 - c.socPercent)).div(100).times(capacityWh).times(3600);
      if (addedWs.gt(roomWs)) addedWs = roomWs;
      c.energyWs = c.energyWs.plus(addedWs);
      c.socPercent = addedWs.eq(roomWs) ? 100 : Math.min(100, c.socPercent + (addedWs.div(3600).toNumber() / capacityWh) * 100);
      if (c.socPercent >= 100) c.powerW = 0;
      remaining -= step;
      if (tapers) this.updatePower(c);
    }
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
        this.tasks.track(this.sendMeterValues(c.id));
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
    const answer = (await this.call('Authorize', { idTag })) as { idTagInfo: IdTagInfo };
    this.cacheIdTagInfo(idTag, answer.idTagInfo);
    return answer;
  }

  async heartbeat(): Promise<{ currentTime: string }> {
    return (await this.call('Heartbeat', {})) as { currentTime: string };
  }

  async statusNotification(connectorId: number, status: string, errorCode = 'NoError'): Promise<void> {
    if (connectorId > 0) this.connector(connectorId).status = status;
    this.reservationBook.statusChanged(connectorId, status);
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

  /** MeterValues of connector 0, the charge point's main meter: the connectors' registers and power summed (no SoC). */
  private async sendMainMeterValues(): Promise<void> {
    const all = [...this.connectors.values()];
    const main = {
      energyWs: all.reduce((sum, c) => sum.plus(c.energyWs), new Big(0)),
      powerW: all.reduce((sum, c) => sum + c.powerW, 0),
      socPercent: 0,
    };
    const measurands = this.configuration.list('MeterValuesSampledData').filter((m) => m !== 'SoC');
    const sampledValue = this.sample(main, 'Trigger', measurands.length > 0 ? measurands : ['Energy.Active.Import.Register']);
    await this.call('MeterValues', { connectorId: 0, meterValue: [{ timestamp: new Date().toISOString(), sampledValue }] });
  }

  /**
   * Starts a transaction at the charger (RFID / local start, and the second half of a remote start):
   * Preparing → StartTransaction (meterStart = register) → Charging. While offline the
   * StartTransaction queues and this resolves once the CSMS has issued the transaction id.
   * A reservation the tag may use at the connector (§5.13) goes into StartTransaction's
   * reservationId and ends; `options.reservationId` sends that id instead (any number, for tests),
   * and `null` sends none and ignores the reservations (a charger that starts a reserved connector anyway).
   */
  async startTransaction(connectorId: number, idTag: string, options: { reservationId?: number | null } = {}): Promise<{ transactionId: number; idTagInfo: IdTagInfo }> {
    const reservationId = this.reservationToUse(connectorId, idTag, options.reservationId);
    const c = this.connector(connectorId);
    if (c.transaction) throw new Error(`connector ${connectorId} already has a transaction`);
    // An Inoperative connector (or charge point) starts nothing (§5.2 ChangeAvailability).
    if (!c.operative || !this.stationOperative) throw new Error(`connector ${connectorId} is Unavailable`);
    // Only the start a RemoteStartTransaction reserved the connector for carries its profile.
    const remoteStartProfile = c.starting ? c.remoteStartProfile : undefined;
    c.remoteStartProfile = undefined;
    c.starting = false;
    // §5.13 termination 1: the reservation ends with the transaction it starts (before Preparing, so
    // the connector never shows Available in between).
    if (reservationId !== undefined) this.reservationBook.use(reservationId);
    if (c.status !== 'Preparing') await this.bestEffortStatus(connectorId, 'Preparing');
    const meterStartWh = Number(decimalString(c.energyWs.div(3600), 0));
    const startedAt = new Date().toISOString();
    const begin = this.sample(c, 'Transaction.Begin', this.configuration.list('StopTxnSampledData'), meterStartWh);
    const tx = { connectorId, idTag, meterStartWh, startedAt, begin, periodic: [] as LocalTransaction['periodic'] } as LocalTransaction;
    tx.started = this.enqueue(
      'StartTransaction',
      () => ({ connectorId, idTag, meterStart: meterStartWh, timestamp: startedAt, ...(reservationId !== undefined ? { reservationId } : {}) }),
      // Set before the next queued message is built, so it carries the real id.
      (answer) => {
        const a = answer as { transactionId: number; idTagInfo: IdTagInfo };
        tx.id = a.transactionId;
        this.smartCharging.transactionIdKnown(connectorId, a.transactionId);
        this.cacheIdTagInfo(idTag, a.idTagInfo);
      },
    ) as Promise<{ transactionId: number; idTagInfo: IdTagInfo }>;
    c.transaction = tx;
    if (!((c.demandOverrideW ?? 0) > 0)) c.demandOverrideW = undefined;
    this.smartCharging.transactionStarted(connectorId, remoteStartProfile); // sets the power
    this.startSampler(c);
    let result: { transactionId: number; idTagInfo: IdTagInfo };
    try {
      result = await tx.started;
    } catch (err) {
      if (c.transaction === tx) {
        c.transaction = undefined;
        this.stopSampler(c);
        this.smartCharging.transactionEnded(connectorId);
      }
      c.powerW = 0;
      throw err;
    }
    this.emit('transactionStarted', { connectorId, transactionId: result.transactionId, idTag, meterStart: meterStartWh, idTagInfo: result.idTagInfo, reservationId });
    if (result.idTagInfo.status !== 'Accepted' && this.configuration.get('StopTransactionOnInvalidId') === 'true') {
      this.tasks.track(this.stopTransaction(connectorId, 'DeAuthorized'));
      return result;
    }
    await this.bestEffortStatus(connectorId, this.chargingStatus(c));
    return result;
  }

  /** StopTransaction (meterStop = register, with transactionData) → Finishing → Available. Queues while offline. */
  async stopTransaction(connectorId: number, reason = 'Local'): Promise<void> {
    const c = this.connector(connectorId);
    const tx = c.transaction;
    if (!tx) throw new Error(`connector ${connectorId} has no transaction`);
    c.transaction = undefined;
    this.stopSampler(c);
    const meterStopWh = Number(decimalString(c.energyWs.div(3600), 0));
    const timestamp = new Date().toISOString();
    // StopTxnSampledData (§9.1): its measurands at the start, every sample interval, and at the end.
    const measurands = this.configuration.list('StopTxnSampledData');
    const end = this.sample(c, 'Transaction.End', measurands, meterStopWh);
    c.powerW = 0;
    c.demandOverrideW = undefined;
    c.suspendedByLimit = false;
    this.smartCharging.transactionEnded(connectorId);
    const transactionData =
      measurands.length === 0
        ? undefined
        : [{ timestamp: tx.startedAt, sampledValue: tx.begin }, ...tx.periodic, { timestamp, sampledValue: end }].filter((m) => m.sampledValue.length > 0);
    const answer = (await this.enqueue('StopTransaction', () => ({
      transactionId: this.requireId(tx),
      idTag: tx.idTag,
      meterStop: meterStopWh,
      timestamp,
      reason,
      ...(transactionData && transactionData.length > 0 ? { transactionData } : {}),
    }))) as { idTagInfo?: IdTagInfo };
    this.cacheIdTagInfo(tx.idTag, answer?.idTagInfo);
    this.emit('transactionStopped', { connectorId, transactionId: tx.id, meterStop: meterStopWh, reason });
    await this.bestEffortStatus(connectorId, 'Finishing');
    // A ChangeAvailability answered Scheduled takes effect now.
    c.scheduled = false;
    await this.bestEffortStatus(connectorId, c.operative && this.stationOperative ? 'Available' : 'Unavailable');
    if (this.stationScheduled && this.idle) {
      this.stationScheduled = false;
      await this.bestEffortStatus(0, this.stationOperative ? 'Available' : 'Unavailable');
    }
  }

  /**
   * The reservationId a StartTransaction carries: the one given, else the reservation the tag may
   * use here (its parentIdTag from the list or cache); none when the connector is not reserved.
   * Throws when the connector is reserved for another tag.
   */
  private reservationToUse(connectorId: number, idTag: string, given?: number | null): number | undefined {
    if (given === null) return undefined;
    if (given !== undefined) return given;
    const reservation = this.reservationBook.match(connectorId, idTag, findLocally(idTag, this.localStores())?.info.parentIdTag);
    if (!reservation && this.reservationBook.blocks(connectorId)) throw new Error(`connector ${connectorId} is Reserved for another idTag`);
    return reservation?.reservationId;
  }

  private localStores(): LocalStores {
    return {
      configuration: this.configuration,
      localAuthList: this.localAuthList,
      authorizationCache: this.authorizationCache,
      localListSupported: this.supportsProfile('LocalAuthListManagement'),
    };
  }

  /** Whether SupportedFeatureProfiles declares the profile. */
  private supportsProfile(profile: string): boolean {
    return this.configuration.list('SupportedFeatureProfiles').includes(profile);
  }

  /** Resolves with the event's first argument when `event` is emitted (and `match` accepts it). */
  waitFor<T = any>(event: string, match: (value: T) => boolean = () => true, timeoutMs = 10_000): Promise<T> {
    return waitForEvent(this, this.chargePointId, event, match, timeoutMs);
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
      ClearCache: (_p, b) => {
        if (b !== 'accept') return { status: 'Rejected' };
        this.authorizationCache.clear();
        return { status: 'Accepted' };
      },
      DataTransfer: (p, b) => this.onDataTransfer(p, b),
      UpdateFirmware: (p, b) => this.onUpdateFirmware(p, b),
      GetDiagnostics: (p, b) => this.onGetDiagnostics(p, b),
      SendLocalList: (p, b) => this.onSendLocalList(p, b),
      // §5.10: -1 "SHALL be used to indicate that the Charge Point does not support Local Authorization Lists".
      GetLocalListVersion: (_p, b) => ({ listVersion: b !== 'not_supported' && localListInUse(this.localStores()) ? this.localAuthList.version : -1 }),
      ReserveNow: (p, b) => this.onReserveNow(p, b),
      CancelReservation: (p, b) => {
        if (!this.supportsProfile('Reservation')) throw createRPCError('NotImplemented', 'CancelReservation is not implemented');
        return { status: b === 'accept' && this.reservationBook.cancel(Number(p.reservationId)) ? 'Accepted' : 'Rejected' };
      },
      SetChargingProfile: (p, b) => this.smartCharging.setChargingProfile(p, b),
      ClearChargingProfile: (p, b) => this.smartCharging.clearChargingProfile(p, b),
      GetCompositeSchedule: (p, b) => this.smartCharging.getCompositeSchedule(p, b),
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
    // §5.13: a reserved connector starts only its reservation's tag (or, known to the list or cache, one with its parent).
    const parent = findLocally(idTag, this.localStores())?.info.parentIdTag;
    const usable = (x: Connector) => !this.reservationBook.blocks(x.id) || !!this.reservationBook.match(x.id, idTag, parent);
    const idle = [...this.connectors.values()].filter((x) => !x.transaction && !x.starting && (x.status === 'Available' || x.status === 'Reserved') && x.operative && usable(x));
    // Without a connectorId: the connector reserved for this tag, else any idle one.
    const connectorId: number | undefined = params.connectorId ?? (idle.find((x) => this.reservationBook.match(x.id, idTag, parent)?.connectorId === x.id) ?? idle[0])?.id;
    const c = connectorId === undefined ? undefined : this.connectors.get(connectorId);
    if (behaviour !== 'accept' || !c || c.transaction || c.starting || !c.operative || !this.stationOperative || c.status === 'Unavailable' || c.status === 'Faulted' || !usable(c)) {
      return { status: 'Rejected' };
    }
    // §5.11: a chargingProfile (Smart Charging) must be an acceptable TxProfile; it applies to the transaction started.
    const profile = this.smartCharging.supported ? (params.chargingProfile as ChargingProfile | undefined) : undefined;
    if (profile && this.smartCharging.remoteStartRejection(c.id, profile)) return { status: 'Rejected' };
    c.starting = true;
    c.remoteStartProfile = profile;
    this.emit('remoteStart', { connectorId: c.id, idTag });
    // After the reply: Preparing while the driver plugs in; ConnectionTimeOut (§9.1) cancels when the plug does not come.
    this.tasks.later(0, () => this.bestEffortStatus(c.id, 'Preparing'));
    const plugDelayMs = this.options.plugDelayMs ?? 0;
    const timeoutMs = this.configuration.integer('ConnectionTimeOut') * this.secondMs;
    if (timeoutMs > 0 && plugDelayMs > timeoutMs) {
      this.tasks.later(timeoutMs, async () => {
        if (this.closed || !c.starting) return;
        c.starting = false;
        this.emit('connectionTimeout', { connectorId: c.id, idTag });
        await this.bestEffortStatus(c.id, c.operative && this.stationOperative ? 'Available' : 'Unavailable');
      });
      return { status: 'Accepted' };
    }
    this.tasks.later(plugDelayMs, async () => {
      if (this.closed || !c.starting) return;
      if (this.configuration.flag('AuthorizeRemoteTxRequests')) {
        const { idTagInfo } = await this.authorize(idTag);
        if (idTagInfo.status !== 'Accepted') {
          c.starting = false;
          await this.bestEffortStatus(c.id, 'Available');
          return;
        }
      }
      await this.startTransaction(c.id, idTag);
    });
    return { status: 'Accepted' };
  }

  /**
   * SendLocalList (§5.15). NotSupported without the LocalAuthListManagement profile or with
   * LocalAuthListEnabled false (§7.48 "not supported by Charge Point"; OCTT TC_043_1_CS); 'reject'
   * answers Failed; otherwise the list's own rules (local-auth-list.ts).
   */
  private onSendLocalList(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    if (behaviour === 'not_supported' || !localListInUse(this.localStores())) return { status: 'NotSupported' };
    if (behaviour !== 'accept') return { status: 'Failed' };
    const request = { listVersion: Number(params.listVersion), updateType: params.updateType, localAuthorizationList: params.localAuthorizationList };
    const status = this.localAuthList.update(request, {
      maxEntries: this.configuration.integer('LocalAuthListMaxLength'),
      maxPerMessage: this.configuration.integer('SendLocalListMaxLength'),
    });
    this.emit('localListUpdate', { ...request, status, version: this.localAuthList.version });
    return { status };
  }

  /** ReserveNow (§5.13): NotImplemented without the Reservation profile; 'reject' answers Rejected. */
  private onReserveNow(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    if (!this.supportsProfile('Reservation')) throw createRPCError('NotImplemented', 'ReserveNow is not implemented');
    if (behaviour !== 'accept') return { status: 'Rejected' };
    const status = this.reservationBook.reserve({
      reservationId: Number(params.reservationId),
      connectorId: Number(params.connectorId),
      idTag: String(params.idTag),
      parentIdTag: params.parentIdTag,
      expiryDate: String(params.expiryDate),
    });
    return { status };
  }

  private onRemoteStop(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    const transactionId = Number(params.transactionId);
    const c = [...this.connectors.values()].find((x) => x.transaction?.id === transactionId);
    if (behaviour !== 'accept' || !c) return { status: 'Rejected' };
    this.emit('remoteStop', { connectorId: c.id, transactionId });
    this.tasks.later(0, () => this.stopTransaction(c.id, 'Remote'));
    return { status: 'Accepted' };
  }

  private onGetConfiguration(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    const requested: string[] | undefined = Array.isArray(params.key) && params.key.length > 0 ? params.key : undefined;
    if (behaviour !== 'accept') return { configurationKey: [], unknownKey: requested ?? [] };
    // GetConfigurationMaxKeys (§9.1) limits how many keys one request may name; all keys may be asked for with none.
    // Too many: CALLERROR OccurrenceConstraintViolation (the OCPP-J 1.6 errata spelling).
    const maxKeys = this.configuration.integer('GetConfigurationMaxKeys');
    if (requested && requested.length > maxKeys) {
      throw createRPCError('OccurrenceConstraintViolation', `at most ${maxKeys} keys per GetConfiguration (GetConfigurationMaxKeys)`);
    }
    const keys = requested ?? [...this.configuration.keys()];
    const configurationKey = keys
      .filter((key) => this.configuration.has(key))
      .map((key) => ({ key, readonly: this.configuration.isReadonly(key), value: this.configuration.get(key) }));
    const unknownKey = keys.filter((key) => !this.configuration.has(key));
    return unknownKey.length > 0 ? { configurationKey, unknownKey } : { configurationKey };
  }

  private onChangeConfiguration(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    const key = String(params.key);
    const value = String(params.value);
    if (behaviour === 'reject') return { status: 'Rejected' };
    if (behaviour === 'not_supported') return { status: 'NotSupported' };
    if (behaviour === 'reboot_required') return { status: 'RebootRequired' };
    // A charger without an SoC sensor does not support that measurand (kept as NotSupported, not Rejected).
    if (this.configuration.spec(key)?.element === 'measurand' && cslList(value).includes('SoC') && this.options.supportsSoc === false) {
      return { status: 'NotSupported' };
    }
    const { status, normalised } = this.configuration.change(key, value);
    if (status !== 'Accepted') {
      if (status === 'RebootRequired') this.emit('configurationPending', { key, value: normalised });
      return { status };
    }
    this.applyConfiguration(key);
    this.emit('configurationChanged', { key, value: normalised });
    return { status: 'Accepted' };
  }

  /** A changed value takes effect at once. */
  private applyConfiguration(key: string): void {
    if (key === 'HeartbeatInterval' && this.online) this.startHeartbeat(this.configuration.integer(key));
    if (key === 'MeterValueSampleInterval') for (const c of this.connectors.values()) if (c.transaction) this.startSampler(c);
    if (key === 'AuthorizationCacheEnabled' && !this.configuration.flag(key)) this.authorizationCache.clear();
  }

  private onTriggerMessage(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    if (behaviour === 'not_supported') return { status: 'NotImplemented' };
    if (behaviour !== 'accept') return { status: 'Rejected' };
    const requested = String(params.requestedMessage);
    const connectorId: number | undefined = params.connectorId;
    if (connectorId !== undefined && connectorId !== 0 && !this.connectors.has(connectorId)) return { status: 'Rejected' };
    // connectorId 0 is the charge point itself; absent: every connector (§5.17).
    const targets = connectorId !== undefined ? [connectorId] : [...this.connectors.keys()];
    const send: Record<string, () => Promise<unknown>> = {
      BootNotification: async () => {
        const answer = (await this.call('BootNotification', this.bootPayload())) as { status: string; interval: number };
        if (answer.status === 'Accepted' && answer.interval > 0) {
          this.configuration.set('HeartbeatInterval', String(answer.interval));
          this.startHeartbeat(answer.interval);
        }
      },
      Heartbeat: () => this.heartbeat(),
      StatusNotification: async () => {
        for (const id of targets) await this.statusNotification(id, id === 0 ? (this.stationOperative ? 'Available' : 'Unavailable') : this.connector(id).status);
      },
      MeterValues: async () => {
        for (const id of targets) await (id === 0 ? this.sendMainMeterValues() : this.sendMeterValues(id, 'Trigger'));
      },
      DiagnosticsStatusNotification: () => this.call('DiagnosticsStatusNotification', { status: this.diagnostics.triggerStatus }),
      FirmwareStatusNotification: () => this.call('FirmwareStatusNotification', { status: this.firmware.triggerStatus }),
    };
    const action = send[requested];
    if (!action || this.options.notImplementedTriggers?.includes(requested)) return { status: 'NotImplemented' };
    // The triggered message goes out after the TriggerMessage.conf.
    this.tasks.later(0, action);
    return { status: 'Accepted' };
  }

  private onReset(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    if (behaviour !== 'accept') return { status: 'Rejected' };
    const reason = params.type === 'Hard' ? 'HardReset' : 'SoftReset';
    this.emit('reset', { type: params.type });
    // §5.14: end running transactions (StopTransaction with reason SoftReset/HardReset), then reboot.
    this.tasks.later(0, async () => {
      for (const c of this.connectors.values()) if (c.transaction) await this.stopTransaction(c.id, reason);
      this.firmware.cancel();
      this.diagnostics.cancel();
      await this.reboot();
    });
    return { status: 'Accepted' };
  }

  private onUnlockConnector(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    // NotSupported: no connector lock, or the connectorId is unknown (UnlockStatus, §7.45).
    const c = this.connectors.get(Number(params.connectorId));
    if (behaviour === 'not_supported' || this.options.connectorLock === false || !c) return { status: 'NotSupported' };
    if (behaviour !== 'accept') return { status: 'UnlockFailed' };
    // §5.18: a transaction on the connector is finished first (reason UnlockCommand).
    if (c.transaction) this.tasks.later(0, () => this.stopTransaction(c.id, 'UnlockCommand'));
    return { status: 'Unlocked' };
  }

  /**
   * §5.2: connector 0 changes the charge point and every connector. A connector with a running
   * transaction changes when it ends (Scheduled); the others at once. Each change that happens is
   * reported with StatusNotification; asking for the current state is Accepted and changes nothing.
   */
  private onChangeAvailability(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    if (behaviour !== 'accept') return { status: 'Rejected' };
    const connectorId = Number(params.connectorId);
    const targets = connectorId === 0 ? [...this.connectors.values()] : [this.connectors.get(connectorId)].filter((c): c is Connector => !!c);
    if (targets.length === 0) return { status: 'Rejected' };
    const operative = params.type === 'Operative';
    const effective = (c: Connector) => c.operative && this.stationOperative;
    const stationChanged = connectorId === 0 && this.stationOperative !== operative;
    const before = new Map(targets.map((c) => [c, effective(c)]));
    if (connectorId === 0) this.stationOperative = operative;
    for (const c of targets) c.operative = operative;
    const now: Connector[] = [];
    let scheduled = false;
    for (const c of targets) {
      const changed = before.get(c) !== effective(c);
      if (c.transaction) {
        c.scheduled = changed || !!c.scheduled;
        scheduled ||= c.scheduled;
      } else if (changed || (c.status === 'Unavailable') !== !effective(c)) {
        now.push(c);
        if (!effective(c)) c.starting = false; // an Unavailable connector drops a pending remote start
      }
    }
    if (connectorId === 0 && scheduled) this.stationScheduled = stationChanged || this.stationScheduled;
    this.emit('availabilityChanged', { connectorId, type: params.type, scheduled });
    this.tasks.later(0, async () => {
      if (stationChanged && !scheduled) await this.bestEffortStatus(0, operative ? 'Available' : 'Unavailable');
      for (const c of now) await this.bestEffortStatus(c.id, effective(c) ? 'Available' : 'Unavailable');
    });
    return { status: scheduled ? 'Scheduled' : 'Accepted' };
  }

  /** DataTransfer from the CSMS (§5.6): the configured handler answers; without one every vendorId is unknown. */
  private onDataTransfer(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    if (behaviour === 'reject') return { status: 'Rejected' };
    if (behaviour === 'not_supported' || !this.options.dataTransfer) return { status: 'UnknownVendorId' };
    const request: DataTransferRequest = { vendorId: String(params.vendorId), messageId: params.messageId, data: params.data };
    const answer = this.options.dataTransfer(request);
    return answer.data === undefined ? { status: answer.status } : { status: answer.status, data: answer.data };
  }

  /** UpdateFirmware (§5.19): an empty conf at once; the update runs from retrieveDate on. 'reject': answered, nothing done. */
  private onUpdateFirmware(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    if (behaviour === 'not_supported') throw createRPCError('NotSupported', 'UpdateFirmware is not supported');
    if (behaviour !== 'accept') return {};
    const request = { location: String(params.location), retrieveDate: String(params.retrieveDate), retries: params.retries, retryInterval: params.retryInterval };
    this.emit('updateFirmware', request);
    this.tasks.later(0, () => this.firmware.start(request));
    return {};
  }

  /** GetDiagnostics (§5.9): answered with the file name, then uploaded. 'reject': no diagnostics available (no fileName). */
  private onGetDiagnostics(params: Record<string, any>, behaviour: CommandBehaviour): Record<string, unknown> {
    if (behaviour === 'not_supported') throw createRPCError('NotSupported', 'GetDiagnostics is not supported');
    if (behaviour !== 'accept') return {};
    const { answer, run } = this.diagnostics.prepare({
      location: String(params.location),
      retries: params.retries,
      retryInterval: params.retryInterval,
      startTime: params.startTime,
      stopTime: params.stopTime,
    });
    this.emit('getDiagnostics', { ...params, fileName: answer.fileName });
    this.tasks.later(0, run);
    return answer;
  }

  // ---- internals ------------------------------------------------------------------------

  private bootPayload(): Record<string, string> {
    return {
      chargePointVendor: this.options.vendor ?? 'Simulator',
      chargePointModel: this.options.model ?? 'SimCharger',
      chargePointSerialNumber: `SIM-${this.chargePointId}`.slice(0, 25),
      firmwareVersion: this.firmwareVersion,
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
      for (const c of this.connectors.values()) await this.statusNotification(c.id, c.transaction ? this.chargingStatus(c) : c.status);
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
    }, intervalS * this.secondMs);
    this.heartbeatTimer.unref();
  }

  private stopTimers(): void {
    this.smartCharging.cancel();
    this.stopMeterValuesLoop();
    for (const c of this.connectors.values()) this.stopSampler(c);
    this.stopHeartbeat();
    this.tasks.cancelPending();
  }

  private get idle(): boolean {
    return [...this.connectors.values()].every((c) => !c.transaction);
  }

  /** autoMeterValues: MeterValues every MeterValueSampleInterval while the transaction runs (0: none). */
  private startSampler(c: Connector): void {
    this.stopSampler(c);
    const intervalS = this.configuration.integer('MeterValueSampleInterval');
    if (!this.options.autoMeterValues || !(intervalS > 0) || !c.transaction) return;
    const tx = c.transaction;
    c.sampler = setInterval(() => {
      if (c.transaction !== tx) return this.stopSampler(c);
      this.advance(c.id, intervalS);
      const stopTxn = this.configuration.list('StopTxnSampledData');
      if (stopTxn.length > 0) tx.periodic.push({ timestamp: new Date().toISOString(), sampledValue: this.sample(c, 'Sample.Periodic', stopTxn) });
      this.tasks.track(this.sendMeterValues(c.id));
    }, intervalS * this.secondMs);
  }

  private stopSampler(c: Connector): void {
    if (c.sampler) clearInterval(c.sampler);
    c.sampler = undefined;
  }

  private get secondMs(): number {
    return this.options.secondMs ?? 1000;
  }

  private cacheIdTagInfo(idTag: string, info: IdTagInfo | undefined): void {
    // §3.5.3: "Identifiers known in the Local Authorization List SHALL NOT be added to the Authorization Cache."
    const listed = localListInUse(this.localStores()) ? this.localAuthList.lookup(idTag) : undefined;
    if (listed) {
      // The CSMS contradicts its own list: the charger says so (StatusNotification of connector 0, errorCode LocalListConflict).
      if (info && conflictsWithList(listed, info)) {
        this.emit('localListConflict', { idTag, listed, received: info });
        this.tasks.later(0, () => this.bestEffortStatus(0, this.stationOperative ? 'Available' : 'Unavailable', 'LocalListConflict'));
      }
      return;
    }
    if (this.configuration.flag('AuthorizationCacheEnabled')) this.authorizationCache.remember(idTag, info);
  }

  private get wiring(): { phases: 1 | 3; voltageV: number } {
    return { phases: this.options.phases ?? 3, voltageV: this.options.voltageV ?? 230 };
  }

  private get ev(): EvModel {
    return { maxPowerW: this.options.evMaxPowerW ?? this.options.defaultPowerW ?? 11_000, taperFromSoc: this.options.evTaperFromSoc ?? 80 };
  }

  /** 32 A per phase; a charger configured to draw more by default (defaultPowerW) is taken to have that hardware. */
  private hardwareMaxW(phases: number): number {
    const rated = MAX_CURRENT_A * phases * this.wiring.voltageV;
    return phases === this.wiring.phases ? Math.max(rated, this.options.defaultPowerW ?? 0) : rated;
  }

  /** The status of a connector whose transaction runs. */
  private chargingStatus(c: Connector): string {
    return c.suspendedByLimit ? 'SuspendedEVSE' : 'Charging';
  }

  /**
   * Recomputes what the connector draws: min(offered limit, the car's demand), the demand being
   * setPower()'s override or the car's acceptance (EV maximum, taper by SoC) within the hardware
   * maximum. A limit below 6 A suspends charging (SuspendedEVSE) until it rises again.
   */
  private updatePower(c: Connector): void {
    if (this.options.smartCharging?.shareChargePointMax) this.updateAllPower();
    else if (c.transaction) this.applyPower(c, this.connectorPower(c));
  }

  /** Every charging connector, sharing the ChargePointMaxProfile's limit when `smartCharging.shareChargePointMax`. */
  private updateAllPower(): void {
    const charging = [...this.connectors.values()].filter((c) => c.transaction);
    const own = new Map(charging.map((c) => [c.id, this.connectorPower(c)]));
    const max = this.options.smartCharging?.shareChargePointMax ? this.smartCharging.chargePointMaxAt() : undefined;
    if (max?.limitW !== undefined) {
      const sharing = charging.filter((c) => !own.get(c.id)!.suspendedByLimit);
      const demands = sharing.map((c) => ({ id: c.id, demandW: own.get(c.id)!.powerW, minimumW: MIN_CHARGING_CURRENT_A * own.get(c.id)!.phases * this.wiring.voltageV }));
      for (const [id, share] of shareChargePointMax(demands, max.limitW)) own.set(id, { ...own.get(id)!, ...share });
    }
    for (const c of charging) this.applyPower(c, own.get(c.id)!);
  }

  /** What the connector would draw on its own (the charge point's maximum capping it alone). */
  private connectorPower(c: Connector): { powerW: number; suspendedByLimit: boolean; phases: number; limitW: number | undefined } {
    const { limitW, phases } = this.smartCharging.limitAt(c.id);
    const demandW = c.socPercent >= 100 ? 0 : (c.demandOverrideW ?? Math.min(evAcceptanceW(this.ev, c.socPercent), this.hardwareMaxW(phases)));
    return { ...drawnPower({ offeredLimitW: limitW, phases, voltageV: this.wiring.voltageV, demandW }), phases, limitW };
  }

  private applyPower(c: Connector, { powerW, suspendedByLimit, limitW }: { powerW: number; suspendedByLimit: boolean; limitW: number | undefined }): void {
    const before = c.powerW;
    c.powerW = powerW;
    c.suspendedByLimit = suspendedByLimit;
    if (before !== powerW) this.emit('powerChanged', { connectorId: c.id, powerW, offeredLimitW: limitW });
    // Only once the transaction reported Charging (not while Preparing / before StartTransaction is answered).
    const wanted = this.chargingStatus(c);
    if ((c.status === 'Charging' || c.status === 'SuspendedEVSE') && c.status !== wanted) {
      c.status = wanted;
      this.tasks.later(0, () => this.bestEffortStatus(c.id, wanted)); // after the reply to the command that changed the limit
    }
  }

  /** What the Smart Charging profile needs from this charger. */
  private smartChargingHost(): SmartChargingHost {
    return {
      logger: this.logger,
      configuration: this.configuration,
      wiring: this.wiring,
      connectorIds: () => [...this.connectors.keys()],
      transaction: (id) => this.connectors.get(id)?.transaction,
      hardwareMaxW: (phases) => this.hardwareMaxW(phases),
      limitsChanged: () => this.updateAllPower(),
      emit: (event, value) => this.emit(event, value),
    };
  }

  /** What the firmware and diagnostics procedures need from this charger. */
  private host(): FirmwareHost & DiagnosticsHost {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const cp = this;
    return {
      chargePointId: this.chargePointId,
      logger: this.logger,
      get secondMs() {
        return cp.secondMs;
      },
      notify: (action, payload) => notifyIfOnline(this.client, this.online, this.logger, action, payload),
      goOffline: () => this.dropConnection(),
      emit: (event, value) => this.emit(event, value),
      whenIdle: async () => {
        while (!this.idle && !this.closed) await delay(50);
      },
      reboot: (firmwareVersion) => this.reboot(firmwareVersion),
      diagnosticsLines: () => [
        `firmwareVersion=${this.firmwareVersion}`,
        ...[...this.connectors.values()].map((c) => `connector ${c.id}: ${c.status}${c.transaction ? ` transaction ${c.transaction.id ?? '(pending)'}` : ''}`),
        ...[...this.configuration].map(([key, value]) => `config ${key}=${value}`),
      ],
    };
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

  private async bestEffortStatus(connectorId: number, status: string, errorCode?: string): Promise<void> {
    try {
      await this.statusNotification(connectorId, status, errorCode);
    } catch (err) {
      this.logger.debug({ err, connectorId, status }, 'StatusNotification not sent');
    }
  }

  /**
   * One sampled value per measurand (default: MeterValuesSampledData, the energy register when that
   * is empty). `energyWh` fixes the register value (Transaction.Begin/End carry meterStart/meterStop).
   */
  private sample(c: Pick<Connector, 'energyWs' | 'powerW' | 'socPercent'> & { id?: number }, context: string, measurandsToSample?: string[], energyWh?: number): Record<string, string>[] {
    const configured = this.configuration.list('MeterValuesSampledData');
    const measurands = measurandsToSample ?? (configured.length > 0 ? configured : ['Energy.Active.Import.Register']);
    // The connector (or, without an id, the grid connection: connector 0) as the profiles limit it now.
    const { limitW, phases } = this.smartCharging.limitAt(c.id ?? 0);
    const hardwareW = this.hardwareMaxW(phases) * (c.id === undefined ? this.connectors.size : 1);
    const offeredW = Math.min(limitW ?? Infinity, hardwareW);
    const volts = this.wiring.voltageV;
    const values: Record<string, string> = {
      'Energy.Active.Import.Register': energyWh !== undefined ? String(energyWh) : decimalString(c.energyWs.div(3600), 3),
      'Power.Active.Import': decimalString(new Big(c.powerW), 1),
      'Current.Import': decimalString(new Big(c.powerW).div(volts * phases), 2),
      'Current.Offered': decimalString(new Big(offeredW).div(volts * phases), 1),
      Voltage: String(volts),
      SoC: decimalString(new Big(c.socPercent), 1),
    };
    return measurands
      .filter((m) => m in SAMPLED_MEASURANDS)
      .map((measurand) => ({
        value: values[measurand],
        context,
        format: 'Raw',
        measurand,
        location: SAMPLED_MEASURANDS[measurand].location,
        unit: SAMPLED_MEASURANDS[measurand].unit,
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
}
