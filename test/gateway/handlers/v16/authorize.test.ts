import { authorize } from '../../../../src/gateway/handlers/v16/authorize';
import { handlerWorld } from '../../support/handler-context';

describe('Authorize (OCPP 1.6)', () => {
  it('answers a registered tag case-insensitively with its expiry and parent', async () => {
    const { ctx, storage } = handlerWorld();
    storage.addIdTag('04A2BC', { expiryDate: '2030-01-01T00:00:00.000Z', parentIdTag: 'FLEET' });
    expect(await authorize(ctx, { idTag: '04a2bc' })).toEqual({ idTagInfo: { status: 'Accepted', expiryDate: '2030-01-01T00:00:00.000Z', parentIdTag: 'FLEET' } });
  });

  it('answers Invalid for an unknown tag and Expired for an Accepted tag past its expiry', async () => {
    const { ctx, storage } = handlerWorld();
    storage.addIdTag('OLD', { expired: true });
    expect((await authorize(ctx, { idTag: 'NOPE' })).idTagInfo.status).toBe('Invalid');
    expect((await authorize(ctx, { idTag: 'OLD' })).idTagInfo.status).toBe('Expired');
  });

  it('never answers ConcurrentTx, even for a tag in a running transaction (the card that stops it is checked this way)', async () => {
    const { ctx, storage } = handlerWorld();
    storage.addIdTag('BUSY').addAppSession({ sessionId: 'sess-1', stationId: 'CP_UNIT', connectorId: 1, idTag: 'BUSY' });
    storage.session('sess-1')!.transactionId = 7;
    expect((await authorize(ctx, { idTag: 'BUSY' })).idTagInfo.status).toBe('Accepted');
  });

  it('answers Invalid for a tag not admitted at a station restricted to access groups', async () => {
    const { ctx, storage } = handlerWorld();
    storage.addIdTag('ELSEWHERE', { admittedHere: false, driverId: 'bob' });
    expect(await authorize(ctx, { idTag: 'ELSEWHERE' })).toEqual({ idTagInfo: { status: 'Invalid' } });
  });
});
