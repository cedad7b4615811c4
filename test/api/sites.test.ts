/**
 * The operator's site routes over real HTTP against PostgreSQL (the load manager a stand-in: the
 * workflow behind them is tested in test/sites/*).
 */
import { startTestApi, type TestApi } from './support/api-harness';

describe('sites (operator API)', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
    for (const id of ['CP_S1', 'CP_S2']) {
      const res = await api.call('POST', '/v1/operator/chargers', { body: { stationId: id, password: 'site-charger-password' } });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  it('creates a site with a limit by time of day, assigns stations, and reads its allocation', async () => {
    const created = await api.call('POST', '/v1/operator/sites', {
      body: { id: 'depot', name: 'Depot', timeZone: 'Europe/Berlin', limitKw: '22', limitWindows: [{ from: '18:00', to: '06:00', limitKw: '11.5' }] },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBe('/v1/operator/sites/depot');
    expect(created.json).toMatchObject({ id: 'depot', limitKw: '22', timeZone: 'Europe/Berlin', limitWindows: [{ from: '18:00', to: '06:00', limitKw: '11.5' }], stations: [] });

    const assigned = await api.call('PUT', '/v1/operator/sites/depot/stations/CP_S1', { body: { maxPowerKw: '11' } });
    expect(assigned.status).toBe(200);
    expect(assigned.json.stations).toEqual([{ stationId: 'CP_S1', maxPowerKw: '11' }]);

    const changed = await api.call('PATCH', '/v1/operator/sites/depot', { body: { limitKw: '18.5' } });
    expect(changed.json.limitKw).toBe('18.5');

    const allocation = await api.call('GET', '/v1/operator/sites/depot/allocation');
    expect(allocation.status).toBe(200);
    expect(allocation.json).toMatchObject({ siteId: 'depot', stationIds: ['CP_S1'], sessions: [] });
    expect([18_500, 11_500]).toContain(allocation.json.limitW);

    const listed = await api.call('GET', '/v1/operator/sites');
    expect(listed.json.sites.map((s: any) => s.id)).toEqual(['depot']);
  });

  it('a station is in at most one site: 409 station_in_other_site; unknown site or station 404; a site id taken 409', async () => {
    await api.call('POST', '/v1/operator/sites', { body: { id: 'yard', name: 'Yard', limitKw: '50' } });
    await api.call('PUT', '/v1/operator/sites/yard/stations/CP_S2', { body: {} });
    const again = await api.call('PUT', '/v1/operator/sites/depot/stations/CP_S2', { body: {} });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe('station_in_other_site');
    expect((await api.call('PUT', '/v1/operator/sites/nowhere/stations/CP_S2', { body: {} })).status).toBe(404);
    expect((await api.call('PUT', '/v1/operator/sites/yard/stations/CP_NONE', { body: {} })).status).toBe(404);
    expect((await api.call('POST', '/v1/operator/sites', { body: { id: 'yard', name: 'Yard', limitKw: '50' } })).json.error.code).toBe('site_exists');
    expect((await api.call('GET', '/v1/operator/sites/nowhere/allocation')).status).toBe(404);

    const removed = await api.call('DELETE', '/v1/operator/sites/yard/stations/CP_S2');
    expect(removed.json.stations).toEqual([]);
    expect((await api.call('PUT', '/v1/operator/sites/depot/stations/CP_S2', { body: {} })).status).toBe(200);
  });

  it('bad input is a 400 naming the field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ id: 'x', name: 'X', limitKw: '-1' }, 'body.limitKw'],
      [{ id: 'x', name: 'X', limitKw: '22', limitWindows: [{ from: '18:00', to: '18:00', limitKw: '11' }] }, 'body.limitWindows.0.to'],
      [{ id: 'x', name: 'X', limitKw: '22', limitWindows: [{ from: '25:00', to: '18:00', limitKw: '11' }] }, 'body.limitWindows.0.from'],
      [{ id: 'x y', name: 'X', limitKw: '22' }, 'body.id'],
      [{ id: 'x', name: 'X', limitKw: '22', timeZone: 'Mars/Olympus' }, 'body.timeZone'],
    ];
    for (const [body, field] of cases) {
      const res = await api.call('POST', '/v1/operator/sites', { body });
      expect(res.status).toBe(400);
      expect(res.json.error.details.map((d: any) => d.field)).toContain(field);
    }
    const zero = await api.call('PUT', '/v1/operator/sites/depot/stations/CP_S1', { body: { maxPowerKw: '0' } });
    expect(zero.status).toBe(400);
    expect(zero.json.error.details[0].field).toBe('body.maxPowerKw');
  });
});
