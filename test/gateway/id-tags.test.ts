/** Id tags are CiString20 (OCPP 1.6): "04A2BC" and "04a2bc" are one tag, kept in the spelling it was registered with. */
import { createGatewayHarness, type GatewayHarness } from './support/gateway-harness';

describe('id tags are case-insensitive', () => {
  let h: GatewayHarness;

  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.start();
    await h.addIdTag('04A2BC', { driverId: 'drv_case', expiryDate: new Date('2099-01-01T00:00:00Z') });
    await h.addIdTag('Blocked7', { status: 'Blocked' });
  });
  afterAll(() => h.close());

  it('Authorize finds a tag whatever the case the charger reads it in', async () => {
    await h.addCharger('CP_CASE_AUTH');
    const cp = h.chargePoint({ chargePointId: 'CP_CASE_AUTH' });
    await cp.connect();
    expect((await cp.authorize('04a2bc')).idTagInfo).toEqual({ status: 'Accepted', expiryDate: '2099-01-01T00:00:00.000Z' });
    expect((await cp.authorize('BLOCKED7')).idTagInfo.status).toBe('Blocked');
  });

  it('StartTransaction in another case is the same tag: its driver, and ConcurrentTx for a second start', async () => {
    await h.addCharger('CP_CASE_TX', undefined);
    const cp = h.chargePoint({ chargePointId: 'CP_CASE_TX', connectors: 2 });
    await cp.connect();
    const first = await cp.startTransaction(1, '04a2bc');
    expect(first.idTagInfo.status).toBe('Accepted');
    const ev = await h.events.waitFor('transactionStarted', (e) => e.transactionId === first.transactionId);
    expect(ev).toMatchObject({ driverId: 'drv_case' });
    expect((await cp.authorize('04A2BC')).idTagInfo.status).toBe('Accepted'); // ConcurrentTx is for StartTransaction only
    expect((await cp.startTransaction(2, '04A2bc')).idTagInfo.status).toBe('ConcurrentTx');
  });

  it('stores one tag per spelling-insensitive value, in the spelling it was registered with', async () => {
    await expect(h.db.pool.query(`INSERT INTO id_tags (id_tag) VALUES ('04a2bc')`)).rejects.toMatchObject({ code: '23505' });
    const { rows } = await h.db.pool.query(`SELECT id_tag FROM id_tags WHERE lower(id_tag) = '04a2bc'`);
    expect(rows).toEqual([{ id_tag: '04A2BC' }]);
  });
});
