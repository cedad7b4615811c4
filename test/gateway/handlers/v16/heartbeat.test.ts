import { heartbeat } from '../../../../src/gateway/handlers/v16/heartbeat';
import { handlerWorld } from '../../support/handler-context';

describe('Heartbeat (OCPP 1.6)', () => {
  it('answers the current time and takes up a registration status the operator changed', async () => {
    const { ctx, storage } = handlerWorld({ registration: 'Pending' });
    storage.credentialsById.get('CP_UNIT')!.registrationStatus = 'Accepted';
    const answer = await heartbeat(ctx, {});
    expect(Math.abs(Date.parse(answer.currentTime) - Date.now())).toBeLessThan(5000);
    expect(ctx.registration.status).toBe('Accepted');
    expect(storage.heartbeats).toEqual(['CP_UNIT']);
  });

  it('is answered even when the heartbeat cannot be stored', async () => {
    const { ctx, storage } = handlerWorld();
    storage.stations.recordHeartbeat = () => Promise.reject(new Error('database down'));
    await expect(heartbeat(ctx, {})).resolves.toHaveProperty('currentTime');
    expect(ctx.registration.status).toBe('Accepted');
  });
});
