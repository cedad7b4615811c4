/**
 * Text the database or a receipt cannot hold (U+0000 and the other control characters, unpaired
 * surrogates) is refused where it enters: a 400 naming the field, in every part of a request, and
 * nothing is stored.
 */
import { rawRequest } from '../reliability/support/raw-http';
import { startTestApi, operatorToken, TestApi } from './support/api-harness';

describe('text with control characters or unpaired surrogates', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
    await api.call('POST', '/v1/operator/tariffs', {
      body: { id: 'plain', name: 'Plain', currency: 'EUR', ratePerKwh: '0.25', timeOfUse: [{ name: 'Peak', from: '07:00', to: '22:00', energyPricePerKwh: '0.40' }] },
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  /** The JSON text as a client would send it (JSON.stringify writes a lone surrogate as \ud800). */
  const send = (method: string, path: string, body: unknown) =>
    rawRequest(api.url, { method, path, headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const refusal = (res: { status: number; text: string }) => ({ status: res.status, ...JSON.parse(res.text).error });
  const storedTariff = async () => (await api.db.pool.query(`SELECT name, time_of_use, version FROM tariffs WHERE id = 'plain'`)).rows[0];

  it('refuses a NUL in a driver name with a 400 naming body.name, and creates no driver', async () => {
    const res = await send('POST', '/v1/operator/drivers', { driverId: 'nul-driver', name: 'a\u0000b', idTags: ['NUL0001'] });
    expect(refusal(res)).toMatchObject({ status: 400, code: 'invalid_request', details: [{ field: 'body.name', problem: expect.stringContaining('U+0000 at position 1') }] });
    expect((await api.db.pool.query(`SELECT 1 FROM drivers WHERE id = 'nul-driver'`)).rowCount).toBe(0);
  });

  it('refuses a NUL in a tariff name and in a time-of-use period name, and leaves the tariff as it was', async () => {
    const before = await storedTariff();
    const name = await send('PATCH', '/v1/operator/tariffs/plain', { name: 'Plain\u0000' });
    expect(refusal(name)).toMatchObject({ status: 400, details: [{ field: 'body.name' }] });
    const period = await send('PATCH', '/v1/operator/tariffs/plain', { timeOfUse: [{ name: 'Pe\u0000ak', from: '07:00', to: '22:00', energyPricePerKwh: '0.50' }] });
    expect(refusal(period)).toMatchObject({ status: 400, details: [{ field: 'body.timeOfUse.0.name' }] });
    const created = await send('POST', '/v1/operator/tariffs', { id: 'nul-tariff', name: '\u0000', currency: 'EUR', ratePerKwh: '0.25' });
    expect(refusal(created)).toMatchObject({ status: 400, details: [{ field: 'body.name' }] });
    expect(await storedTariff()).toEqual(before);
    expect((await api.db.pool.query(`SELECT 1 FROM tariffs WHERE id = 'nul-tariff'`)).rowCount).toBe(0);
  });

  it('refuses lone surrogates, other control characters and line breaks, and keeps paired surrogates (emoji)', async () => {
    for (const [name, found] of [
      ['\ud800', 'U+D800 at position 0'],
      ['ok\udc00', 'U+DC00 at position 2'],
      ['tab\there', 'U+0009'],
      ['line\nbreak', 'U+000A'],
      ['bell\u0007', 'U+0007'],
      ['del\u007f', 'U+007F'],
      ['c1\u0085', 'U+0085'],
    ]) {
      const res = await send('PATCH', '/v1/operator/tariffs/plain', { name });
      expect({ name, ...refusal(res) }).toMatchObject({ name, status: 400, details: [{ field: 'body.name', problem: expect.stringContaining(found) }] });
    }
    const emoji = await send('PATCH', '/v1/operator/tariffs/plain', { name: 'Plain ⚡😀' });
    expect(emoji.status).toBe(200);
    expect((await storedTariff()).name).toBe('Plain ⚡😀');
  });

  it('refuses a NUL in a path parameter and in a query parameter, naming each', async () => {
    const path = await api.call('GET', '/v1/operator/drivers/a%00b');
    expect(path.status).toBe(400);
    expect(path.json.error.details).toEqual([expect.objectContaining({ field: 'params.id', problem: expect.stringContaining('U+0000') })]);
    const query = await api.call('GET', '/v1/sessions?cursor=a%00b');
    expect(query.status).toBe(400);
    expect(query.json.error.details).toEqual([expect.objectContaining({ field: 'query.cursor', problem: expect.stringContaining('U+0000') })]);
    const reason = await send('POST', '/v1/sessions/sess_none/stop', { reason: 'driver\u0000left' });
    expect(refusal(reason)).toMatchObject({ status: 400, details: [{ field: 'body.reason' }] });
  });

  it('refuses a property name with a NUL, showing it escaped', async () => {
    const res = await send('PATCH', '/v1/operator/tariffs/plain', { timeOfUse: [{ 'na\u0000me': 'x', from: '07:00', to: '22:00', energyPricePerKwh: '0.5' }] });
    expect(refusal(res)).toMatchObject({ status: 400, details: [expect.objectContaining({ field: 'body.timeOfUse.0.na\\u0000me', problem: expect.stringContaining('property name') })] });
  });

  it('answers a body nested 5,000 levels deep with a 400, not a crash', async () => {
    for (const deep of ['['.repeat(5000) + ']'.repeat(5000), '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)]) {
      const res = await rawRequest(api.url, {
        method: 'PATCH',
        path: '/v1/operator/tariffs/plain',
        headers: { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' },
        body: `{"timeOfUse":${deep}}`,
      });
      expect(refusal(res)).toMatchObject({ status: 400, code: 'invalid_request', message: expect.stringContaining('nests deeper than 32 levels') });
    }
    expect((await api.call('GET', '/health', { token: null })).status).toBe(200);
  });
});
