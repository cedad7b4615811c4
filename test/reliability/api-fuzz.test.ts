/**
 * The API under a seeded fuzzer: for every operation in GET /openapi.json, requests built from
 * the documented schemas (support/document-sampler.ts) and then mutated (dropped fields, wrong
 * types, huge values, injection strings), valid bodies carrying control characters or unpaired
 * surrogates in a value or a property name, extreme numbers (NUMERIC(18,6) and double limits, -0,
 * 400 digits), nesting thousands of levels deep and duplicated properties (support/hostile-json.ts),
 * hostile and malformed path parameters and query strings, odd headers and content types,
 * oversized bodies, with an operator token, a driver token, no token, a wrong token and a
 * malformed Authorization header. Never a 500, no 5xx an operation does not document, every
 * error a JSON body with a code and a message, every answer as the document says (the harness's
 * response contract check), and the process keeps answering.
 *
 * Replay a run with FUZZ_SEED=<the seed in the test's name>.
 */
import { startTestApi, operatorToken, type TestApi } from '../api/support/api-harness';
import { DocumentSampler } from '../api/support/document-sampler';
import { mutatePayload } from './support/ocpp-frames';
import { fuzzSeed, hostileStrings, Prng } from '../../src/simulator/prng';
import { deeplyNested, duplicateKey, extremeNumber, extremeNumberTokens, poisonedText, refusedCharacters, sweep } from './support/hostile-json';
import { rawRequest, type RawResponse } from './support/raw-http';

const seed = fuzzSeed(0x0a91_2026);
const requestsPerOperation = 45;

/** encodeURIComponent, with surrogates (which it refuses) replaced first. */
const enc = (s: string): string => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'));

interface Operation {
  method: string;
  path: string;
  parameters: { in: string; name: string; required?: boolean; schema?: any }[];
  bodySchema?: any;
  documented: Set<number>;
}

describe(`API under a seeded fuzzer (seed ${seed})`, () => {
  let api: TestApi;
  let doc: any;
  let aliceToken: string;
  const rng = new Prng(seed);
  const crashes: unknown[] = [];
  const onUnhandled = (reason: unknown) => crashes.push(reason);
  const realIds: string[] = ['CP_FZ', 'alice', 'bob', 'standard', 'ALICE-TAG'];

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    api = await startTestApi();
    await api.call('POST', '/v1/operator/tariffs', { body: { id: 'standard', name: 'Standard', currency: 'EUR', ratePerKwh: '0.25', isDefault: true } });
    await api.call('POST', '/v1/operator/chargers', { body: { stationId: 'CP_FZ', password: 'fuzz-charger-password', connectors: 2 } });
    aliceToken = await api.createDriver('alice', ['ALICE-TAG']);
    await api.createDriver('bob', ['BOB-TAG']);
    const started = await api.call('POST', '/v1/sessions', { token: aliceToken, body: { stationId: 'CP_FZ', connectorId: 1 } });
    if (started.json?.sessionId) realIds.push(started.json.sessionId);
    doc = (await api.call('GET', '/openapi.json', { token: null })).json;
    sampler = new DocumentSampler(doc, rng, realIds);
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
    await api?.close();
  });

  let sampler: DocumentSampler;
  /** A value the document says is valid (then mutated, or not, by the caller). */
  function sample(schema: any): unknown {
    return sampler.value(schema);
  }

  function hostile(): string {
    return rng.weighted([
      [4, rng.pick(hostileStrings)],
      [2, rng.rawString(rng.int(1, 40))],
      [1, 'x'.repeat(rng.int(300, 20_000))],
      [1, String(rng.pick([-1, 0, 2 ** 31, 2 ** 53 + 1, 1e308, 1.5]))],
      [1, rng.pick(extremeNumberTokens)],
      [2, `a${rng.pick(refusedCharacters)}b`],
    ]);
  }

  function pathValue(): string {
    return rng.weighted([
      [3, enc(rng.pick(realIds))],
      [4, enc(hostile())],
      // Not encoded at all, or broken percent-encoding: the router must still answer 4xx.
      [2, rng.pick(['%', '%zz', '%E0%A4%A', '%C0%AF', '%2F', '%00', '..', '.', '%2e%2e', '~', '%FF%FE'])],
    ]);
  }

  function queryString(op: Operation): string {
    const parts: string[] = [];
    for (const p of op.parameters.filter((p) => p.in === 'query')) {
      if (!rng.bool(0.6)) continue;
      // A parameter whose rules are in words (a cursor) has no value to draw: anything goes.
      const v = rng.bool(0.5) && !sampler.hasWordRules(p.schema) ? String(sample(p.schema ?? {})) : hostile();
      parts.push(`${enc(p.name)}=${enc(v)}`);
      if (rng.bool(0.1)) parts.push(`${enc(p.name)}=${enc(hostile())}`); // repeated key → an array
    }
    if (rng.bool(0.3)) parts.push(`${enc(rng.pick(hostileStrings) || 'k')}=${enc(hostile())}`);
    if (rng.bool(0.1)) parts.push(rng.pick(['%', 'a[b]=1', 'a[0][1]=2', '__proto__[x]=1', '&&&', '=']));
    return parts.length ? '?' + parts.join('&') : '';
  }

  function authHeader(): { header?: string; localAddress: string } {
    const kind = rng.weighted([
      [4, 'operator'],
      [3, 'driver'],
      [2, 'none'],
      [2, 'wrong token'],
      [1, 'malformed'],
    ] as const);
    // Failed attempts are counted per address: spread them so the limiter does not answer everything.
    const spread = `127.0.${rng.int(1, 250)}.${rng.int(2, 250)}`;
    switch (kind) {
      case 'operator':
        return { header: `Bearer ${operatorToken}`, localAddress: '127.0.0.1' };
      case 'driver':
        // From its own address: once a fuzzed request deletes alice or revokes her tokens, her token is a failed attempt.
        return { header: `Bearer ${aliceToken}`, localAddress: '127.0.0.2' };
      case 'none':
        return { localAddress: '127.0.0.1' };
      case 'wrong token':
        return { header: `Bearer ${rng.bool() ? 'csms_' + rng.rawString(43).replace(/[^\x21-\x7e]/g, 'a') : rng.pick(hostileStrings).replace(/[^\x21-\x7e]/g, '') || 'x'}`, localAddress: spread };
      default:
        return { header: rng.pick(['Bearer', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l', 'bearer  ', `Bearer ${operatorToken} extra`, 'Token abc', 'x'.repeat(4000)]), localAddress: spread };
    }
  }

  /** `aimed`: a valid body with one hostile part, meant to get past authentication and the media type to validation. */
  function body(op: Operation): { body?: string | Buffer; contentType?: string; aimed?: boolean } {
    const kind = rng.weighted([
      [op.bodySchema ? 3 : 1, 'schema'],
      [op.bodySchema ? 5 : 1, 'mutated'],
      [1, 'junk text'],
      [1, 'none'],
      [1, 'oversized'],
      [1, 'bytes'],
      [4, 'control characters'],
      [2, 'extreme number'],
      [1, 'deep nesting'],
      [1, 'duplicate key'],
    ] as const);
    const contentType = rng.weighted([
      [8, 'application/json'],
      [1, 'text/plain'],
      [1, 'application/x-www-form-urlencoded'],
      [1, 'application/json; charset=latin1'],
      [1, 'multipart/form-data; boundary=x'],
      [1, 'application/vnd.api+json'],
    ]);
    const drawn = op.bodySchema ? sample(op.bodySchema) : {};
    const valid = (typeof drawn === 'object' && drawn !== null ? drawn : { v: drawn }) as Record<string, unknown>;
    // Mostly as JSON (the text a client sends): these aim past the media type check.
    const json = rng.bool(0.85) ? 'application/json' : contentType;
    switch (kind) {
      case 'schema':
        return { body: JSON.stringify(valid), contentType };
      case 'mutated':
        return { body: JSON.stringify(mutatePayload(rng, valid, 30_000)), contentType };
      case 'junk text':
        return { body: rng.pick(['{', '[1,', '{"a":}', 'null', '"x"', '1e999', '{"__proto__":{"admin":true}}', rng.rawString(100)]), contentType };
      case 'oversized':
        return { body: JSON.stringify({ pad: 'z'.repeat(70 * 1024 + rng.int(0, 10_000)) }), contentType };
      case 'bytes':
        return { body: rng.bytes(rng.int(1, 200)), contentType };
      case 'control characters':
        return { body: poisonedText(rng, valid), contentType: json, aimed: true };
      case 'extreme number':
        return { body: extremeNumber(rng, valid), contentType: json, aimed: true };
      case 'deep nesting':
        return { body: deeplyNested(rng, valid), contentType: json, aimed: true };
      case 'duplicate key':
        return { body: duplicateKey(rng, valid, () => (rng.bool() ? hostile() : mutatePayload(rng, valid, 1000))), contentType: json, aimed: true };
      default:
        return {};
    }
  }

  it('never answers 500 or an undocumented 5xx, and every error is a JSON body with a code and a message', async () => {
    const operations: Operation[] = [];
    for (const [path, item] of Object.entries<any>(doc.paths)) {
      for (const [method, op] of Object.entries<any>(item)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        operations.push({
          method: method.toUpperCase(),
          path,
          parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])],
          bodySchema: op.requestBody?.content?.['application/json']?.schema,
          documented: new Set(Object.keys(op.responses ?? {}).map(Number)),
        });
      }
    }
    expect(operations.length).toBeGreaterThan(25);

    const failures: string[] = [];
    const statuses: Record<number, number> = {};
    let sent = 0;
    const check = (what: string, res: RawResponse, documented: Set<number>) => {
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      const where = `${what} → ${res.status} ${res.text.slice(0, 160)}`;
      if (res.status >= 500 && (res.status === 500 || !documented.has(res.status))) failures.push(`server error: ${where}`);
      if (res.status >= 400) {
        let json: any;
        try {
          json = JSON.parse(res.text);
        } catch {
          failures.push(`error body is not JSON: ${where}`);
          return;
        }
        if (!String(res.headers['content-type']).startsWith('application/json')) failures.push(`error without a JSON content type: ${where}`);
        const isReadiness = res.status === 503 && typeof json?.status === 'string';
        if (!isReadiness && (typeof json?.error?.code !== 'string' || typeof json?.error?.message !== 'string')) failures.push(`error body without code and message: ${where}`);
      }
    };

    for (const op of operations) {
      for (let i = 0; i < requestsPerOperation; i++) {
        const path = op.path.replace(/\{[^}]+\}/g, () => pathValue()) + queryString(op);
        const { body: payload, contentType, aimed } = ['GET', 'DELETE'].includes(op.method) && rng.bool(0.8) ? {} : body(op);
        const auth = aimed && rng.bool(0.8) ? { header: `Bearer ${operatorToken}`, localAddress: '127.0.0.1' } : authHeader();
        const headers: Record<string, string> = {};
        if (auth.header) headers.authorization = auth.header;
        if (payload !== undefined && contentType) headers['content-type'] = contentType;
        if (rng.bool(0.1)) headers['x-request-id'] = rng.pick(hostileStrings).replace(/[^\x20-\x7e]/g, '') || 'x';
        if (rng.bool(0.05)) headers['x-forwarded-for'] = '10.0.0.1';
        if (rng.bool(0.03)) headers['x-fuzz-padding'] = 'p'.repeat(rng.int(10_000, 40_000)); // beyond Node's header limit: 431
        if (rng.bool(0.05)) headers.accept = rng.pick(['text/html', '*/*', 'application/xml', 'text/event-stream']);
        const what = `${op.method} ${path.slice(0, 120)} [${auth.header?.slice(0, 20) ?? 'no auth'}]`;
        let res: RawResponse;
        try {
          res = await rawRequest(api.url, { method: op.method, path, headers, body: payload, localAddress: auth.localAddress });
        } catch (err) {
          // Node's client refuses to send some paths and headers at all; anything else is a failure.
          if (/unescaped characters|Invalid character|ERR_INVALID_CHAR|ERR_UNESCAPED_CHARACTERS/.test(String((err as Error).message) + (err as { code?: string }).code)) continue;
          failures.push(`no answer: ${what}: ${(err as Error).message}`);
          continue;
        }
        sent++;
        check(what, res, op.documented);
      }
    }

    // Every field of a valid body, one at a time: a refused character in its value and in its name, an extreme number.
    let swept = 0;
    for (const op of operations.filter((o) => o.bodySchema)) {
      for (let round = 0; round < 2; round++) {
        const valid = sample(op.bodySchema);
        if (typeof valid !== 'object' || valid === null) continue;
        // First NUL everywhere (what PostgreSQL cannot store), then any refused character.
        for (const payload of sweep(rng, valid as Record<string, unknown>, round === 0 ? () => '\u0000' : undefined)) {
          const path = op.path.replace(/\{[^}]+\}/g, () => enc(rng.pick(realIds)));
          const headers = { authorization: `Bearer ${operatorToken}`, 'content-type': 'application/json' };
          const res = await rawRequest(api.url, { method: op.method, path, headers, body: payload });
          swept++;
          check(`${op.method} ${path} ${payload.slice(0, 200)}`, res, op.documented);
        }
      }
    }
    sent += swept;

    // Paths and methods that are not in the document at all.
    for (let i = 0; i < 150; i++) {
      const method = rng.pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE']);
      const path = rng.pick(['/', '/v1', '/v1/', '/v2/sessions', '/v1/sessions/', '//v1//sessions', '/v1/operator', '/../etc/passwd', '/v1/sessions/%', '/%']) + queryString(operations[0]);
      const res = await rawRequest(api.url, { method, path, headers: { authorization: `Bearer ${operatorToken}` } }).catch((err) => err as Error);
      if (res instanceof Error) {
        failures.push(`no answer: ${method} ${path}: ${res.message}`);
        continue;
      }
      sent++;
      if (method === 'HEAD') {
        if (res.status >= 500) failures.push(`server error: HEAD ${path} → ${res.status}`);
      } else check(`${method} ${path}`, res, new Set());
    }

    expect(failures.slice(0, 40)).toEqual([]);
    expect(crashes).toEqual([]);
    expect(sent).toBeGreaterThan(1500);
    expect(swept).toBeGreaterThan(200);
    // The fuzzing reached the handlers, not only authentication and validation.
    expect(statuses[200] ?? 0).toBeGreaterThan(100);

    // Still alive and still correct.
    expect((await api.call('GET', '/health', { token: null })).status).toBe(200);
    expect((await api.call('GET', '/v1/stations', { token: operatorToken })).status).toBe(200);
  });
});
