/**
 * Diagnostics on the whole stack: the API starts the diagnosticsRequest workflow with a one-time
 * upload URL of its own, the gateway sends GetDiagnostics to a simulated charger over a real
 * WebSocket, the charger really uploads its generated file to that URL (PUT, or POST multipart),
 * its DiagnosticsStatusNotifications reach the workflow, and the operator downloads the file.
 */
import { randomBytes } from 'node:crypto';
import type { SimulatedChargePoint } from '../../src/simulator/charge-point';
import { startStack, type Stack } from '../reliability/support/stack';

const statusTimeoutMs = 10 * 60_000;
const maxBytes = 16_384;

describe('diagnostics requests and uploads', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      name: 'diagnostics',
      stationEvents: true,
      env: { DIAGNOSTICS_STATUS_TIMEOUT_MS: String(statusTimeoutMs), DIAGNOSTICS_UPLOAD_MAX_BYTES: String(maxBytes), SESSION_COMMAND_MAX_ATTEMPTS: '2', SESSION_COMMAND_TIMEOUT_MS: '3000' },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function charger(id: string, options: Parameters<Stack['connectCharger']>[1] = {}): Promise<SimulatedChargePoint> {
    await stack.addCharger(id);
    return stack.connectCharger(id, options);
  }

  /** Requests diagnostics; resolves with the request id and the location the charger was given. */
  async function requestDiagnostics(cp: SimulatedChargePoint, body?: Record<string, unknown>): Promise<{ requestId: string; location: string }> {
    const asked = new Promise<any>((resolve) => {
      const seen = (call: { action: string; params: unknown }) => {
        if (call.action !== 'GetDiagnostics') return;
        cp.off('call', seen);
        resolve(call.params);
      };
      cp.on('call', seen);
    });
    const res = await stack.api.call('POST', `/v1/operator/stations/${cp.chargePointId}/diagnostics`, body ? { body } : {});
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ stationId: cp.chargePointId, status: 'requested', outcome: null, file: null });
    return { requestId: res.json.requestId, location: (await asked).location };
  }

  const request = async (stationId: string, requestId: string) => (await stack.api.call('GET', `/v1/operator/stations/${stationId}/diagnostics/${requestId}`)).json;
  const finished = (stationId: string, requestId: string) => stack.eventually(`request ${requestId} ends`, () => request(stationId, requestId), (r) => r.outcome !== null);
  const statuses = (r: { history: { status: string }[] }) => r.history.map((h) => h.status);
  const download = (stationId: string, requestId: string) => fetch(`${stack.api.url}/v1/operator/stations/${stationId}/diagnostics/${requestId}/file`, { headers: { authorization: 'Bearer operator-token-for-tests-0123456789' } });
  const json = async (res: Response): Promise<any> => res.json();
  const put = (url: string, body: Uint8Array | string) => fetch(url, { method: 'PUT', body, headers: { 'content-type': 'text/plain' } });

  it('TC_045_1_CSMS the station uploads its diagnostics (HTTP PUT) to the one-time URL, and the operator downloads the file', async () => {
    const cp = await charger('CP_DG_PUT');
    const { requestId, location } = await requestDiagnostics(cp, { retries: 2, retryIntervalS: 5 });
    expect(location).toMatch(new RegExp(`^${stack.api.url}/v1/diagnostics-uploads/[A-Za-z0-9_-]{43}$`));

    const done = await finished('CP_DG_PUT', requestId);
    expect(done).toMatchObject({ outcome: 'uploaded', fileName: expect.stringMatching(/^CP_DG_PUT_diagnostics_.*\.log$/), file: { sizeBytes: 2048, contentType: 'text/plain' } });
    expect(statuses(done).slice(0, 3)).toEqual(['requested', 'sent', 'Uploading']);
    expect(statuses(done).slice(3, 5).sort()).toEqual(['Uploaded', 'file_received']);
    expect(statuses(done)[5]).toBe('uploaded');

    const file = await download('CP_DG_PUT', requestId);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/octet-stream');
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="${done.fileName}"`);
    const text = Buffer.from(await file.arrayBuffer());
    expect(text.length).toBe(2048);
    expect(text.toString().split('\n')[0]).toBe('# diagnostics of charge point CP_DG_PUT');

    // The URL takes one file: the same upload again is refused, and the stored file stays.
    const again = await put(`${location}/${done.fileName}`, 'a second file');
    expect(again.status).toBe(409);
    expect((await json(again)).error.code).toBe('upload_already_used');
    expect((await download('CP_DG_PUT', requestId)).headers.get('content-length')).toBe('2048');
  });

  it('TC_045_1_CSMS a station that uploads with HTTP POST multipart/form-data is stored the same way', async () => {
    const cp = await charger('CP_DG_POST', { diagnostics: { method: 'POST', sizeBytes: 4000 } });
    const { requestId } = await requestDiagnostics(cp);
    const done = await finished('CP_DG_POST', requestId);
    expect(done).toMatchObject({ outcome: 'uploaded', file: { sizeBytes: 4000, fileName: done.fileName } });
    const text = Buffer.from(await (await download('CP_DG_POST', requestId)).arrayBuffer()).toString();
    expect(text.startsWith('# diagnostics of charge point CP_DG_POST\n')).toBe(true);
    expect(text).not.toContain('Content-Disposition'); // the file part, not the multipart envelope
  });

  it('TC_045_2_CSMS an upload that fails ends upload_failed, with no file', async () => {
    const cp = await charger('CP_DG_FAIL', { diagnostics: { failUploadAttempts: Infinity } });
    const { requestId } = await requestDiagnostics(cp);
    const done = await finished('CP_DG_FAIL', requestId);
    expect(done).toMatchObject({ outcome: 'upload_failed', file: null });
    expect(statuses(done)).toEqual(['requested', 'sent', 'Uploading', 'UploadFailed', 'upload_failed']);
    expect((await download('CP_DG_FAIL', requestId)).status).toBe(404);
  });

  it('a file larger than DIAGNOSTICS_UPLOAD_MAX_BYTES is refused with 413: the station reports UploadFailed', async () => {
    const cp = await charger('CP_DG_BIG', { diagnostics: { sizeBytes: maxBytes + 1 } });
    const { requestId } = await requestDiagnostics(cp);
    expect((await finished('CP_DG_BIG', requestId)).outcome).toBe('upload_failed');
  });

  it('wrong, malformed, oversized, empty, reused and late uploads each get their own 4xx; a refused upload does not spend the URL', async () => {
    // This station hangs before uploading, so the test uploads to its URL itself.
    const cp = await charger('CP_DG_TOKENS', { diagnostics: { silentAt: { at: 'Uploading' } } });
    const { requestId, location } = await requestDiagnostics(cp);
    const base = location.slice(0, location.lastIndexOf('/') + 1);

    const wrong = await put(base + randomBytes(32).toString('base64url'), 'x');
    expect([wrong.status, (await json(wrong)).error.code]).toEqual([404, 'unknown_upload']);
    const malformed = await put(`${base}not-a-token`, 'x');
    expect(malformed.status).toBe(400);
    const oversized = await put(location, new Uint8Array(maxBytes + 1));
    expect([oversized.status, (await json(oversized)).error.code]).toEqual([413, 'upload_too_large']);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(maxBytes + 10)]), 'big.log');
    const oversizedForm = await fetch(location, { method: 'POST', body: form });
    expect([oversizedForm.status, (await json(oversizedForm)).error.code]).toEqual([413, 'upload_too_large']);
    const empty = await put(location, '');
    expect([empty.status, (await json(empty)).error.code]).toEqual([400, 'invalid_upload']);

    const ok = await put(`${location}/by-hand.log`, 'diagnostics by hand\n');
    expect(ok.status).toBe(201);
    expect(await json(ok)).toEqual({ requestId, fileName: 'by-hand.log', sizeBytes: 20 });
    const reused = await put(location, 'again');
    expect([reused.status, (await json(reused)).error.code]).toEqual([409, 'upload_already_used']);
    await stack.eventually('the file is recorded', () => request('CP_DG_TOKENS', requestId), (r) => statuses(r).includes('file_received'));

    // The station never says Uploaded: after the status timeout the stored file is what counts.
    await stack.env.sleep(statusTimeoutMs + 60_000);
    const done = await finished('CP_DG_TOKENS', requestId);
    expect(done).toMatchObject({ outcome: 'uploaded', detail: 'by-hand.log (20 bytes); the station never reported Uploaded' });
  });

  it('an upload URL whose request ended, or whose time is up, is refused with 410', async () => {
    const cp = await charger('CP_DG_LATE', { diagnostics: { silentAt: { at: 'Uploading' } } });
    const first = await requestDiagnostics(cp);
    await stack.env.sleep(statusTimeoutMs + 60_000);
    expect((await finished('CP_DG_LATE', first.requestId)).outcome).toBe('timed_out');
    const late = await put(first.location, 'too late');
    expect([late.status, (await json(late)).error.code]).toEqual([410, 'upload_expired']);

    const second = await requestDiagnostics(cp);
    // DIAGNOSTICS_UPLOAD_TTL_MS is measured by PostgreSQL's clock, which time skipping does not move: age the URL there.
    await stack.db.pool.query("UPDATE diagnostics_requests SET upload_expires_at = now() - interval '1 second' WHERE id = $1", [second.requestId]);
    const expired = await put(second.location, 'expired');
    expect([expired.status, (await json(expired)).error.code]).toEqual([410, 'upload_expired']);
  });

  it('a station whose SupportedFeatureProfiles lacks FirmwareManagement is refused with 409', async () => {
    await charger('CP_DG_NOPROFILE', { featureProfiles: ['Core'] });
    await stack.eventually('profiles read', () => stack.db.pool.query('SELECT supported_feature_profiles AS p FROM station_configuration WHERE station_id = $1', ['CP_DG_NOPROFILE']), (r) => r.rows[0]?.p?.length > 0);
    const res = await stack.api.call('POST', '/v1/operator/stations/CP_DG_NOPROFILE/diagnostics');
    expect([res.status, res.json.error.code]).toEqual([409, 'feature_profile_not_supported']);
  });

  it('a station that only uploads by FTP is refused at request time (409), and is sent nothing', async () => {
    const cp = await charger('CP_DG_FTP', { configuration: { SupportedFileTransferProtocols: 'FTP,FTPS' } });
    let asked = false;
    cp.on('call', (call: { action: string }) => (asked ||= call.action === 'GetDiagnostics'));
    const res = await stack.api.call('POST', '/v1/operator/stations/CP_DG_FTP/diagnostics');
    expect(res.status).toBe(409);
    expect(res.json.error).toMatchObject({ code: 'unsupported_transfer_protocol', message: expect.stringContaining('FTP, FTPS') });
    expect(asked).toBe(false);
    expect((await stack.api.call('GET', '/v1/operator/stations/CP_DG_FTP/diagnostics')).json.requests).toEqual([]);
  });

  it('a station without diagnostics (no fileName) ends no_file; a CALLERROR ends charger_error; a second request while one runs is 409', async () => {
    const none = await charger('CP_DG_NONE');
    none.behaviour.GetDiagnostics = 'reject';
    const { requestId } = await requestDiagnostics(none);
    expect((await finished('CP_DG_NONE', requestId)).outcome).toBe('no_file');

    none.behaviour.GetDiagnostics = 'callerror';
    const failed = await requestDiagnostics(none);
    const done = await finished('CP_DG_NONE', failed.requestId);
    expect(done.outcome).toBe('charger_error');
    expect(done.detail).toMatch(/^InternalError: /);

    const busy = await charger('CP_DG_BUSY', { diagnostics: { silentAt: { at: 'Uploading' } } });
    await requestDiagnostics(busy);
    const second = await stack.api.call('POST', '/v1/operator/stations/CP_DG_BUSY/diagnostics');
    expect([second.status, second.json.error.code]).toEqual([409, 'already_running']);
    expect((await stack.api.call('GET', '/v1/operator/stations/CP_DG_BUSY/diagnostics')).json.requests).toHaveLength(1);
  });

  it('bad requests are 400 naming the field; unknown stations 404; the file needs an operator token', async () => {
    const bad = await stack.api.call('POST', '/v1/operator/stations/CP_DG_PUT/diagnostics', { body: { retries: 0, startTime: '2026-12-02T10:00:00Z', stopTime: '2026-12-01T10:00:00Z' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.map((d: any) => d.field).sort()).toEqual(['body.retries', 'body.stopTime']);
    expect((await stack.api.call('POST', '/v1/operator/stations/CP_NOPE/diagnostics')).status).toBe(404);
    expect((await stack.api.call('GET', '/v1/operator/stations/CP_DG_PUT/diagnostics/diag_unknown/file')).status).toBe(404);
    expect((await stack.api.call('GET', '/v1/operator/stations/CP_DG_PUT/diagnostics/diag_unknown/file', { token: null })).status).toBe(401);
  });
});
