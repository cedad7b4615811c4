import { diagnosticsStatusNotification } from '../../../../src/gateway/handlers/v16/diagnostics-status-notification';
import { handlerWorld } from '../../support/handler-context';

describe('DiagnosticsStatusNotification (OCPP 1.6)', () => {
  it('records the station’s diagnostics upload status', async () => {
    const { ctx, storage } = handlerWorld();
    expect(await diagnosticsStatusNotification(ctx, { status: 'Uploaded' })).toEqual({});
    expect(storage.diagnostics).toEqual([{ stationId: 'CP_UNIT', status: 'Uploaded' }]);
  });
});
