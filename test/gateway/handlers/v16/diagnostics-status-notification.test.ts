import { diagnosticsStatusNotification } from '../../../../src/gateway/handlers/v16/diagnostics-status-notification';
import { handlerWorld } from '../../support/handler-context';

describe('DiagnosticsStatusNotification (OCPP 1.6)', () => {
  it('records the station’s diagnostics upload status, then tells its diagnostics request', async () => {
    const { ctx, storage, stationEvents } = handlerWorld();
    expect(await diagnosticsStatusNotification(ctx, { status: 'Uploaded' })).toEqual({});
    expect(storage.diagnostics).toEqual([{ stationId: 'CP_UNIT', status: 'Uploaded' }]);
    expect(stationEvents.events).toEqual([{ kind: 'diagnosticsStatus', event: { stationId: 'CP_UNIT', status: 'Uploaded', at: expect.any(String) } }]);
  });

  it('answers the station even when the request cannot be told: the status is stored', async () => {
    const { ctx, storage, stationEvents } = handlerWorld();
    stationEvents.failing = true;
    expect(await diagnosticsStatusNotification(ctx, { status: 'UploadFailed' })).toEqual({});
    expect(storage.diagnostics).toEqual([{ stationId: 'CP_UNIT', status: 'UploadFailed' }]);
  });
});
