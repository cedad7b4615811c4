import { firmwareStatusNotification } from '../../../../src/gateway/handlers/v16/firmware-status-notification';
import { handlerWorld } from '../../support/handler-context';

describe('FirmwareStatusNotification (OCPP 1.6)', () => {
  it('records the station’s firmware update status', async () => {
    const { ctx, storage } = handlerWorld();
    expect(await firmwareStatusNotification(ctx, { status: 'Installed' })).toEqual({});
    expect(storage.firmware).toEqual([{ stationId: 'CP_UNIT', status: 'Installed' }]);
  });
});
