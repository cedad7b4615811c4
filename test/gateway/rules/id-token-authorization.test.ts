import { authorizationForStart, type RegisteredIdTag } from '../../../src/gateway/rules/id-tag-authorization';
import { idTokenAuthorization, idTokenInfoOf } from '../../../src/gateway/rules/id-token-authorization';

const tag = (fields: Partial<RegisteredIdTag> = {}): RegisteredIdTag => ({ status: 'Accepted', expired: false, driverId: 'd1', ...fields });

describe('the id tag rules in OCPP 2.0.1 words', () => {
  it('an unregistered tag is Unknown, a tag not admitted at the station NotAtThisLocation (1.6 says Invalid to both)', () => {
    expect(idTokenAuthorization(null)).toEqual({ info: { status: 'Unknown' }, driverId: null });
    expect(idTokenAuthorization(tag({ admittedHere: false }))).toEqual({ info: { status: 'NotAtThisLocation' }, driverId: 'd1' });
    expect(idTokenAuthorization(tag({ status: 'Invalid' })).info).toEqual({ status: 'Invalid' });
  });

  it('an accepted tag past its expiry date is Expired; the expiry date is the cache expiry, the parent the group (type Central)', () => {
    expect(idTokenAuthorization(tag({ expired: true, expiryDate: '2020-01-01T00:00:00.000Z' })).info).toEqual({ status: 'Expired', cacheExpiryDateTime: '2020-01-01T00:00:00.000Z' });
    expect(idTokenAuthorization(tag({ parentIdTag: 'FLEET' })).info).toEqual({ status: 'Accepted', groupIdToken: { idToken: 'FLEET', type: 'Central' } });
  });

  it('carries a start-only answer over: ConcurrentTx stays ConcurrentTx', async () => {
    const t = tag();
    expect(idTokenInfoOf(await authorizationForStart(t, async () => true), t).info).toEqual({ status: 'ConcurrentTx' });
  });
});
