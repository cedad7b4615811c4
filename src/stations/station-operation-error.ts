/**
 * Refusals of the station operations (firmware updates, rollouts, diagnostics and their uploads),
 * with a code a machine can act on; the API answers each with one HTTP status
 * (src/api/http/station-operation-status.ts). Pure: the API imports it without loading Temporal.
 */
export type StationOperationErrorCode =
  | 'unknown_station'
  | 'not_found'
  /** One firmware update and one diagnostics request per station at a time. */
  | 'already_running'
  /** The station can only transfer files by FTP (SupportedFileTransferProtocols); this CSMS serves HTTP uploads. */
  | 'unsupported_transfer_protocol'
  | 'unknown_upload'
  | 'upload_already_used'
  | 'upload_expired'
  | 'upload_too_large'
  | 'invalid_upload';

export class StationOperationError extends Error {
  override readonly name = 'StationOperationError';
  constructor(
    readonly code: StationOperationErrorCode,
    message: string,
  ) {
    super(message);
  }
}
