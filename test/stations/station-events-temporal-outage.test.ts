/**
 * Temporal unreachable from the gateway (a real TCP outage between them) during a firmware update:
 * the station's notifications are stored and answered, never refused; the update that could not be
 * told reads what was stored before it gives up on the silence.
 */
import { startStack, type Stack } from '../reliability/support/stack';

const statusTimeoutMs = 10 * 60_000;

describe('firmware and diagnostics status while Temporal is unreachable from the gateway', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ name: 'firmware-outage', stationEvents: true, gatewayTemporalLink: true, env: { FIRMWARE_STATUS_TIMEOUT_MS: String(statusTimeoutMs), DIAGNOSTICS_STATUS_TIMEOUT_MS: String(statusTimeoutMs) } });
  });
  afterAll(async () => {
    await stack?.close();
  });

  const update = async (updateId: string) => (await stack.api.call('GET', `/v1/operator/firmware-updates/${updateId}`)).json;

  it('a FirmwareStatusNotification is stored and answered; the update that missed it reads it, then times out on the silence after it', async () => {
    await stack.addCharger('CP_FWO');
    // The charger accepts UpdateFirmware and reports nothing by itself: the test speaks for it.
    const cp = await stack.connectCharger('CP_FWO', { firmware: { silentAt: { at: 'Downloading' } } });
    const sent = new Promise((resolve) => cp.once('updateFirmware', resolve));
    const res = await stack.api.call('POST', '/v1/operator/stations/CP_FWO/firmware-updates', { body: { location: 'https://firmware.example/acme-2.1.0.bin' } });
    await sent;
    await stack.eventually('sent recorded', async () => (await stack.api.call('GET', `/v1/operator/firmware-updates/${res.json.updateId}`)).json, (u) => u.status === 'sent');

    stack.temporalLink!.cut();
    const started = Date.now();
    await expect(cp.call('FirmwareStatusNotification', { status: 'Downloading' })).resolves.toEqual({}); // a CALLERROR would reject
    expect(Date.now() - started).toBeLessThan(10_000); // bounded by the signal deadline, far below the charger's call timeout
    const { rows } = await stack.db.pool.query('SELECT firmware_status FROM chargers WHERE id = $1', ['CP_FWO']);
    expect(rows[0].firmware_status).toBe('Downloading');
    stack.temporalLink!.restore();

    await stack.env.sleep(statusTimeoutMs + 60_000);
    const read = await stack.eventually('Downloading read from PostgreSQL', () => update(res.json.updateId), (u) => u.status === 'Downloading');
    expect(read.outcome).toBeNull();
    expect(read.history.at(-1)).toMatchObject({ status: 'Downloading', detail: expect.stringContaining('did not reach this workflow') });
    await stack.env.sleep(statusTimeoutMs + 60_000);
    const done = await stack.eventually('the update ends', () => update(res.json.updateId), (u) => u.outcome !== null);
    expect(done).toMatchObject({ outcome: 'timed_out', detail: 'no FirmwareStatusNotification for 10 min (last: Downloading)' });
  });

  it('an update whose Installed and boot were stored while Temporal was unreachable ends installed', async () => {
    await stack.addCharger('CP_FWO_2');
    const cp = await stack.connectCharger('CP_FWO_2', { firmwareVersion: '1.0.0', firmware: { silentAt: { at: 'Downloading' } } });
    const sent = new Promise((resolve) => cp.once('updateFirmware', resolve));
    const res = await stack.api.call('POST', '/v1/operator/stations/CP_FWO_2/firmware-updates', { body: { location: 'https://firmware.example/acme-2.1.0.bin' } });
    await sent;
    await stack.eventually('sent recorded', () => update(res.json.updateId), (u) => u.status === 'sent');

    stack.temporalLink!.cut();
    for (const status of ['Downloading', 'Downloaded', 'Installing', 'Installed']) await cp.call('FirmwareStatusNotification', { status });
    await cp.reboot('2.1.0');
    stack.temporalLink!.restore();

    await stack.env.sleep(statusTimeoutMs + 60_000);
    const done = await stack.eventually('the update ends', () => update(res.json.updateId), (u) => u.outcome !== null);
    expect(done.outcome).toBe('installed');
    expect(done.history.map((h: any) => h.status)).toEqual(['requested', 'sent', 'Installed', 'booted', 'installed']);
    expect(done.history[3].detail).toMatch(/^firmwareVersion 2\.1\.0; read from the stored station state/);
  });

  it('a diagnostics request whose UploadFailed was stored while Temporal was unreachable ends upload_failed', async () => {
    await stack.addCharger('CP_DGO');
    const cp = await stack.connectCharger('CP_DGO', { diagnostics: { silentAt: { at: 'Uploading' } } });
    const res = await stack.api.call('POST', '/v1/operator/stations/CP_DGO/diagnostics');
    expect(res.status).toBe(201);
    const request = () => stack.api.call('GET', `/v1/operator/stations/CP_DGO/diagnostics/${res.json.requestId}`).then((r) => r.json);
    await stack.eventually('sent recorded', request, (r) => r.status === 'sent');

    stack.temporalLink!.cut();
    await expect(cp.call('DiagnosticsStatusNotification', { status: 'UploadFailed' })).resolves.toEqual({});
    stack.temporalLink!.restore();

    await stack.env.sleep(statusTimeoutMs + 60_000);
    const done = await stack.eventually('the request ends', request, (r) => r.outcome !== null);
    expect(done.outcome).toBe('upload_failed');
    expect(done.history.map((h: any) => h.status)).toEqual(['requested', 'sent', 'UploadFailed', 'upload_failed']);
  });
});
