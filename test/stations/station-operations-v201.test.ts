/**
 * The firmware-update and diagnostics workflows follow an OCPP 2.0.1 station's
 * FirmwareStatusNotifications (L01) and LogStatusNotifications (N01) on the whole stack
 * (time-skipping Temporal, worker, gateway, API, PostgreSQL, real sockets): the 2.0.1 statuses
 * reach the unchanged workflows in the words they follow
 * (src/gateway/rules/firmware-log-status-v201.ts).
 *
 * The command itself (UpdateFirmware, GetDiagnostics) is taken over a 1.6 connection of the same
 * station: its 2.0.1 translation (UpdateFirmware, GetLog) belongs to the command translators
 * (src/gateway/commands/v201); once it is there, the station can stay on 2.0.1 throughout. What
 * is under test is everything after the command.
 */
import WebSocket from 'ws';
import { basicAuth, RawOcppSocket } from '../gateway/support/gateway-harness';
import { chargerPassword, startStack, type Stack } from '../reliability/support/stack';

const location = 'https://firmware.example.com/releases/acme-2.1.0.bin';
const statusTimeoutMs = 10 * 60_000;

describe('firmware updates and diagnostics followed over OCPP 2.0.1', () => {
  let stack: Stack;
  const sockets: WebSocket[] = [];

  beforeAll(async () => {
    stack = await startStack({
      name: 'operations201',
      stationEvents: true,
      env: { FIRMWARE_STATUS_TIMEOUT_MS: String(statusTimeoutMs), DIAGNOSTICS_STATUS_TIMEOUT_MS: String(statusTimeoutMs), SESSION_COMMAND_TIMEOUT_MS: '3000' },
    });
  });
  afterAll(async () => {
    for (const s of sockets) s.terminate();
    await stack?.close();
  });

  /** A raw socket that answers what the CSMS asks a 1.6 station after a boot (configuration, local list), UpdateFirmware and GetDiagnostics. */
  async function connect(id: string, protocol: 'ocpp1.6' | 'ocpp2.0.1'): Promise<RawOcppSocket> {
    const ws = new WebSocket(`${stack.gateway.url}/${id}`, [protocol], { headers: { Authorization: basicAuth(id, chargerPassword) } });
    sockets.push(ws);
    const socket = new RawOcppSocket(ws);
    ws.on('message', (data) => {
      const [type, messageId, action] = JSON.parse(data.toString());
      if (type !== 2) return;
      const answers: Record<string, unknown> = { GetConfiguration: { configurationKey: [], unknownKey: [] }, ChangeConfiguration: { status: 'Accepted' }, GetLocalListVersion: { listVersion: 0 }, UpdateFirmware: {}, GetDiagnostics: { fileName: 'cs-201.log' } };
      if (action in answers) ws.send(JSON.stringify([3, messageId, answers[action]]));
      else ws.send(JSON.stringify([4, messageId, 'NotImplemented', '', {}]));
    });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return socket;
  }

  const update = async (updateId: string) => (await stack.api.call('GET', `/v1/operator/firmware-updates/${updateId}`)).json;

  it('L01: DownloadScheduled … SignatureVerified, InstallRebooting and a boot (reason FirmwareUpdate) with the expected version end the update installed', async () => {
    await stack.addCharger('CS_FW201');
    const v16 = await connect('CS_FW201', 'ocpp1.6');
    await v16.call('b', 'BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC-22', firmwareVersion: '1.0.0' });
    const res = await stack.api.call('POST', '/v1/operator/stations/CS_FW201/firmware-updates', { body: { location, expectedVersion: '2.1.0' } });
    expect(res.status).toBe(201);
    const updateId = res.json.updateId;
    await stack.eventually('UpdateFirmware sent', () => update(updateId), (u) => u.status === 'sent');
    v16.ws.close();

    const ws = await connect('CS_FW201', 'ocpp2.0.1');
    // Each is told to the workflow before it is answered, so they arrive in this order, the boot last.
    for (const status of ['DownloadScheduled', 'Downloading', 'Downloaded', 'SignatureVerified', 'InstallRebooting']) {
      expect(await ws.call(`f-${status}`, 'FirmwareStatusNotification', { status, requestId: 1 })).toEqual([3, `f-${status}`, {}]);
    }
    const booted = await ws.call('boot', 'BootNotification', { reason: 'FirmwareUpdate', chargingStation: { vendorName: 'Acme', model: 'AC-22', firmwareVersion: '2.1.0' } });
    expect(booted[2]).toMatchObject({ status: 'Accepted' });

    const done = await stack.eventually('update ends', () => update(updateId), (u) => u.outcome !== null);
    expect(done).toMatchObject({ outcome: 'installed', stationId: 'CS_FW201' });
    expect(done.history.map((h: { status: string }) => h.status)).toEqual(['requested', 'sent', 'Downloading', 'Downloading', 'Downloaded', 'Downloaded', 'Installing', 'booted', 'installed']);
    const { rows } = await stack.db.pool.query('SELECT firmware_version, firmware_status, firmware_status_reported, ocpp_version FROM chargers WHERE id = $1', ['CS_FW201']);
    expect(rows[0]).toEqual({ firmware_version: '2.1.0', firmware_status: 'Installing', firmware_status_reported: 'InstallRebooting', ocpp_version: '2.0.1' });
  });

  it('L01: InstallVerificationFailed ends the update installation_failed', async () => {
    await stack.addCharger('CS_FW201_FAIL');
    const v16 = await connect('CS_FW201_FAIL', 'ocpp1.6');
    await v16.call('b', 'BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC-22', firmwareVersion: '1.0.0' });
    const updateId = (await stack.api.call('POST', '/v1/operator/stations/CS_FW201_FAIL/firmware-updates', { body: { location } })).json.updateId;
    await stack.eventually('UpdateFirmware sent', () => update(updateId), (u) => u.status === 'sent');
    v16.ws.close();

    const ws = await connect('CS_FW201_FAIL', 'ocpp2.0.1');
    for (const status of ['Downloading', 'Downloaded', 'Installing', 'InstallVerificationFailed']) await ws.call(`f-${status}`, 'FirmwareStatusNotification', { status, requestId: 2 });
    const done = await stack.eventually('update ends', () => update(updateId), (u) => u.outcome !== null);
    expect(done).toMatchObject({ outcome: 'installation_failed', detail: 'the station reported InstallationFailed' });
    expect(done.history.map((h: { status: string }) => h.status)).toEqual(['requested', 'sent', 'Downloading', 'Downloaded', 'Installing', 'InstallationFailed', 'installation_failed']);
  });

  /** A station that took GetDiagnostics over 1.6 and now speaks 2.0.1; the request and where to upload. */
  async function diagnosticsRequested(id: string): Promise<{ ws: RawOcppSocket; requestId: string; location: string }> {
    await stack.addCharger(id);
    const v16 = await connect(id, 'ocpp1.6');
    await v16.call('b', 'BootNotification', { chargePointVendor: 'Acme', chargePointModel: 'AC-22' });
    const asked = new Promise<{ location: string }>((resolve) =>
      v16.ws.on('message', (data) => {
        const [type, , action, payload] = JSON.parse(data.toString());
        if (type === 2 && action === 'GetDiagnostics') resolve(payload);
      }),
    );
    const res = await stack.api.call('POST', `/v1/operator/stations/${id}/diagnostics`);
    expect(res.status).toBe(201);
    const { location } = await asked;
    await stack.eventually('GetDiagnostics answered', () => diagnostics(id, res.json.requestId), (r) => r.status === 'sent');
    v16.ws.close();
    return { ws: await connect(id, 'ocpp2.0.1'), requestId: res.json.requestId, location };
  }
  const diagnostics = async (id: string, requestId: string) => (await stack.api.call('GET', `/v1/operator/stations/${id}/diagnostics/${requestId}`)).json;

  it('N01 (TC_N_35_CSMS): Uploading, the upload, then Uploaded end the diagnostics request uploaded', async () => {
    const { ws, requestId, location } = await diagnosticsRequested('CS_DG201');
    expect(await ws.call('l1', 'LogStatusNotification', { status: 'Uploading', requestId: 3 })).toEqual([3, 'l1', {}]);
    const put = await fetch(`${location}/cs-201.log`, { method: 'PUT', body: 'log line 1\n', headers: { 'content-type': 'text/plain' } });
    expect(put.status).toBeLessThan(300);
    expect(await ws.call('l2', 'LogStatusNotification', { status: 'Uploaded', requestId: 3 })).toEqual([3, 'l2', {}]);
    const done = await stack.eventually('request ends', () => diagnostics('CS_DG201', requestId), (r) => r.outcome !== null);
    expect(done).toMatchObject({ outcome: 'uploaded', file: { sizeBytes: 11 } });
    expect(done.history.map((h: { status: string }) => h.status)).toEqual(expect.arrayContaining(['Uploading', 'Uploaded', 'uploaded']));
  });

  it('N01: an upload the station reports PermissionDenied ends the request upload_failed', async () => {
    const { ws, requestId } = await diagnosticsRequested('CS_DG201_DENIED');
    await ws.call('l1', 'LogStatusNotification', { status: 'Uploading', requestId: 4 });
    await ws.call('l2', 'LogStatusNotification', { status: 'PermissionDenied', requestId: 4 });
    const done = await stack.eventually('request ends', () => diagnostics('CS_DG201_DENIED', requestId), (r) => r.outcome !== null);
    expect(done).toMatchObject({ outcome: 'upload_failed', detail: 'the station reported UploadFailed' });
  });
});
