/**
 * The station's optional functional blocks of OCPP 2.0.1, each in its own module, behind one
 * facade the station calls: the Local Authorization List commands (D), reservations (H), smart
 * charging (K), firmware updates (L) and log uploads (N).
 */
import type { Logger } from '../../logger';
import type { DeviceModel } from './device-model';
import type { IdToken, LocalAuthorizationList } from './local-list';
import { Reservation201, ReservationBook201 } from './reservations';
import { ChargingProfile201, SmartCharging201 } from './charging-profiles';
import { FirmwareUpdate201 } from './firmware';
import { LogUpload201 } from './logs';

export type CommandHandler = (params: Record<string, any>) => unknown | Promise<unknown>;

export interface EvseState {
  status: string;
  operative: boolean;
  faulted: boolean;
  busy: boolean;
  transactionId?: string;
  startedAt?: string;
}

/** What the feature modules need from the station. */
export interface StationHost {
  readonly deviceModel: DeviceModel;
  readonly secondMs: number;
  readonly logger: Logger;
  readonly localList: LocalAuthorizationList;
  evseIds(): number[];
  evseState(id: number): EvseState;
  /** Sends the EVSE's StatusNotification as it now is (best effort). */
  reportStatus(id: number): Promise<void>;
  /** Sends a notification; false when offline or not answered. */
  notify(action: string, payload: object): Promise<boolean>;
  handle(action: string, handler: CommandHandler): void;
  later(ms: number, task: () => Promise<unknown>): void;
  emit(event: string, value: unknown): void;
  powerLimitsChanged(): void;
  whenIdle(): Promise<void>;
  reboot(reason: string, techInfo?: string): Promise<void>;
  setFirmwareVersion(version: string): void;
  securityEvent(type: string, techInfo?: string): Promise<void>;
  /** The content of an uploaded log. */
  logLines(): string[];
  readonly options: { firmware?: { stepMs?: number; fail?: 'download' | 'install' }; logs?: { stepMs?: number; fail?: boolean }; defaultPowerW?: number };
}

export class StationFeatures {
  readonly reservations: ReservationBook201;
  readonly smartCharging: SmartCharging201;
  readonly firmware: FirmwareUpdate201;
  readonly logs: LogUpload201;

  constructor(private readonly host: StationHost) {
    this.registerLocalList();
    this.reservations = new ReservationBook201(host);
    this.smartCharging = new SmartCharging201(host);
    this.firmware = new FirmwareUpdate201(host);
    this.logs = new LogUpload201(host, () => host.logLines());
  }

  /** D01/D02: SendLocalList and GetLocalListVersion (0 when the list is disabled or was never sent). */
  private registerLocalList(): void {
    const { host } = this;
    host.handle('SendLocalList', (p) => {
      if (!host.deviceModel.flag('LocalAuthListCtrlr.Enabled')) return { status: 'Failed' };
      const capacity = host.deviceModel.byKey('LocalAuthListCtrlr.Entries')?.maxLimit ?? Infinity;
      const status = host.localList.update(p as any, capacity);
      if (status === 'Accepted') host.deviceModel.setInternal('LocalAuthListCtrlr.Entries', String(host.localList.size));
      host.emit('localListUpdated', { versionNumber: p.versionNumber, updateType: p.updateType, status, entries: host.localList.size });
      return { status };
    });
    host.handle('GetLocalListVersion', () => ({ versionNumber: host.deviceModel.flag('LocalAuthListCtrlr.Enabled') ? host.localList.version : 0 }));
  }

  /** The reservation this token may use on the EVSE; 'other' when the EVSE is reserved for someone else. */
  reservationFor(evseId: number, token: IdToken): Reservation201 | undefined | 'other' {
    return this.reservations.reservationFor(evseId, token);
  }

  reservationUsed(id: number): void {
    this.reservations.used(id);
  }

  reservedEvse(evseId: number): boolean {
    return this.reservations.reserved(evseId);
  }

  /** The EVSE became Faulted or Unavailable. */
  evseLost(evseId: number): Promise<void> {
    return this.reservations.evseLost(evseId);
  }

  /** What the EVSE may draw of `demandW` under the charging profiles. */
  limitPower(evseId: number, demandW: number): number {
    const limit = this.smartCharging.limitW(evseId);
    return limit === undefined ? demandW : Math.min(demandW, limit);
  }

  /** The composite limit on the EVSE now, W (undefined: none). */
  offeredW(evseId: number): number | undefined {
    return this.smartCharging.limitW(evseId);
  }

  /** F01: a TxProfile given with RequestStartTransaction must be valid (its transaction does not exist yet). */
  acceptsRemoteStartProfile(profile: Record<string, any>, evseId = 1): boolean {
    return this.smartCharging.problem(evseId, profile as ChargingProfile201, true) === undefined;
  }

  installRemoteStartProfile(evseId: number, profile: Record<string, any>): void {
    this.smartCharging.install(evseId, profile as ChargingProfile201);
  }

  transactionStarted(evseId: number, transactionId: string): void {
    this.smartCharging.transactionStarted(evseId, transactionId);
  }

  transactionEnded(evseId: number): void {
    this.smartCharging.transactionEnded(evseId);
  }

  /** TriggerMessage FirmwareStatusNotification / LogStatusNotification. */
  async triggered(message: string): Promise<void> {
    if (message === 'FirmwareStatusNotification') await this.firmware.triggered();
    else await this.logs.triggered();
  }

  booted(): void {
    this.host.later(0, () => this.firmware.booted());
  }

  rebooted(): void {
    this.logs.cancel();
  }

  shutdown(): void {
    this.reservations.shutdown();
    this.firmware.cancel();
    this.logs.cancel();
  }
}
