import { priceSession, recordReading, startUsage } from '../../src/billing';
import { getTariffVersion } from '../../src/api/stores/tariff-store';
import { loadTariffSnapshotForCharger } from '../../src/tariffs/tariff-repository';
import { renderReceiptPage } from '../../src/api/pages/receipt-page';
import type { Receipt } from '../../workflows/session-messages';
import { startTestApi, TestApi } from './support/api-harness';

describe('tariffs with pricing components', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  const full = {
    id: 'city',
    name: 'City',
    currency: 'EUR',
    ratePerKwh: '0.30',
    pricePerMinute: '0.01',
    sessionFee: '0.50',
    idleFeePerMinute: '0.10',
    idleGraceMinutes: 15,
    minPrice: '1',
    maxPrice: '50',
    taxRate: '0.19',
    pricesIncludeTax: true,
    rounding: 'total',
    timeOfUse: [{ name: 'Peak', days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '07:00', to: '22:00', energyPricePerKwh: '0.45' }],
  };

  it('creates a tariff with every component and reads them back exactly, at version 1', async () => {
    const res = await api.call('POST', '/v1/operator/tariffs', { body: full });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ ...full, ratePerKwh: '0.3', sessionFee: '0.5', idleFeePerMinute: '0.1', version: 1, isDefault: false });
    const { rows } = await api.db.pool.query(`SELECT session_fee::text, tax_rate::text, time_of_use FROM tariffs WHERE id = 'city'`);
    expect(rows[0]).toEqual({ session_fee: '0.500000', tax_rate: '0.190000', time_of_use: full.timeOfUse });
  });

  it('a plain tariff has no components and version 1', async () => {
    const res = await api.call('POST', '/v1/operator/tariffs', { body: { id: 'plain', name: 'Plain', currency: 'EUR', ratePerKwh: '0.25' } });
    expect(res.json).toMatchObject({ version: 1, pricePerMinute: null, sessionFee: null, taxRate: null, pricesIncludeTax: false, rounding: 'per_line', timeOfUse: [] });
  });

  it.each([
    [{ pricePerMinute: 0.01 }, 'body.pricePerMinute'],
    [{ idleGraceMinutes: -1 }, 'body.idleGraceMinutes'],
    [{ idleGraceMinutes: 1.5 }, 'body.idleGraceMinutes'],
    [{ taxRate: '1.5' }, 'body.taxRate'],
    [{ rounding: 'banker' }, 'body.rounding'],
    [{ minPrice: '5', maxPrice: '2' }, 'body.maxPrice'],
    [{ timeOfUse: [{ from: '22:00', to: '07:00', energyPricePerKwh: '0.1' }] }, 'body.timeOfUse.0.to'],
    [{ timeOfUse: [{ from: '7:00', to: '09:00', energyPricePerKwh: '0.1' }] }, 'body.timeOfUse.0.from'],
    [{ timeOfUse: [{ days: ['monday'], from: '07:00', to: '09:00', energyPricePerKwh: '0.1' }] }, 'body.timeOfUse.0.days.0'],
    [{ timeOfUse: [{ from: '07:00', to: '09:00', energyPricePerKwh: '-1' }] }, 'body.timeOfUse.0.energyPricePerKwh'],
  ])('rejects %j with 400 naming %s', async (fields, field) => {
    const res = await api.call('POST', '/v1/operator/tariffs', { body: { id: 'bad', name: 'Bad', currency: 'EUR', ratePerKwh: '0.25', ...fields } });
    expect(res.status).toBe(400);
    expect(res.json.error.details.map((d: { field: string }) => d.field)).toContain(field);
  });

  it('a PATCH that puts minPrice above the stored maxPrice is a 400 naming minPrice', async () => {
    const res = await api.call('PATCH', '/v1/operator/tariffs/city', { body: { minPrice: '60' } });
    expect(res.status).toBe(400);
    expect(res.json.error.details[0].field).toBe('body.minPrice');
  });

  it('every price change bumps the version, keeps the old version, and null removes a component', async () => {
    const patched = await api.call('PATCH', '/v1/operator/tariffs/city', { body: { sessionFee: null, ratePerKwh: '0.35' } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({ version: 2, sessionFee: null, ratePerKwh: '0.35' });
    // Only the default flag: not a new price, not a new version.
    const flagged = await api.call('PATCH', '/v1/operator/tariffs/city', { body: { isDefault: true } });
    expect(flagged.json.version).toBe(2);
    const v1 = await getTariffVersion(api.db.pool, 'city', 1);
    expect(v1).toMatchObject({ version: 1, sessionFee: '0.5', ratePerKwh: '0.3', timeOfUse: full.timeOfUse });
    expect((await getTariffVersion(api.db.pool, 'city', 2))?.ratePerKwh).toBe('0.35');
    // Exact beyond what a JavaScript number holds.
    await api.call('PATCH', '/v1/operator/tariffs/city', { body: { maxPrice: '123456789012.123456' } });
    expect((await getTariffVersion(api.db.pool, 'city', 3))?.maxPrice).toBe('123456789012.123456');
    const viaApi = await api.call('GET', '/v1/operator/tariffs/city/versions/1');
    expect(viaApi.status).toBe(200);
    expect(viaApi.json).toMatchObject({ id: 'city', version: 1, ratePerKwh: '0.3', sessionFee: '0.5', idleGraceMinutes: 15, pricesIncludeTax: true });
    expect((await api.call('GET', '/v1/operator/tariffs/city/versions/9')).status).toBe(404);
    expect((await api.call('GET', '/v1/operator/tariffs/city/versions/zero')).status).toBe(400);
  });

  it('a session keeps pricing by the snapshot it took at start when the tariff changes', async () => {
    // The operator places the station in its time zone; a zone the runtime does not know is refused.
    const bad = await api.call('POST', '/v1/operator/chargers', { body: { stationId: 'CP_T', password: 'station-cp-t-pass', tariffId: 'plain', timeZone: 'Mars/Olympus_Mons' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details[0]).toMatchObject({ field: 'body.timeZone', problem: expect.stringContaining('IANA') });
    const registered = await api.call('POST', '/v1/operator/chargers', { body: { stationId: 'CP_T', password: 'station-cp-t-pass', tariffId: 'plain' } });
    expect(registered.json.timeZone).toBe('UTC');
    const moved = await api.call('PATCH', '/v1/operator/chargers/CP_T', { body: { timeZone: 'Europe/Berlin' } });
    expect(moved.json).toMatchObject({ stationId: 'CP_T', timeZone: 'Europe/Berlin' });
    const snapshot = await loadTariffSnapshotForCharger(api.db.pool, 'CP_T', '2026-11-24T10:00:00Z');
    expect(snapshot).toEqual({ tariffId: 'plain', version: 1, name: 'Plain', currency: 'EUR', energyPricePerKwh: '0.25', timeZone: 'Europe/Berlin' });
    const usage = recordReading(snapshot!, startUsage(snapshot!, 154200, '2026-11-24T10:00:00Z'), { at: '2026-11-24T10:30:00Z', energyWh: '156700' });
    expect(priceSession(snapshot!, usage, '2026-11-24T10:30:00Z').total).toBe('0.63');
    await api.call('PATCH', '/v1/operator/tariffs/plain', { body: { ratePerKwh: '0.99', sessionFee: '5' } });
    // The running session still holds version 1 (the snapshot is data, not a reference).
    expect(priceSession(snapshot!, usage, '2026-11-24T10:30:00Z').total).toBe('0.63');
    // A new session gets version 2.
    const next = await loadTariffSnapshotForCharger(api.db.pool, 'CP_T', '2026-11-24T11:00:00Z');
    expect(next).toMatchObject({ version: 2, energyPricePerKwh: '0.99', sessionFee: '5' });
  });

  it('the OpenAPI document describes the new tariff fields', async () => {
    const doc = (await api.call('GET', '/openapi.json')).json;
    const text = JSON.stringify(doc);
    for (const field of ['idleFeePerMinute', 'timeOfUse', 'pricesIncludeTax', 'TimeOfUsePeriod']) expect(text).toContain(field);
  });
});

describe('the HTML receipt', () => {
  const receipt = {
    session_id: 'sess_1',
    transaction_id: 7,
    station_id: 'CP_1',
    connector_id: 1,
    driver_id: 'alice',
    status: 'completed',
    stop_reason: 'EVDisconnected',
    currency: 'EUR',
    meter_start: 154200,
    meter_stop: 156700,
    energy_kwh: 2.5,
    rate_per_kwh: 0.25,
    total_cost: 1.88,
    energy_kwh_exact: '2.5',
    rate_per_kwh_exact: '0.25',
    total_cost_exact: '1.88',
    soc: 74,
    start_time: '2026-11-24T10:00:00.000Z',
    end_time: '2026-11-24T10:30:00.000Z',
    flags: [],
    tariff_id: 'city',
    tariff_version: 2,
    line_items: [
      { component: 'energy', description: 'Energy', quantity: '2.5', unit: 'kWh', unit_price: '0.25', amount: '0.63' },
      { component: 'idle', description: 'Idle time <after> charging', quantity: '10', unit: 'min', unit_price: '0.1', amount: '1.00' },
    ],
    subtotal_exact: '1.63',
    tax_exact: '0.25',
    failure_reason: null,
  } as unknown as Receipt;

  it('lists every line item, the subtotal, tax and total, escaped, with a print stylesheet', () => {
    const html = renderReceiptPage(receipt);
    for (const text of ['Energy', '2.5 kWh', '0.63', 'Idle time &lt;after&gt; charging', '1.00', 'Subtotal', '1.63', 'Tax', '0.25', 'Total', '1.88', 'city v2']) {
      expect(html).toContain(text);
    }
    expect(html).toMatch(/@media print/);
  });
});
