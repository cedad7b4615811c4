/** StationOperationError codes (src/stations/station-operation-error.ts) → HTTP status: one table the type checker keeps complete. */
import { StationOperationError, type StationOperationErrorCode } from '../../stations/station-operation-error';

const statusByCode: Record<StationOperationErrorCode, number> = {
  unknown_station: 404,
  not_found: 404,
  already_running: 409,
  unsupported_transfer_protocol: 409,
  unknown_upload: 404,
  upload_already_used: 409,
  upload_expired: 410,
  upload_too_large: 413,
  invalid_upload: 400,
};

export function asStationOperationError(err: unknown): { status: number; code: StationOperationErrorCode; message: string } | null {
  return err instanceof StationOperationError ? { status: statusByCode[err.code], code: err.code, message: err.message } : null;
}
