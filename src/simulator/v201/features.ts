/**
 * The station's optional functional blocks of OCPP 2.0.1, each in its own module, behind one
 * facade the station calls: the Local Authorization List commands (D), reservations (H), smart
 * charging (K), firmware updates (L) and log uploads (N).
 */
import type { Logger } from '../../logger';
import type { DeviceModel } from './device-model';
import type { IdToken, LocalAuthorizationList } from './local-list';

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
  readonly options: { firmware?: { stepMs?: number; fail?: 'download' | 'install' }; logs?: { stepMs?: number; fail?: boolean }; defaultPowerW?: number };
}

export interface ReservationRef {
  id: number;
}

export class StationFeatures {
  constructor(private readonly host: StationHost) {
    this.registerLocalList();
  }

  /** D01/D02: SendLocalList and GetLocalListVersion (0 when the list is disabled or empty of versions). */
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
  reservationFor(_evseId: number, _token: IdToken): ReservationRef | undefined | 'other' {
    return undefined;
  }

  reservationUsed(_id: number): void {}

  reservedEvse(_evseId: number): boolean {
    return false;
  }

  /** What the EVSE may draw of `demandW` under the charging profiles. */
  limitPower(_evseId: number, demandW: number): number {
    return demandW;
  }

  /** The composite limit on the EVSE now, W (undefined: none). */
  offeredW(_evseId: number): number | undefined {
    return undefined;
  }

  acceptsRemoteStartProfile(_profile: Record<string, any>): boolean {
    return true;
  }

  installRemoteStartProfile(_evseId: number, _profile: Record<string, any>): void {}

  transactionStarted(_evseId: number, _transactionId: string): void {}

  transactionEnded(_evseId: number): void {}

  /** TriggerMessage FirmwareStatusNotification / LogStatusNotification. */
  async triggered(_message: string): Promise<void> {}

  booted(): void {}

  rebooted(): void {}

  shutdown(): void {}
}
