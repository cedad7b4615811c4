import { bootNotification } from '../../../../src/gateway/handlers/v16/boot-notification';
import { ignoredStationEvents } from '../../../../src/stations/station-events';
import { handlerWorld } from '../../support/handler-context';

const boot = { chargePointVendor: 'Acme', chargePointModel: 'Volt 22', firmwareVersion: '1.2.3' };

describe('BootNotification (OCPP 1.6)', () => {
  it('stores what the station reports and answers its stored registration status with the heartbeat interval', async () => {
    const { ctx, storage } = handlerWorld();
    const answer = await bootNotification(ctx, boot);
    expect(answer).toMatchObject({ status: 'Accepted', interval: 300 });
    expect(Date.parse(answer.currentTime)).not.toBeNaN();
    expect(storage.boots.get('CP_UNIT')).toEqual(boot);
  });

  it('holds the answered status on the connection, so a Pending station is gated by it from now on', async () => {
    const { ctx } = handlerWorld({ registration: 'Pending' });
    ctx.registration.status = 'Accepted'; // what the connection believed before the boot
    expect((await bootNotification(ctx, boot)).status).toBe('Pending');
    expect(ctx.registration.status).toBe('Pending');
  });

  it('tells a running firmware update the firmwareVersion booted with, and nobody else', async () => {
    const { ctx, storage, stationEvents } = handlerWorld();
    const firmwareBoots = () => stationEvents.events.filter((e) => e.kind === 'firmwareBoot');
    await bootNotification(ctx, boot);
    expect(firmwareBoots()).toEqual([]); // no update running: a reconnect storm costs no workflow calls
    storage.firmwareUpdating.add('CP_UNIT');
    await bootNotification(ctx, boot);
    expect(firmwareBoots()).toEqual([{ kind: 'firmwareBoot', event: { stationId: 'CP_UNIT', firmwareVersion: '1.2.3', at: expect.any(String) } }]);
    stationEvents.failing = true;
    expect((await bootNotification(ctx, boot)).status).toBe('Accepted'); // stored: answered even when it cannot be told
  });

  it('fails for a station the network does not know (the gateway answers InternalError)', async () => {
    const { ctx } = handlerWorld({ stationId: 'CP_NOBODY', storage: handlerWorld().storage });
    await expect(bootNotification(ctx, boot)).rejects.toThrow(/does not exist/);
  });

  it('makes an Accepted station due a configuration reconciliation, and a Pending one not', async () => {
    const due: unknown[] = [];
    const accepted = handlerWorld();
    accepted.ctx.stationEvents = { ...ignoredStationEvents, stationConfigurationDue: async (e) => void due.push(e) };
    await bootNotification(accepted.ctx, boot);
    const pending = handlerWorld({ registration: 'Pending' });
    pending.ctx.stationEvents = accepted.ctx.stationEvents;
    await bootNotification(pending.ctx, boot);
    expect(due).toEqual([{ stationId: 'CP_UNIT', trigger: 'boot' }]);
  });

  it('still answers the stored boot when the reconciliation cannot be started', async () => {
    const { ctx, storage } = handlerWorld();
    ctx.stationEvents = { ...ignoredStationEvents, stationConfigurationDue: async () => Promise.reject(new Error('Temporal unavailable')) };
    expect((await bootNotification(ctx, boot)).status).toBe('Accepted');
    expect(storage.boots.get('CP_UNIT')).toEqual(boot);
  });
});
