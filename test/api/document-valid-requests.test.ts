/**
 * The OpenAPI document is not looser than the API: requests drawn from the document's own schemas
 * (support/document-sampler.ts), for every operation that takes input, are never refused as
 * invalid. A rule the server checks that the document does not state (in JSON Schema, or in words
 * with `x-constraints`) shows up here as a 400. A 404 or 409 for a resource that does not exist
 * or is busy is fine: the request was valid.
 */
import { fuzzSeed, Prng } from '../../src/simulator/prng';
import { rawRequest } from '../reliability/support/raw-http';
import { DocumentSampler } from './support/document-sampler';
import { operatorToken, startTestApi, TestApi } from './support/api-harness';

const seed = fuzzSeed(0x11_0a91);
const requestsPerOperation = 16;

describe('requests the OpenAPI document says are valid', () => {
  let api: TestApi;
  let doc: any;
  let driverToken: string;

  beforeAll(async () => {
    api = await startTestApi();
    await api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
    await api.call('POST', '/v1/operator/chargers', { body: { stationId: 'CP_1', password: 'guard-charger-password', connectors: 2 } });
    await api.createDriver('alice', ['ALICE0001']); // the document's example driver and id tag
    // The caller of routes open to drivers: a driver no generated id names.
    driverToken = await api.createDriver('zz-guard-driver-5c1', ['GUARD-5C1']);
    doc = (await api.call('GET', '/openapi.json', { token: null })).json;
  });
  afterAll(async () => {
    await api?.close();
  });

  it(`are never answered 400 invalid_request (seed ${seed})`, async () => {
    const rng = new Prng(seed);
    const sampler = new DocumentSampler(doc, rng, ['CP_1', 'alice', 'standard', 'ALICE0001', 'EUR', '0.25', '1']);
    const refused: string[] = [];
    let sent = 0;
    for (const [template, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        const parameters: any[] = op.parameters ?? [];
        const bodySchema = op.requestBody?.content?.['application/json']?.schema;
        if (parameters.length === 0 && !bodySchema) continue; // nothing a client could get wrong
        for (let i = 0; i < requestsPerOperation; i++) {
          // Operator-only routes document 403; routes open to every caller are called by a driver and by an operator.
          const token = !op.security?.length ? undefined : op.responses['403'] || rng.bool() ? operatorToken : driverToken;
          const query: string[] = [];
          let path = template;
          for (const p of parameters) {
            if (p.in === 'path') path = path.replace(`{${p.name}}`, encodeURIComponent(String(sampler.value(p.schema))));
            else if (p.in === 'query' && (p.required || ((!sampler.hasWordRules(p.schema) || p.schema.example !== undefined) && rng.bool(0.5)))) {
              query.push(`${encodeURIComponent(p.name)}=${encodeURIComponent(String(sampler.value(p.schema)))}`);
            }
          }
          if (query.length) path += `?${query.join('&')}`;
          const body = bodySchema && (op.requestBody.required || rng.bool(0.7)) ? JSON.stringify(sampler.value(bodySchema)) : undefined;
          const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
          if (token) headers.authorization = `Bearer ${token}`;
          const res = await rawRequest(api.url, { method: method.toUpperCase(), path, headers, body });
          sent++;
          const error = res.headers['content-type']?.startsWith('application/json') ? JSON.parse(res.text)?.error : undefined;
          if (res.status === 400 || res.status >= 500 || error?.code === 'invalid_request') {
            refused.push(`${method.toUpperCase()} ${path} ${body ?? ''} → ${res.status} ${res.text.slice(0, 300)}`);
          }
        }
      }
    }
    expect(refused.slice(0, 15)).toEqual([]);
    expect(sent).toBeGreaterThan(250);
  });
});
