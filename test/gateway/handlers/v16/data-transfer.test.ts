import { dataTransfer } from '../../../../src/gateway/handlers/v16/data-transfer';
import { handlerWorld } from '../../support/handler-context';

describe('DataTransfer (OCPP 1.6)', () => {
  it('answers UnknownVendorId without a handler for the vendor, and logs the request with that answer', async () => {
    const { ctx, storage } = handlerWorld();
    expect(await dataTransfer(ctx, { vendorId: 'com.acme', messageId: 'ping' })).toEqual({ status: 'UnknownVendorId' });
    expect(storage.dataTransferLog).toEqual([{ stationId: 'CP_UNIT', vendorId: 'com.acme', messageId: 'ping', status: 'UnknownVendorId' }]);
  });

  it('answers with the registered vendor handler, which sees the station id', async () => {
    const { ctx } = handlerWorld();
    ctx.dataTransfers.register('com.acme', (req) => ({ status: 'Accepted', data: `pong from ${req.stationId}` }));
    expect(await dataTransfer(ctx, { vendorId: 'com.acme', data: 'ping' })).toEqual({ status: 'Accepted', data: 'pong from CP_UNIT' });
  });
});
