/**
 * The contract of the commands the CSMS sends to chargers. They run as Temporal
 * activities on the task queue of the gateway process that holds the charger
 * (`ocpp-gateway.<gatewayId>`); workflows reach them with
 * `proxyActivities<ChargerCommandActivities>({ taskQueue })`.
 *
 * Pure types and constants only: imported by workflow code.
 */
import type {
  CancelReservationRequest,
  CancelReservationResponse,
  ChangeAvailabilityRequest,
  ChangeAvailabilityResponse,
  ChangeConfigurationRequest,
  ChangeConfigurationResponse,
  ClearCacheRequest,
  ClearCacheResponse,
  ClearChargingProfileRequest,
  ClearChargingProfileResponse,
  DataTransferRequest,
  DataTransferResponse,
  GetCompositeScheduleRequest,
  GetCompositeScheduleResponse,
  GetConfigurationRequest,
  GetConfigurationResponse,
  GetDiagnosticsRequest,
  GetDiagnosticsResponse,
  GetLocalListVersionRequest,
  GetLocalListVersionResponse,
  IdTagInfo,
  RemoteStartTransactionRequest,
  RemoteStartTransactionResponse,
  RemoteStopTransactionRequest,
  RemoteStopTransactionResponse,
  ReserveNowRequest,
  ReserveNowResponse,
  ResetRequest,
  ResetResponse,
  SendLocalListRequest,
  SendLocalListResponse,
  SetChargingProfileRequest,
  SetChargingProfileResponse,
  TriggerMessageRequest,
  TriggerMessageResponse,
  UnlockConnectorRequest,
  UnlockConnectorResponse,
  UpdateFirmwareRequest,
  UpdateFirmwareResponse,
} from './ocpp16-messages';

export const gatewayTaskQueue = (gatewayId: string): string => `ocpp-gateway.${gatewayId}`;

/** ApplicationFailure types raised by the command activities. */
export const ChargerCommandErrors = {
  /** The charger is not connected to this gateway (retryable: it may reconnect, possibly elsewhere). */
  NotConnected: 'ChargerNotConnected',
  /** The charger did not answer within the command timeout (retryable). */
  ResponseTimeout: 'ChargerResponseTimeout',
  /** The charger answered with a CALLERROR (non-retryable); details[0] = { errorCode, errorDescription, errorDetails }. */
  CallError: 'OcppCallError',
  /**
   * The charger answered with a CALLRESULT that breaks the OCPP 1.6 schema (non-retryable: it is
   * no CALLERROR, but the charger's definite, unusable answer); details[0] = { errorCode,
   * errorDescription, errorDetails } with the OCPP-J code of the violation.
   */
  InvalidResponse: 'ChargerInvalidResponse',
  /**
   * The charger's registration is not Accepted (OCPP 1.6 §4.2), so the command was not sent
   * (non-retryable): RemoteStart/StopTransaction need Accepted; a Rejected charger gets nothing.
   * details[0] = { registrationStatus }.
   */
  NotAccepted: 'ChargerNotAccepted',
} as const;

/** Why a command to a station did not work: the one vocabulary from the gateway's socket to the API's HTTP status. */
export type ChargerCommandErrorCode = (typeof ChargerCommandErrors)[keyof typeof ChargerCommandErrors];

/** The station's own definite answer (a CALLERROR, or a reply that breaks the schema): not asked again. */
export function stationAnswered(code: ChargerCommandErrorCode): boolean {
  return code === ChargerCommandErrors.CallError || code === ChargerCommandErrors.InvalidResponse;
}

export interface OcppCallErrorDetails {
  errorCode: string;
  errorDescription: string;
  errorDetails: unknown;
}

export type IdTagStatus = IdTagInfo['status'];

export type ConfigurationKey = NonNullable<GetConfigurationResponse['configurationKey']>[number];

/**
 * GetBaseReport (OCPP 2.0.1 B07): the station reports its device model in NotifyReport messages
 * under `requestId`. OCPP 1.6 has no such message: a 1.6 station fails it as NotSupported (a
 * CALLERROR, as for a profile it lacks) without anything being sent.
 */
export interface BaseReportRequest {
  reportBase: 'ConfigurationInventory' | 'FullInventory' | 'SummaryInventory';
}
export interface BaseReportResponse {
  status: 'Accepted' | 'Rejected' | 'NotSupported' | 'EmptyResultSet';
  /** What the NotifyReport messages that follow carry. */
  requestId: number;
}

/** The contract's commands that OCPP 1.6 has no message for, by action name (request, then answer). */
export interface ContractOnlyRequests {
  GetBaseReport: BaseReportRequest;
}
export interface ContractOnlyResponses {
  GetBaseReport: BaseReportResponse;
}

/** A command's OCPP 1.6 request, addressed to a station. */
type To<Request> = { stationId: string } & Request;

/** Each command is its OCPP 1.6 request and answer (src/ocpp/ocpp16-messages.ts), addressed by station id. */
export interface ChargerCommandActivities {
  remoteStartTransaction(req: To<RemoteStartTransactionRequest>): Promise<RemoteStartTransactionResponse>;
  remoteStopTransaction(req: To<RemoteStopTransactionRequest>): Promise<RemoteStopTransactionResponse>;
  /** Both lists are always there (empty when the station leaves one out). */
  getConfiguration(req: To<GetConfigurationRequest>): Promise<Required<GetConfigurationResponse>>;
  changeConfiguration(req: To<ChangeConfigurationRequest>): Promise<ChangeConfigurationResponse>;
  triggerMessage(req: To<TriggerMessageRequest>): Promise<TriggerMessageResponse>;
  reset(req: To<ResetRequest>): Promise<ResetResponse>;
  unlockConnector(req: To<UnlockConnectorRequest>): Promise<UnlockConnectorResponse>;
  changeAvailability(req: To<ChangeAvailabilityRequest>): Promise<ChangeAvailabilityResponse>;
  clearCache(req: To<ClearCacheRequest>): Promise<ClearCacheResponse>;
  dataTransfer(req: To<DataTransferRequest>): Promise<DataTransferResponse>;
  /** The answer is empty: progress comes as FirmwareStatusNotification (src/stations/station-events.ts). */
  updateFirmware(req: To<UpdateFirmwareRequest>): Promise<UpdateFirmwareResponse>;
  /** No fileName: the charger has no diagnostics to upload. Progress comes as DiagnosticsStatusNotification. */
  getDiagnostics(req: To<GetDiagnosticsRequest>): Promise<GetDiagnosticsResponse>;
  /** Local Auth List Management (§5.15, §5.10). */
  sendLocalList(req: To<SendLocalListRequest>): Promise<SendLocalListResponse>;
  getLocalListVersion(req: To<GetLocalListVersionRequest>): Promise<GetLocalListVersionResponse>;
  /** Reservation (§5.13, §5.1). */
  reserveNow(req: To<ReserveNowRequest>): Promise<ReserveNowResponse>;
  cancelReservation(req: To<CancelReservationRequest>): Promise<CancelReservationResponse>;
  /** Smart Charging (§5.16, §5.5, §5.7). */
  setChargingProfile(req: To<SetChargingProfileRequest>): Promise<SetChargingProfileResponse>;
  clearChargingProfile(req: To<ClearChargingProfileRequest>): Promise<ClearChargingProfileResponse>;
  getCompositeSchedule(req: To<GetCompositeScheduleRequest>): Promise<GetCompositeScheduleResponse>;
  /** Device model (2.0.1 only; ContractOnlyRequests). */
  getBaseReport(req: To<BaseReportRequest>): Promise<BaseReportResponse>;
}

/** Where a charger's live connection is held (from PostgreSQL), for routing commands. */
export interface ChargerRoute {
  stationId: string;
  online: boolean;
  gatewayId: string | null;
  taskQueue: string | null;
  connectionEpoch: number | null;
}
