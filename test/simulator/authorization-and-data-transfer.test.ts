/** The Authorization Cache with ClearCache (OCPP 1.6 §3.5.1, §5.4) and DataTransfer from the CSMS (§5.6). */
import { useSimulatorHarness, sleep } from './support/harness';

const h = useSimulatorHarness('AUTH');

describe('authorization cache', () => {
  test('a tag the CSMS accepted starts while offline (LocalAuthorizeOffline); an unknown one does not', async () => {
    const cp = await h.connected();
    await expect(cp.presentIdTag(1, 'KNOWN')).resolves.toMatchObject({ started: true, authorizedBy: 'csms' });
    await cp.stopTransaction(1);
    cp.dropConnection();
    await sleep(50);
    await expect(cp.presentIdTag(1, 'STRANGER')).resolves.toMatchObject({ started: false, authorizedBy: 'none' });
    await expect(cp.presentIdTag(1, 'KNOWN')).resolves.toMatchObject({ started: true, authorizedBy: 'cache' });
    await cp.reconnect();
    await cp.drained();
    expect(h.csms.received(cp.chargePointId, ['StartTransaction']).map((c) => c.params.idTag)).toEqual(['KNOWN', 'KNOWN']);
  });

  test('the idTagInfo of StartTransaction.conf is cached too: a tag only ever started with is known offline', async () => {
    const cp = await h.connected();
    await cp.startTransaction(1, 'STARTED');
    await cp.stopTransaction(1);
    expect(h.csms.received(cp.chargePointId, ['Authorize'])).toHaveLength(0);
    cp.dropConnection();
    await sleep(50);
    await expect(cp.presentIdTag(1, 'STARTED')).resolves.toMatchObject({ started: true, authorizedBy: 'cache' });
  });

  test('the cache keeps the latest answer: a tag later refused is not started offline', async () => {
    const cp = await h.connected();
    await cp.authorize('FLIP');
    h.csms.responders.set('Authorize', () => ({ idTagInfo: { status: 'Blocked' } }));
    await expect(cp.presentIdTag(1, 'FLIP')).resolves.toMatchObject({ started: false, idTagInfo: { status: 'Blocked' } });
    cp.dropConnection();
    await sleep(50);
    await expect(cp.presentIdTag(1, 'FLIP')).resolves.toMatchObject({ started: false });
  });

  test('an expired cache entry does not start offline', async () => {
    h.csms.responders.set('Authorize', () => ({ idTagInfo: { status: 'Accepted', expiryDate: new Date(Date.now() + 50).toISOString() } }));
    const cp = await h.connected();
    await cp.authorize('SHORT');
    cp.dropConnection();
    await sleep(100);
    await expect(cp.presentIdTag(1, 'SHORT')).resolves.toMatchObject({ started: false, idTagInfo: { status: 'Expired' } });
  });

  test('ClearCache empties the cache (Accepted); a rejecting charger keeps it (Rejected)', async () => {
    const cp = await h.connected();
    await cp.authorize('A');
    cp.behaviour.ClearCache = 'reject';
    await expect(h.csms.command(cp.chargePointId, 'ClearCache', {})).resolves.toEqual({ status: 'Rejected' });
    expect(cp.authorizationCache.size).toBe(1);
    cp.behaviour.ClearCache = 'accept';
    await expect(h.csms.command(cp.chargePointId, 'ClearCache', {})).resolves.toEqual({ status: 'Accepted' });
    expect(cp.authorizationCache.size).toBe(0);
    cp.dropConnection();
    await sleep(50);
    await expect(cp.presentIdTag(1, 'A')).resolves.toMatchObject({ started: false });
  });

  test('with LocalAuthorizeOffline false, or AuthorizationCacheEnabled false, a cached tag does not start offline; AllowOfflineTxForUnknownId starts any', async () => {
    const noOffline = await h.connected({ configuration: { LocalAuthorizeOffline: 'false' } });
    await noOffline.authorize('T');
    noOffline.dropConnection();
    const noCache = await h.connected({ configuration: { AuthorizationCacheEnabled: 'false' } });
    await noCache.authorize('T');
    noCache.dropConnection();
    const anyTag = await h.connected({ configuration: { AllowOfflineTxForUnknownId: 'true' } });
    anyTag.dropConnection();
    await sleep(50);
    await expect(noOffline.presentIdTag(1, 'T')).resolves.toMatchObject({ started: false });
    await expect(noCache.presentIdTag(1, 'T')).resolves.toMatchObject({ started: false });
    await expect(anyTag.presentIdTag(1, 'WHOEVER')).resolves.toMatchObject({ started: true, authorizedBy: 'offline-unknown' });
  });

  test('LocalPreAuthorize starts a cached tag at once, without an Authorize', async () => {
    const cp = await h.connected({ configuration: { LocalPreAuthorize: 'true' } });
    await cp.authorize('FAST');
    await expect(cp.presentIdTag(1, 'FAST')).resolves.toMatchObject({ started: true, authorizedBy: 'cache' });
    expect(h.csms.received(cp.chargePointId, ['Authorize'])).toHaveLength(1);
  });

  test('AuthorizeRemoteTxRequests true: a remote start is authorized first, and a refused tag does not start', async () => {
    const cp = await h.connected({ configuration: { AuthorizeRemoteTxRequests: 'true' } });
    h.csms.responders.set('Authorize', () => ({ idTagInfo: { status: 'Invalid' } }));
    await expect(h.csms.command(cp.chargePointId, 'RemoteStartTransaction', { connectorId: 1, idTag: 'NOPE' })).resolves.toEqual({ status: 'Accepted' });
    await h.next(cp.chargePointId, (c) => c.action === 'StatusNotification' && c.params.status === 'Available', 2000);
    expect(h.labels(cp.chargePointId).slice(2)).toEqual(['Status:1:Preparing', 'Authorize', 'Status:1:Available']);
  });
});

describe('DataTransfer from the CSMS', () => {
  test('without a handler every vendor is unknown', async () => {
    const cp = await h.connected();
    await expect(h.csms.command(cp.chargePointId, 'DataTransfer', { vendorId: 'com.acme', messageId: 'x' })).resolves.toEqual({ status: 'UnknownVendorId' });
  });

  test('the handler answers Accepted with data, UnknownMessageId or Rejected; the reject behaviour answers Rejected', async () => {
    const cp = await h.connected({
      dataTransfer: ({ vendorId, messageId, data }) => {
        if (vendorId !== 'com.acme') return { status: 'UnknownVendorId' };
        if (messageId === 'echo') return { status: 'Accepted', data: `echo:${data}` };
        if (messageId === 'locked') return { status: 'Rejected' };
        return { status: 'UnknownMessageId' };
      },
    });
    const id = cp.chargePointId;
    await expect(h.csms.command(id, 'DataTransfer', { vendorId: 'com.acme', messageId: 'echo', data: 'hi' })).resolves.toEqual({ status: 'Accepted', data: 'echo:hi' });
    await expect(h.csms.command(id, 'DataTransfer', { vendorId: 'com.acme', messageId: 'what' })).resolves.toEqual({ status: 'UnknownMessageId' });
    await expect(h.csms.command(id, 'DataTransfer', { vendorId: 'com.acme', messageId: 'locked' })).resolves.toEqual({ status: 'Rejected' });
    await expect(h.csms.command(id, 'DataTransfer', { vendorId: 'org.other' })).resolves.toEqual({ status: 'UnknownVendorId' });
    cp.behaviour.DataTransfer = 'reject';
    await expect(h.csms.command(id, 'DataTransfer', { vendorId: 'com.acme', messageId: 'echo' })).resolves.toEqual({ status: 'Rejected' });
  });
});
