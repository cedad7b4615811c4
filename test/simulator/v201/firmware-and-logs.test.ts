/** UpdateFirmware → FirmwareStatusNotification (L01) and GetLog → LogStatusNotification (N01). */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { useStationHarness } from './support/harness';

const h = useStationHarness('FL201');
const { connected } = h;

const statuses = (stationId: string, action: string) => h.csms.received(stationId, [action]).map((c) => [c.params.status, c.params.requestId]);
const firmware = (extra: Record<string, unknown> = {}) => ({ requestId: 3, firmware: { location: 'https://fw.example/sim-2.0.0.bin', retrieveDateTime: new Date().toISOString(), ...extra } });

describe('UpdateFirmware (L01)', () => {
  test('the update reports Downloading … InstallRebooting, reboots with reason FirmwareUpdate and the new version, then Installed (TC_L_01_CS)', async () => {
    const s = await connected({ firmware: { stepMs: 20 } });
    await expect(h.csms.command(s.stationId, 'UpdateFirmware', firmware())).resolves.toEqual({ status: 'Accepted' });
    await h.next(s.stationId, (c) => c.action === 'SecurityEventNotification' && c.params.type === 'FirmwareUpdated', 5000);
    expect(statuses(s.stationId, 'FirmwareStatusNotification')).toEqual([
      ['Downloading', 3],
      ['Downloaded', 3],
      ['Installing', 3],
      ['InstallRebooting', 3],
      ['Installed', 3],
    ]);
    const boots = h.csms.received(s.stationId, ['BootNotification']);
    expect(boots[1].params).toMatchObject({ reason: 'FirmwareUpdate', chargingStation: { firmwareVersion: 'sim-2.0.0' } });
  });

  test('a failing download is retried, then DownloadFailed', async () => {
    const s = await connected({ firmware: { stepMs: 10, fail: 'download' } });
    await h.csms.command(s.stationId, 'UpdateFirmware', { ...firmware(), retries: 1, retryInterval: 0 });
    await h.next(s.stationId, (c) => c.action === 'FirmwareStatusNotification' && c.params.status === 'DownloadFailed', 3000);
    expect(statuses(s.stationId, 'FirmwareStatusNotification').map(([st]) => st)).toEqual(['Downloading', 'Downloading', 'DownloadFailed']);
  });

  test('installation waits for the running transaction; a failing install reports InstallationFailed', async () => {
    const s = await connected({ firmware: { stepMs: 10, fail: 'install' } });
    await s.startTransaction(1, 'TAG');
    await h.csms.command(s.stationId, 'UpdateFirmware', firmware());
    await h.next(s.stationId, (c) => c.action === 'FirmwareStatusNotification' && c.params.status === 'Downloaded', 3000, true);
    await new Promise((r) => setTimeout(r, 100));
    expect(statuses(s.stationId, 'FirmwareStatusNotification').map(([st]) => st)).toEqual(['Downloading', 'Downloaded']);
    await s.stopTransaction(1);
    await h.next(s.stationId, (c) => c.action === 'FirmwareStatusNotification' && c.params.status === 'InstallationFailed', 3000);
  });

  test('TriggerMessage FirmwareStatusNotification reports Idle when no update runs', async () => {
    const s = await connected();
    await h.csms.command(s.stationId, 'TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' });
    const n = await h.next(s.stationId, (c) => c.action === 'FirmwareStatusNotification', 2000, true);
    expect(n.params).toEqual({ status: 'Idle' });
  });
});

describe('GetLog (N01)', () => {
  test('the log is PUT to an http location: Uploading then Uploaded, with the requestId (TC_N_25_CS)', async () => {
    const bodies: string[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        bodies.push(`${req.method} ${req.url} ${body}`);
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const s = await connected({ logs: { stepMs: 10 } });
      const { port } = server.address() as AddressInfo;
      const answer = await h.csms.command(s.stationId, 'GetLog', { logType: 'DiagnosticsLog', requestId: 4, log: { remoteLocation: `http://127.0.0.1:${port}/upload/` } });
      expect(answer).toEqual({ status: 'Accepted', filename: 'diagnostics-4.log' });
      await h.next(s.stationId, (c) => c.action === 'LogStatusNotification' && c.params.status === 'Uploaded', 3000);
      expect(statuses(s.stationId, 'LogStatusNotification')).toEqual([
        ['Uploading', 4],
        ['Uploaded', 4],
      ]);
      expect(bodies[0]).toMatch(/^PUT \/upload\/diagnostics-4\.log firmwareVersion=1\.0\.0/);
    } finally {
      server.close();
    }
  });

  test('an unreachable location reports UploadFailure', async () => {
    const s = await connected({ logs: { stepMs: 10 } });
    await h.csms.command(s.stationId, 'GetLog', { logType: 'SecurityLog', requestId: 5, log: { remoteLocation: 'http://127.0.0.1:1/x' } });
    await h.next(s.stationId, (c) => c.action === 'LogStatusNotification' && c.params.status === 'UploadFailure', 6000);
  });
});
