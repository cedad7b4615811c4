/** Vendor-specific DataTransfer handlers, by vendorId. Without one, the answer is UnknownVendorId. */
import type { DataTransferRequest as OcppDataTransferRequest, DataTransferResponse } from '../ocpp/ocpp16-messages';

export type DataTransferRequest = { stationId: string } & OcppDataTransferRequest;
export type { DataTransferResponse };

export type DataTransferHandler = (request: DataTransferRequest) => Promise<DataTransferResponse> | DataTransferResponse;

export class DataTransferRegistry {
  private readonly handlers = new Map<string, DataTransferHandler>();

  register(vendorId: string, handler: DataTransferHandler): void {
    this.handlers.set(vendorId, handler);
  }

  unregister(vendorId: string): void {
    this.handlers.delete(vendorId);
  }

  async handle(request: DataTransferRequest): Promise<DataTransferResponse> {
    const handler = this.handlers.get(request.vendorId);
    if (!handler) return { status: 'UnknownVendorId' };
    return handler(request);
  }
}
