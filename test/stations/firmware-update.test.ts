/**
 * Firmware updates on the whole stack: the API starts the firmwareUpdate workflow (time-skipping
 * Temporal server), the gateway sends UpdateFirmware to a simulated charger over a real
 * WebSocket, the charger's FirmwareStatusNotifications and its boot with the new version reach
 * the workflow through the StationEventSink, and the outcome and history are read from the API.
 */
import type { SimulatedChargePoint } from '../../src/simulator/charge-point';
import { startStack, type Stack } from '../reliability/support/stack';

const location = 'https://firmware.example.com/releases/acme-2.1.0.bin';
const fast = { downloadMs: 30, installMs: 30 };
const statusTimeoutMs = 10 * 60_000;

describe('firmware updates', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({
      name: 'firmware',
      stationEvents: true,
      env: { FIRMWARE_STATUS_TIMEOUT_MS: String(statusTimeoutMs), SESSION_COMMAND_MAX_ATTEMPTS: '2', SESSION_COMMAND_TIMEOUT_MS: '3000' },
    });
  });
  afterAll(async () => {
    await stack?.close();
  });

  async function charger(id: string, options: Parameters<Stack['connectCharger']>[1] = {}): Promise<SimulatedChargePoint> {
    await stack.addCharger(id);
    return stack.connectCharger(id, { firmwareVersion: '1.0.0', ...options });
  }

  async function requestUpdate(stationId: string, body: Record<string, unknown> = {}): Promise<string> {
    const res = await stack.api.call('POST', `/v1/operator/stations/${stationId}/firmware-updates`, { body: { location, ...body } });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/operator/firmware-updates/${res.json.updateId}`);
    return res.json.updateId;
  }

  const update = async (updateId: string) => (await stack.api.call('GET', `/v1/operator/firmware-updates/${updateId}`)).json;
  const finished = (updateId: string, timeoutMs?: number) => stack.eventually(`update ${updateId} ends`, () => update(updateId), (u) => u.outcome !== null, timeoutMs);
  const statuses = (u: { history: { status: string }[] }) => u.history.map((h) => h.status);

  it('TC_044_1_CSMS an update is followed Downloading → Downloaded → Installing → Installed and ends installed when the station boots with the new version', async () => {
    const cp = await charger('CP_FW_OK', { firmware: fast });
    const updateId = await requestUpdate('CP_FW_OK', { expectedVersion: '2.1.0', retries: 2, retryIntervalS: 5 });
    const sent = await new Promise<any>((resolve) => cp.once('updateFirmware', resolve));
    expect(sent).toMatchObject({ location, retries: 2, retryInterval: 5 });

    const done = await finished(updateId);
    expect(done).toMatchObject({ outcome: 'installed', status: 'installed', stationId: 'CP_FW_OK', expectedVersion: '2.1.0', finishedAt: expect.any(String) });
    expect(statuses(done)).toEqual(['requested', 'sent', 'Downloading', 'Downloaded', 'Installing', 'Installed', 'booted', 'installed']);
    expect(done.history[6].detail).toBe('firmwareVersion 2.1.0');
    expect(cp.firmwareVersion).toBe('2.1.0');

    const listed = await stack.api.call('GET', '/v1/operator/stations/CP_FW_OK/firmware-updates');
    expect(listed.json.updates.map((u: any) => u.updateId)).toEqual([updateId]);
    const { rows } = await stack.db.pool.query('SELECT firmware_version, firmware_status FROM chargers WHERE id = $1', ['CP_FW_OK']);
    expect(rows[0]).toEqual({ firmware_version: '2.1.0', firmware_status: 'Installed' });
  });

  it('without an expected version, Installed followed by a boot is installed (also when the station boots before reporting Installed)', async () => {
    await charger('CP_FW_AFTER', { firmware: { ...fast, installedAfterReboot: true } });
    const done = await finished(await requestUpdate('CP_FW_AFTER'));
    expect(done.outcome).toBe('installed');
    expect(statuses(done)).toEqual(['requested', 'sent', 'Downloading', 'Downloaded', 'Installing', 'booted', 'Installed', 'installed']);
  });

  it('an update whose station boots with another version than expected ends installation_failed', async () => {
    await charger('CP_FW_WRONGVER', { firmware: { ...fast, newVersion: '2.0.9' } });
    const done = await finished(await requestUpdate('CP_FW_WRONGVER', { expectedVersion: '2.1.0' }));
    expect(done).toMatchObject({ outcome: 'installation_failed', detail: 'Installed, but booted with firmwareVersion 2.0.9, not 2.1.0' });
  });

  it('an update of a station removed meanwhile is not kept, and its workflow still ends', async () => {
    const cp = await charger('CP_FW_REMOVED', { firmware: { ...fast, silentAt: { at: 'Downloaded' } } });
    const silent = new Promise((resolve) => cp.once('silent', resolve));
    const updateId = await requestUpdate('CP_FW_REMOVED');
    await silent;
    expect((await stack.api.call('DELETE', '/v1/operator/chargers/CP_FW_REMOVED')).status).toBe(204);
    await stack.env.sleep(statusTimeoutMs + 60_000);
    const run = stack.env.client.workflow.getHandle('firmware-update:CP_FW_REMOVED');
    expect((await run.result()).outcome).toBe('timed_out');
    expect((await stack.api.call('GET', `/v1/operator/firmware-updates/${updateId}`)).status).toBe(404);
  });

  it('a station that restarts mid-download (old version) is still followed, and ends installed only on the boot after Installed', async () => {
    const cp = await charger('CP_FW_RESTART', { firmware: { downloadMs: 800, installMs: 30 } });
    const updateId = await requestUpdate('CP_FW_RESTART');
    await stack.eventually('Downloading recorded', () => update(updateId), (u) => u.status === 'Downloading');
    await cp.reboot(); // a power cut mid-download: the same firmware boots again
    const done = await finished(updateId);
    expect(done.outcome).toBe('installed');
    expect(statuses(done)).toEqual(['requested', 'sent', 'Downloading', 'booted', 'Downloaded', 'Installing', 'Installed', 'booted', 'installed']);
    expect(done.history[3].detail).toBe('firmwareVersion 1.0.0');
    expect(done.history[7].detail).toBe('firmwareVersion 2.1.0');
  });

  it('TC_044_2_CSMS a download that fails on every attempt ends download_failed, and the station keeps its firmware', async () => {
    const cp = await charger('CP_FW_DLFAIL', { secondMs: 10, firmware: { ...fast, failDownloadAttempts: Infinity } });
    const done = await finished(await requestUpdate('CP_FW_DLFAIL', { retries: 2, retryIntervalS: 1 }));
    expect(done).toMatchObject({ outcome: 'download_failed', detail: 'the station reported DownloadFailed' });
    expect(statuses(done)).toEqual(['requested', 'sent', 'Downloading', 'Downloading', 'DownloadFailed', 'download_failed']);
    expect(cp.firmwareVersion).toBe('1.0.0');
  });

  it('TC_044_3_CSMS a failed installation ends installation_failed', async () => {
    const cp = await charger('CP_FW_INSTFAIL', { firmware: { ...fast, failInstall: true } });
    const done = await finished(await requestUpdate('CP_FW_INSTFAIL', { expectedVersion: '2.1.0' }));
    expect(done.outcome).toBe('installation_failed');
    expect(statuses(done)).toEqual(['requested', 'sent', 'Downloading', 'Downloaded', 'Installing', 'InstallationFailed', 'installation_failed']);
    expect(cp.firmwareVersion).toBe('1.0.0');
  });

  it('a station that goes silent mid-update ends timed_out once FIRMWARE_STATUS_TIMEOUT_MS has passed (time skipped)', async () => {
    const cp = await charger('CP_FW_SILENT', { firmware: { ...fast, silentAt: { at: 'Installing', mode: 'hang' } } });
    const silent = new Promise((resolve) => cp.once('silent', resolve));
    const updateId = await requestUpdate('CP_FW_SILENT');
    await silent;
    await stack.eventually('Downloaded recorded', () => update(updateId), (u) => u.status === 'Downloaded');
    await stack.env.sleep(statusTimeoutMs - 60_000);
    expect((await update(updateId)).outcome).toBeNull(); // not before the timeout
    await stack.env.sleep(2 * 60_000);
    const done = await finished(updateId);
    expect(done).toMatchObject({ outcome: 'timed_out', detail: 'no FirmwareStatusNotification for 10 min (last: Downloaded)' });
  });

  it('a station that disconnects mid-update and stays away ends timed_out, recorded with its last status', async () => {
    const cp = await charger('CP_FW_GONE', { firmware: { ...fast, silentAt: { at: 'Downloaded', mode: 'offline' } } });
    const gone = new Promise((resolve) => cp.once('disconnected', resolve));
    const updateId = await requestUpdate('CP_FW_GONE');
    await gone;
    await stack.eventually('Downloading recorded', () => update(updateId), (u) => u.status === 'Downloading');
    await stack.env.sleep(statusTimeoutMs + 60_000);
    const done = await finished(updateId);
    expect(done).toMatchObject({ outcome: 'timed_out', detail: 'no FirmwareStatusNotification for 10 min (last: Downloading)' });
  });

  it('an update cancelled from outside (the Web UI) is recorded cancelled, and the station may be updated again', async () => {
    const cp = await charger('CP_FW_CANCEL', { firmware: { ...fast, silentAt: { at: 'Downloaded' } } });
    const silent = new Promise((resolve) => cp.once('silent', resolve));
    const updateId = await requestUpdate('CP_FW_CANCEL');
    await silent;
    await stack.env.client.workflow.getHandle('firmware-update:CP_FW_CANCEL').cancel();
    const done = await finished(updateId);
    expect(done).toMatchObject({ outcome: 'cancelled', finishedAt: expect.any(String) });
    expect(statuses(done).at(-1)).toBe('cancelled');
    cp.firmware.cancel();
    expect((await stack.api.call('POST', '/v1/operator/stations/CP_FW_CANCEL/firmware-updates', { body: { location } })).status).toBe(201);
  });

  it('a station that answers UpdateFirmware with a CALLERROR ends charger_error at once', async () => {
    const cp = await charger('CP_FW_CALLERROR');
    cp.behaviour.UpdateFirmware = 'callerror';
    const done = await finished(await requestUpdate('CP_FW_CALLERROR'));
    expect(done.outcome).toBe('charger_error');
    expect(done.detail).toMatch(/^InternalError: /);
    expect(statuses(done)).toEqual(['requested', 'charger_error']);
  });

  it('an offline station is tried SESSION_COMMAND_MAX_ATTEMPTS times, then the update ends unreachable', async () => {
    await stack.addCharger('CP_FW_OFFLINE');
    const done = await finished(await requestUpdate('CP_FW_OFFLINE'));
    expect(done.outcome).toBe('unreachable');
    expect(done.detail).toMatch(/offline .*after 2 attempts/);
  });

  it('a second update while one is in progress is refused with 409, and the first carries on', async () => {
    const cp = await charger('CP_FW_BUSY', { firmware: fast });
    // Any ISO form the API takes (here without seconds, with an offset) reaches the station as OCPP's dateTime.
    const later = new Date(Math.ceil((Date.now() + 3_600_000) / 60_000) * 60_000);
    const first = await requestUpdate('CP_FW_BUSY', { retrieveDate: later.toISOString().slice(0, 16) + '+00:00' });
    const sent = await new Promise<any>((resolve) => cp.once('updateFirmware', resolve));
    expect(sent.retrieveDate).toBe(later.toISOString());
    const second = await stack.api.call('POST', '/v1/operator/stations/CP_FW_BUSY/firmware-updates', { body: { location } });
    expect(second.status).toBe(409);
    expect(second.json.error.code).toBe('already_running');
    const listed = await stack.api.call('GET', '/v1/operator/stations/CP_FW_BUSY/firmware-updates');
    expect(listed.json.updates.map((u: any) => u.updateId)).toEqual([first]);
    expect((await update(first)).status).toBe('sent');
  });

  it('a station whose SupportedFeatureProfiles lacks FirmwareManagement is refused with 409, alone or in a rollout, and sent nothing', async () => {
    const cp = await charger('CP_FW_NOPROFILE', { featureProfiles: ['Core'] });
    await stack.eventually('profiles read', () => stack.db.pool.query('SELECT supported_feature_profiles AS p FROM station_configuration WHERE station_id = $1', ['CP_FW_NOPROFILE']), (r) => r.rows[0]?.p?.length > 0);
    let asked = false;
    cp.on('call', (c: { action: string }) => (asked ||= c.action === 'UpdateFirmware'));
    const res = await stack.api.call('POST', '/v1/operator/stations/CP_FW_NOPROFILE/firmware-updates', { body: { location } });
    expect([res.status, res.json.error.code]).toEqual([409, 'feature_profile_not_supported']);
    const rollout = await stack.api.call('POST', '/v1/operator/firmware-rollouts', { body: { stationIds: ['CP_FW_OK', 'CP_FW_NOPROFILE'], maxConcurrent: 1, location } });
    expect([rollout.status, rollout.json.error.message]).toEqual([409, expect.stringContaining('CP_FW_NOPROFILE')]);
    expect(asked).toBe(false);
  });

  it('bad requests are 4xx naming the field; unknown stations and updates are 404', async () => {
    const bad = await stack.api.call('POST', '/v1/operator/stations/CP_FW_OK/firmware-updates', { body: { location: 'https://firmware.example/ä b.bin', retries: 0, retrieveDate: '2026-13-45T99:00:00Z' } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.details.map((d: any) => d.field).sort()).toEqual(['body.location', 'body.retries', 'body.retrieveDate']);
    expect((await stack.api.call('POST', '/v1/operator/stations/CP_NOPE/firmware-updates', { body: { location } })).status).toBe(404);
    expect((await stack.api.call('GET', '/v1/operator/firmware-updates/fw_unknown')).status).toBe(404);
    expect((await stack.api.call('POST', '/v1/operator/stations/CP_FW_OK/firmware-updates', { body: { location }, token: null })).status).toBe(401);
  });

  it('a rollout updates every station with at most maxConcurrent in progress at once, and reports each outcome', async () => {
    const ids = ['CP_RO_1', 'CP_RO_2', 'CP_RO_3', 'CP_RO_4', 'CP_RO_5'];
    const chargers = await Promise.all(ids.map((id) => charger(id, { firmware: { downloadMs: 150, installMs: 150 } })));
    // In progress = the rollout's updates not yet finished, counted whenever a station is sent UpdateFirmware
    // (a child records itself before sending, and finishes only after the station booted).
    const inProgress: number[] = [];
    let rolloutId = '';
    const counts: Promise<void>[] = [];
    for (const cp of chargers) {
      cp.on('updateFirmware', () => {
        counts.push(
          stack.db.pool
            .query('SELECT count(*)::int AS n FROM firmware_updates WHERE rollout_id = $1 AND finished_at IS NULL', [rolloutId])
            .then(({ rows }) => void inProgress.push(rows[0].n)),
        );
      });
    }
    const started = await stack.api.call('POST', '/v1/operator/firmware-rollouts', { body: { stationIds: ids, maxConcurrent: 2, location, expectedVersion: '2.1.0' } });
    expect(started.status).toBe(201);
    rolloutId = started.json.rolloutId;
    expect(started.json.stations.map((s: any) => s.status)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);

    const done = await stack.eventually('the rollout ends', async () => (await stack.api.call('GET', `/v1/operator/firmware-rollouts/${rolloutId}`)).json, (r) => r.status === 'finished', 30_000);
    expect(done.stations.map((s: any) => [s.stationId, s.outcome])).toEqual(ids.map((id) => [id, 'installed']));
    await Promise.all(counts);
    expect(inProgress).toHaveLength(5);
    expect(Math.max(...inProgress)).toBe(2);
    expect(chargers.map((cp) => cp.firmwareVersion)).toEqual(ids.map(() => '2.1.0'));
  });

  it('a rollout skips a station whose update is already running (busy) and refuses unknown stations with 404', async () => {
    const busy = await charger('CP_RO_BUSY', { firmware: fast });
    await charger('CP_RO_FREE', { firmware: fast });
    await requestUpdate('CP_RO_BUSY', { retrieveDate: new Date(Date.now() + 3_600_000).toISOString() });
    await new Promise((resolve) => busy.once('updateFirmware', resolve));
    const started = await stack.api.call('POST', '/v1/operator/firmware-rollouts', { body: { stationIds: ['CP_RO_BUSY', 'CP_RO_FREE'], maxConcurrent: 1, location } });
    const done = await stack.eventually('the rollout ends', async () => (await stack.api.call('GET', `/v1/operator/firmware-rollouts/${started.json.rolloutId}`)).json, (r) => r.status === 'finished');
    expect(done.stations).toEqual([
      { stationId: 'CP_RO_BUSY', updateId: null, status: 'busy', outcome: 'busy' },
      { stationId: 'CP_RO_FREE', updateId: expect.any(String), status: 'installed', outcome: 'installed' },
    ]);
    const unknown = await stack.api.call('POST', '/v1/operator/firmware-rollouts', { body: { stationIds: ['CP_RO_FREE', 'CP_NOPE_1'], maxConcurrent: 1, location } });
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.message).toContain('CP_NOPE_1');
    const twice = await stack.api.call('POST', '/v1/operator/firmware-rollouts', { body: { stationIds: ['CP_RO_FREE', 'CP_RO_FREE'], maxConcurrent: 0, location } });
    expect(twice.status).toBe(400);
    expect(twice.json.error.details.map((d: any) => d.field).sort()).toEqual(['body.maxConcurrent', 'body.stationIds']);
  });
});
