/** GetDiagnostics (OCPP 1.6 §5.9) and DiagnosticsStatusNotification (§4.4): a real upload to a local HTTP server. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleep, useSimulatorHarness } from './support/harness';

const h = useSimulatorHarness('DIAG');

interface Upload {
  method: string;
  url: string;
  contentType?: string;
  body: Buffer;
}
let server: http.Server;
let base: string;
let uploads: Upload[];
let answerStatus: number;

beforeEach(async () => {
  uploads = [];
  answerStatus = 201;
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      uploads.push({ method: req.method!, url: req.url!, contentType: req.headers['content-type'], body: Buffer.concat(chunks) });
      res.writeHead(answerStatus).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const diag = (id: string, params: Record<string, unknown>) => h.csms.command(id, 'GetDiagnostics', params);
const statuses = (id: string) => h.labels(id).filter((l) => l.startsWith('Diag:'));
const finished = (id: string) => h.next(id, (c) => c.action === 'DiagnosticsStatusNotification' && c.params.status !== 'Uploading', 4000, true);

test('the charger names the file, uploads it by HTTP PUT into the location directory, and reports Uploading then Uploaded', async () => {
  const cp = await h.connected({ diagnostics: { sizeBytes: 4096 } });
  const window = { startTime: '2026-12-01T10:00:00.000Z', stopTime: '2026-12-01T11:00:00.000Z' };
  const answer = await diag(cp.chargePointId, { location: `${base}/uploads/`, ...window });
  expect(answer.fileName).toMatch(new RegExp(`^${cp.chargePointId}_diagnostics_.+\\.log$`));
  expect((await finished(cp.chargePointId)).params.status).toBe('Uploaded');
  expect(statuses(cp.chargePointId)).toEqual(['Diag:Uploading', 'Diag:Uploaded']);
  expect(uploads).toHaveLength(1);
  expect(uploads[0].method).toBe('PUT');
  expect(uploads[0].url).toBe(`/uploads/${answer.fileName}`);
  expect(uploads[0].body.length).toBe(4096);
  const text = uploads[0].body.toString('utf8');
  expect(text).toContain(cp.chargePointId);
  expect(text).toContain('2026-12-01T10:00:00.000Z .. 2026-12-01T11:00:00.000Z');
});

test('with method POST the file is sent as multipart/form-data', async () => {
  const cp = await h.connected({ diagnostics: { method: 'POST', sizeBytes: 600 } });
  const { fileName } = await diag(cp.chargePointId, { location: `${base}/in` });
  await finished(cp.chargePointId);
  expect(uploads[0]).toMatchObject({ method: 'POST', url: `/in/${fileName}` });
  expect(uploads[0].contentType).toMatch(/^multipart\/form-data; boundary=/);
  expect(uploads[0].body.toString()).toContain(`filename="${fileName}"`);
});

test('an upload the server refuses is tried `retries` times, retryInterval apart, then UploadFailed', async () => {
  answerStatus = 507;
  const cp = await h.connected({ secondMs: 100 });
  await diag(cp.chargePointId, { location: `${base}/full/`, retries: 3, retryInterval: 1 });
  expect((await finished(cp.chargePointId)).params.status).toBe('UploadFailed');
  expect(uploads).toHaveLength(3);
  expect(statuses(cp.chargePointId)).toEqual(['Diag:Uploading', 'Diag:Uploading', 'Diag:Uploading', 'Diag:UploadFailed']);
  const at = h.csms.received(cp.chargePointId, ['DiagnosticsStatusNotification']).map((c) => c.at);
  expect(at[1] - at[0]).toBeGreaterThanOrEqual(90);
});

test('a network error fails the upload', async () => {
  const cp = await h.connected();
  const closed = `http://127.0.0.1:1/nowhere/`;
  await diag(cp.chargePointId, { location: closed });
  expect((await finished(cp.chargePointId)).params.status).toBe('UploadFailed');
});

test('a scripted failure of the first attempt does not reach the server; the retry uploads', async () => {
  const cp = await h.connected({ diagnostics: { failUploadAttempts: 1 } });
  await diag(cp.chargePointId, { location: `${base}/d/`, retries: 2 });
  expect((await finished(cp.chargePointId)).params.status).toBe('Uploaded');
  expect(uploads).toHaveLength(1);
  expect(statuses(cp.chargePointId)).toEqual(['Diag:Uploading', 'Diag:Uploading', 'Diag:Uploaded']);
});

test('an ftp:// location: by default a file name, then UploadFailed; with no_file no file name and UploadFailed', async () => {
  const cp = await h.connected();
  await expect(diag(cp.chargePointId, { location: 'ftp://diag.example.com/in/' })).resolves.toEqual({ fileName: expect.any(String) });
  expect((await finished(cp.chargePointId)).params.status).toBe('UploadFailed');
  expect(statuses(cp.chargePointId)).toEqual(['Diag:Uploading', 'Diag:UploadFailed']);

  const other = await h.connected({ diagnostics: { unsupportedLocation: 'no_file' } });
  // §6.34: fileName "is not present when no diagnostic information is available".
  await expect(diag(other.chargePointId, { location: 'ftp://diag.example.com/in/' })).resolves.toEqual({});
  expect((await finished(other.chargePointId)).params.status).toBe('UploadFailed');
  expect(statuses(other.chargePointId)).toEqual(['Diag:UploadFailed']);
});

test('a charger that goes silent at Uploaded uploads the file but never reports Uploaded', async () => {
  const cp = await h.connected({ diagnostics: { silentAt: { at: 'Uploaded' } } });
  // Listening before the command: the charger may go silent before its answer reaches the test.
  const silent = cp.waitFor('silent');
  await diag(cp.chargePointId, { location: `${base}/s/` });
  await silent;
  await sleep(100);
  expect(uploads).toHaveLength(1);
  expect(statuses(cp.chargePointId)).toEqual(['Diag:Uploading']);
});

test('a triggered DiagnosticsStatusNotification says Uploading during the upload and Idle afterwards', async () => {
  const cp = await h.connected({ diagnostics: { silentAt: { at: 'Uploading', mode: 'hang' } } });
  const silent = cp.waitFor('silent');
  await diag(cp.chargePointId, { location: `${base}/t/` });
  await silent;
  const during = h.next(cp.chargePointId, (c) => c.action === 'DiagnosticsStatusNotification');
  await h.csms.command(cp.chargePointId, 'TriggerMessage', { requestedMessage: 'DiagnosticsStatusNotification' });
  expect((await during).params.status).toBe('Uploading');

  const done = await h.connected();
  await diag(done.chargePointId, { location: `${base}/t/` });
  await finished(done.chargePointId);
  const after = h.next(done.chargePointId, (c) => c.action === 'DiagnosticsStatusNotification' && c.params.status === 'Idle');
  await h.csms.command(done.chargePointId, 'TriggerMessage', { requestedMessage: 'DiagnosticsStatusNotification' });
  await after;
});

test('reject answers without a file name and uploads nothing; not_supported is a CALLERROR NotSupported', async () => {
  const cp = await h.connected();
  cp.behaviour.GetDiagnostics = 'reject';
  await expect(diag(cp.chargePointId, { location: `${base}/r/` })).resolves.toEqual({});
  cp.behaviour.GetDiagnostics = 'not_supported';
  await expect(diag(cp.chargePointId, { location: `${base}/r/` })).rejects.toMatchObject({ rpcErrorCode: 'NotSupported' });
  await sleep(100);
  expect(uploads).toHaveLength(0);
  expect(statuses(cp.chargePointId)).toEqual([]);
});
