/**
 * What the API needs from the rest of the system, passed into createApiApp (no module globals).
 *
 * The session layer is described here by the methods the API calls, so the API depends on a
 * narrow port rather than on the whole SessionService / ChargerCommandService classes
 * (src/sessions/session-service.ts); those classes satisfy these interfaces structurally.
 */
import type { Client } from '@temporalio/client';
import type { Config } from '../config/config';
import type { Pool } from '../db/pool';
import type { Logger } from '../logger';
import type {
  ClearChargingProfileRequest,
  DataTransferRequest,
  DataTransferResponse,
  GetCompositeScheduleRequest,
  GetCompositeScheduleResponse,
  SetChargingProfileRequest,
  TriggerMessageRequest,
} from '../ocpp/ocpp16-messages';
import type { BaseReportRequest, BaseReportResponse } from '../ocpp/charger-commands';
import type { AvailabilityType } from '../stations/connector-availability';
import type { Receipt, SessionLimits, SessionState, StartOutcome, StopRequest } from '../../workflows/session-messages';
import type { DiagnosticsFile, DiagnosticsRequestOptions, DiagnosticsRequestView } from '../stations/diagnostics-service';
import type { FirmwareRolloutView, FirmwareUpdateRequest, FirmwareUpdateView } from '../stations/firmware-service';
import type { ReservationListFilter, ReservationRequest } from '../reservations/reservation-service';
import type { ReservationView } from '../reservations/reservation-rows';
import type { LocalListWaker } from '../stations/temporal-local-list-sync';
import type { AssignOutcome, SiteRecord, SiteWrite } from '../sites/site-service';
import type { SiteAllocationView } from '../../workflows/site-messages';
import type { SavedCard } from '../payments/payment-rows';
import type { RefundView, WebhookOutcome } from '../payments/payment-service';

export interface SessionPort {
  startSession(req: {
    stationId: string;
    connectorId: number;
    driverId: string | null;
    idTag: string;
    limits?: SessionLimits;
    waitMs: number;
  }): Promise<{ sessionId: string; outcome: StartOutcome }>;
  stopSession(sessionId: string, req: StopRequest, waitMs: number): Promise<{ receipt: Receipt } | { state: SessionState }>;
  getState(sessionId: string): Promise<SessionState | null>;
  getReceipt(sessionId: string): Promise<Receipt | null>;
  /** Current state at once, then every change; resolves when the session is terminal or `abort` fires. */
  watch(sessionId: string, onState: (state: SessionState) => void, abort: AbortSignal): Promise<void>;
}

export type SocEnableStatus = 'accepted' | 'already_enabled' | 'rejected' | 'reboot_required' | 'not_supported';

export type ChangeConfigurationStatus = 'Accepted' | 'Rejected' | 'RebootRequired' | 'NotSupported';

export interface ChargerCommandPort {
  /** GetConfiguration: every key the station has, or the keys named (those it does not know in unknownKey). */
  getConfiguration(stationId: string, keys?: string[]): Promise<{ configurationKey: Array<{ key: string; readonly: boolean; value?: string }>; unknownKey: string[] }>;
  /** ChangeConfiguration: the station's answer, whatever it is. */
  changeConfiguration(stationId: string, key: string, value: string): Promise<{ status: ChangeConfigurationStatus }>;
  checkSoc(stationId: string): Promise<{ supported: boolean; enabled: boolean; measurands: string[]; basis: string }>;
  enableSoc(stationId: string): Promise<{ status: SocEnableStatus }>;
  reset(stationId: string, type: 'Hard' | 'Soft'): Promise<unknown>;
  unlockConnector(stationId: string, connectorId: number): Promise<unknown>;
  /** TriggerMessage(BootNotification): a charger the operator just accepted learns it at once, not at its next boot. */
  requestBootNotification(stationId: string): Promise<unknown>;
  /** ChangeAvailability (connector 0: the whole station); an Accepted or Scheduled answer is recorded. */
  changeAvailability(stationId: string, connectorId: number, type: AvailabilityType): Promise<{ status: 'Accepted' | 'Rejected' | 'Scheduled' }>;
  triggerMessage(stationId: string, requestedMessage: TriggerMessageRequest['requestedMessage'], connectorId?: number): Promise<{ status: 'Accepted' | 'Rejected' | 'NotImplemented' }>;
  clearCache(stationId: string): Promise<{ status: 'Accepted' | 'Rejected' }>;
  /** GetLocalListVersion: the station's answer (0: empty list, -1: no local list supported or enabled). */
  getLocalListVersion(stationId: string): Promise<{ listVersion: number }>;
  dataTransfer(stationId: string, request: DataTransferRequest): Promise<DataTransferResponse>;
  /** Smart charging (§5.16, §5.5, §5.7): the station's answer, whatever it is. */
  setChargingProfile(stationId: string, request: SetChargingProfileRequest): Promise<{ status: 'Accepted' | 'Rejected' | 'NotSupported' }>;
  clearChargingProfile(stationId: string, request: ClearChargingProfileRequest): Promise<{ status: 'Accepted' | 'Unknown' }>;
  getCompositeSchedule(stationId: string, request: GetCompositeScheduleRequest): Promise<GetCompositeScheduleResponse>;
  /** GetBaseReport (OCPP 2.0.1 only): the station's answer and the requestId its NotifyReport messages carry. */
  getBaseReport(stationId: string, reportBase: BaseReportRequest['reportBase']): Promise<BaseReportResponse>;
  /** Starts the run that sends the station's declared profiles (stationChargingProfiles) and waits at most `waitMs` for it. */
  applyStationChargingProfiles(stationId: string, waitMs: number): Promise<void>;
}

/** Firmware updates and rollouts (src/stations/firmware-service.ts); refusals are StationOperationErrors. */
export interface FirmwarePort {
  requestUpdate(stationId: string, req: FirmwareUpdateRequest): Promise<FirmwareUpdateView>;
  getUpdate(updateId: string): Promise<FirmwareUpdateView | null>;
  listUpdates(stationId: string, limit: number): Promise<FirmwareUpdateView[]>;
  startRollout(req: FirmwareUpdateRequest & { stationIds: string[]; maxConcurrent: number }): Promise<FirmwareRolloutView>;
  getRollout(rolloutId: string): Promise<FirmwareRolloutView | null>;
}

/** Diagnostics requests, their one-time uploads and the stored files (src/stations/diagnostics-service.ts). */
export interface DiagnosticsPort {
  requestDiagnostics(stationId: string, options: DiagnosticsRequestOptions): Promise<DiagnosticsRequestView>;
  getRequest(stationId: string, requestId: string): Promise<DiagnosticsRequestView | null>;
  listRequests(stationId: string, limit: number): Promise<DiagnosticsRequestView[]>;
  checkUploadToken(token: string): Promise<{ requestId: string; stationId: string }>;
  receiveUpload(token: string, file: DiagnosticsFile): Promise<{ requestId: string; fileName: string; sizeBytes: number }>;
  getFile(stationId: string, requestId: string): Promise<DiagnosticsFile | null>;
}

/** Reservations (src/reservations/reservation-service.ts); refusals are ReservationErrors. */
export interface ReservationPort {
  /** `answered`: the charger answered ReserveNow within the wait. */
  create(req: ReservationRequest): Promise<{ reservation: ReservationView; answered: boolean }>;
  get(reservationId: number): Promise<ReservationView | null>;
  list(filter: ReservationListFilter): Promise<ReservationView[]>;
  cancel(reservationId: number, by: 'driver' | 'operator', waitMs: number): Promise<ReservationView>;
}

/** Sites and their load managers (src/sites/site-service.ts); a load manager out of reach is a SiteLoadManagerUnreachable. */
export interface SitePort {
  createSite(site: SiteWrite): Promise<SiteRecord | null>;
  updateSite(id: string, change: Partial<Omit<SiteWrite, 'id'>>): Promise<SiteRecord | null>;
  getSite(id: string): Promise<SiteRecord | null>;
  listSites(limit: number): Promise<SiteRecord[]>;
  assignStation(siteId: string, stationId: string, maxPowerKw: string | null): Promise<{ outcome: AssignOutcome; site: SiteRecord | null }>;
  removeStation(siteId: string, stationId: string): Promise<SiteRecord | null>;
  allocation(siteId: string): Promise<SiteAllocationView | null>;
}

/** Card payments (src/payments/payment-service.ts); refusals are PaymentErrors. */
export interface PaymentPort {
  /** null: no such driver. */
  savePaymentMethod(driverId: string, paymentMethodId: string): Promise<SavedCard | null>;
  /** null: the session has no card payment. */
  refund(sessionId: string, amount: string | undefined, reason: string | null): Promise<RefundView | null>;
  receiveWebhook(payload: Buffer, signatureHeader: string): Promise<WebhookOutcome>;
}

export interface ApiDeps {
  config: Config;
  pool: Pool;
  logger: Logger;
  sessions: SessionPort;
  chargerCommands: ChargerCommandPort;
  firmware: FirmwarePort;
  diagnostics: DiagnosticsPort;
  reservations: ReservationPort;
  sites: SitePort;
  temporalClient: Client;
  /** Card payments; absent: their routes answer 503. */
  payments?: PaymentPort;
  /** Wakes a station's local-list sync; default: signal-with-start on temporalClient (with the StationId search attribute). */
  localListWaker?: LocalListWaker;
  /** Tests: called for each answer that breaks the OpenAPI document (src/api/http/response-contract.ts). */
  onContractViolation?: (violation: string) => void;
  /** "Now" for the API's own time decisions (id tag expiry); default the system clock. */
  clock?: () => Date;
  /** Interval of SSE heartbeat comments; tests shorten it. */
  sseHeartbeatMs?: number;
}
