import type { DataTransferRequest, DataTransferResponse } from '../../../ocpp/ocpp201-messages';
import type { Handler } from '../handler';
import { dataTransfer as dataTransfer16 } from '../v16/data-transfer';

/**
 * P01: as for 1.6 (the vendor's handler in the DataTransferRegistry answers, UnknownVendorId
 * without one; logged with that answer). 2.0.1's `data` may be any JSON value: a string is passed
 * on as it is, anything else as its JSON text, which is also what the log stores.
 */
export const dataTransfer: Handler<DataTransferRequest, DataTransferResponse> = (ctx, request) =>
  dataTransfer16(ctx, {
    vendorId: request.vendorId,
    ...(request.messageId === undefined ? {} : { messageId: request.messageId }),
    ...(request.data === undefined ? {} : { data: typeof request.data === 'string' ? request.data : JSON.stringify(request.data) }),
  });
