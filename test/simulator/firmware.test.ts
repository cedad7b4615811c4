/** UpdateFirmware (OCPP 1.6 §5.19) and FirmwareStatusNotification (§4.5), with scripted faults. */
import { versionFromLocation } from '../../src/simulator/firmware';
import { sleep, useSimulatorHarness } from './support/harness';

const h = useSimulatorHarness('FW');
const fast = { downloadMs: 30, installMs: 30 };
const update = (id: string, params: Record<string, unknown> = {}) =>
  h.csms.command(id, 'UpdateFirmware', { location: 'https://fw.example.com/releases/sim-2.4.1.bin', retrieveDate: new Date().toISOString(), ...params });
const fw = (id: string) => h.labels(id).filter((l) => l.startsWith('FW:'));
const boots = (id: string) => h.csms.received(id, ['BootNotification']);

test('an update walks Downloading → Downloaded → Installing → Installed, then reboots with the version from the file name', async () => {
  const cp = await h.connected({ firmware: fast });
  const rebooted = h.next(cp.chargePointId, (c) => c.action === 'BootNotification', 3000);
  // §5.19: the charger answers UpdateFirmware.conf (empty) at once.
  await expect(update(cp.chargePointId)).resolves.toEqual({});
  const boot = await rebooted;
  expect(fw(cp.chargePointId)).toEqual(['FW:Downloading', 'FW:Downloaded', 'FW:Installing', 'FW:Installed']);
  expect(boot.params.firmwareVersion).toBe('2.4.1');
  expect(boots(cp.chargePointId)[0].params.firmwareVersion).toBe('1.0.0');
  const installed = h.csms.received(cp.chargePointId, ['FirmwareStatusNotification']).at(-1)!;
  expect(installed.seq).toBeLessThan(boot.seq);
  // A new connection: the old socket was closed.
  await h.next(cp.chargePointId, (c) => c.action === 'StatusNotification' && c.seq > boot.seq, 2000, true);
  expect(cp.firmwareVersion).toBe('2.4.1');
});

test('the download starts at retrieveDate, not before', async () => {
  const cp = await h.connected({ firmware: fast });
  const t0 = Date.now();
  await update(cp.chargePointId, { retrieveDate: new Date(t0 + 400).toISOString() });
  const downloading = await h.next(cp.chargePointId, (c) => c.action === 'FirmwareStatusNotification');
  expect(downloading.params.status).toBe('Downloading');
  expect(downloading.at - t0).toBeGreaterThanOrEqual(380);
});

test('a download that keeps failing is tried `retries` times, retryInterval apart, then DownloadFailed, and no reboot', async () => {
  const cp = await h.connected({ secondMs: 100, firmware: { ...fast, failDownloadAttempts: Infinity } });
  await update(cp.chargePointId, { retries: 3, retryInterval: 2 });
  const failed = await h.next(cp.chargePointId, (c) => c.action === 'FirmwareStatusNotification' && c.params.status === 'DownloadFailed', 3000);
  expect(fw(cp.chargePointId)).toEqual(['FW:Downloading', 'FW:Downloading', 'FW:Downloading', 'FW:DownloadFailed']);
  const attempts = h.csms.received(cp.chargePointId, ['FirmwareStatusNotification']).slice(0, 3).map((c) => c.at);
  // download 30 ms + retryInterval 2 × 100 ms between attempts
  expect(attempts[1] - attempts[0]).toBeGreaterThanOrEqual(220);
  expect(attempts[2] - attempts[1]).toBeGreaterThanOrEqual(220);
  await sleep(100);
  expect(boots(cp.chargePointId)).toHaveLength(1);
  expect(failed).toBeDefined();
});

test('a download that fails once succeeds on the retry', async () => {
  const cp = await h.connected({ firmware: { ...fast, failDownloadAttempts: 1, newVersion: 'SIM-9' } });
  const rebooted = h.next(cp.chargePointId, (c) => c.action === 'BootNotification', 3000);
  await update(cp.chargePointId, { retries: 2, retryInterval: 0 });
  expect((await rebooted).params.firmwareVersion).toBe('SIM-9');
  expect(fw(cp.chargePointId)).toEqual(['FW:Downloading', 'FW:Downloading', 'FW:Downloaded', 'FW:Installing', 'FW:Installed']);
});

test('a failing installation reports InstallationFailed and keeps the old firmware', async () => {
  const cp = await h.connected({ firmware: { ...fast, failInstall: true } });
  await update(cp.chargePointId);
  await h.next(cp.chargePointId, (c) => c.action === 'FirmwareStatusNotification' && c.params.status === 'InstallationFailed');
  expect(fw(cp.chargePointId)).toEqual(['FW:Downloading', 'FW:Downloaded', 'FW:Installing', 'FW:InstallationFailed']);
  await sleep(100);
  expect(boots(cp.chargePointId)).toHaveLength(1);
  expect(cp.firmwareVersion).toBe('1.0.0');
});

test('installation waits until the running transaction has ended (§5.19 RECOMMENDED)', async () => {
  const cp = await h.connected({ firmware: fast });
  await cp.startTransaction(1, 'TAG');
  await update(cp.chargePointId);
  await h.next(cp.chargePointId, (c) => c.action === 'FirmwareStatusNotification' && c.params.status === 'Downloaded');
  await sleep(150);
  expect(fw(cp.chargePointId)).toEqual(['FW:Downloading', 'FW:Downloaded']);
  const rebooted = h.next(cp.chargePointId, (c) => c.action === 'BootNotification', 3000);
  await cp.stopTransaction(1);
  await rebooted;
  expect(fw(cp.chargePointId)).toEqual(['FW:Downloading', 'FW:Downloaded', 'FW:Installing', 'FW:Installed']);
});

test('with installedAfterReboot the charger boots the new firmware first, then reports Installed', async () => {
  const cp = await h.connected({ firmware: { ...fast, installedAfterReboot: true } });
  await update(cp.chargePointId);
  const installed = await h.next(cp.chargePointId, (c) => c.action === 'FirmwareStatusNotification' && c.params.status === 'Installed', 3000);
  const boot = boots(cp.chargePointId)[1];
  expect(boot.params.firmwareVersion).toBe('2.4.1');
  expect(boot.seq).toBeLessThan(installed.seq);
});

test('a charger that hangs at Installing sends nothing more, does not reboot, and a trigger reports Installing', async () => {
  const cp = await h.connected({ firmware: { ...fast, silentAt: { at: 'Installing' } } });
  // Listening before the command: the charger may go silent before its answer reaches the test.
  const silent = cp.waitFor('silent');
  await update(cp.chargePointId);
  await silent;
  await sleep(150);
  expect(fw(cp.chargePointId)).toEqual(['FW:Downloading', 'FW:Downloaded']);
  expect(boots(cp.chargePointId)).toHaveLength(1);
  const triggered = h.next(cp.chargePointId, (c) => c.action === 'FirmwareStatusNotification');
  await h.csms.command(cp.chargePointId, 'TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' });
  expect((await triggered).params.status).toBe('Installing');
});

test('a charger that drops off the network at Downloaded closes its socket and stays away', async () => {
  const cp = await h.connected({ reconnect: true, firmware: { ...fast, silentAt: { at: 'Downloaded', mode: 'offline' } } });
  const gone = cp.waitFor('disconnected');
  await update(cp.chargePointId);
  await gone;
  await sleep(400);
  expect(h.csms.clients.has(cp.chargePointId)).toBe(false);
  expect(fw(cp.chargePointId)).toEqual(['FW:Downloading']);
});

test('a triggered FirmwareStatusNotification reports the step in progress, and Idle once the update is over', async () => {
  const cp = await h.connected({ firmware: { downloadMs: 300, installMs: 10 } });
  await update(cp.chargePointId);
  await h.next(cp.chargePointId, (c) => c.action === 'FirmwareStatusNotification', 2000, true);
  // The download takes 300 ms: the next notification is the triggered one.
  const during = h.next(cp.chargePointId, (c) => c.action === 'FirmwareStatusNotification');
  await h.csms.command(cp.chargePointId, 'TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' });
  expect((await during).params.status).toBe('Downloading');
  await h.next(cp.chargePointId, (c) => c.action === 'BootNotification', 3000);
  await sleep(50);
  const after = h.next(cp.chargePointId, (c) => c.action === 'FirmwareStatusNotification');
  await h.csms.command(cp.chargePointId, 'TriggerMessage', { requestedMessage: 'FirmwareStatusNotification' });
  expect((await after).params.status).toBe('Idle');
});

test('UpdateFirmware behaviours: reject answers and does nothing, not_supported is a CALLERROR NotSupported', async () => {
  const cp = await h.connected({ firmware: fast });
  cp.behaviour.UpdateFirmware = 'reject';
  await expect(update(cp.chargePointId)).resolves.toEqual({});
  cp.behaviour.UpdateFirmware = 'not_supported';
  await expect(update(cp.chargePointId)).rejects.toMatchObject({ rpcErrorCode: 'NotSupported' });
  await sleep(150);
  expect(fw(cp.chargePointId)).toEqual([]);
});

test('the version comes from the location file name', () => {
  expect(versionFromLocation('https://x/fw/acme-wallbox-3.10.2-rc1.tar.gz')).toBe('3.10.2-rc1');
  expect(versionFromLocation('ftp://x/fw/latest.bin')).toBe('latest');
  expect(versionFromLocation('https://x/fw/v7.1.img?sig=abc')).toBe('7.1');
});
