import { firmwareStatusNotification } from '../../../../src/gateway/handlers/v16/firmware-status-notification';
import { handlerWorld } from '../../support/handler-context';

describe('FirmwareStatusNotification (OCPP 1.6)', () => {
  it('records the station’s firmware update status, then tells its firmware update', async () => {
    const { ctx, storage, stationEvents } = handlerWorld();
    expect(await firmwareStatusNotification(ctx, { status: 'Installed' })).toEqual({});
    expect(storage.firmware).toEqual([{ stationId: 'CP_UNIT', status: 'Installed' }]);
    expect(stationEvents.events).toEqual([{ kind: 'firmwareStatus', event: { stationId: 'CP_UNIT', status: 'Installed', at: expect.any(String) } }]);
  });

  it('answers the station even when the firmware update cannot be told: the status is stored', async () => {
    const { ctx, storage, stationEvents } = handlerWorld();
    stationEvents.failing = true;
    expect(await firmwareStatusNotification(ctx, { status: 'Downloading' })).toEqual({});
    expect(storage.firmware).toEqual([{ stationId: 'CP_UNIT', status: 'Downloading' }]);
  });
});
