import { diagnosticsStatusOf201, firmwareStatusOf201 } from '../../../src/gateway/rules/firmware-log-status-v201';

describe('2.0.1 firmware and log statuses in the workflows’ words', () => {
  it('maps every 2.0.1 FirmwareStatus onto one the firmware-update workflow follows; every failure is a failure', () => {
    const followed = ['Idle', 'Downloading', 'Downloaded', 'DownloadFailed', 'Installing', 'Installed', 'InstallationFailed'];
    for (const [status201, status16] of Object.entries(firmwareStatusOf201)) expect([status201, followed.includes(status16)]).toEqual([status201, true]);
    const failures = Object.entries(firmwareStatusOf201).filter(([s]) => /Failed|Invalid/.test(s));
    expect(failures.map(([, s]) => s)).toEqual(['DownloadFailed', 'InstallationFailed', 'InstallationFailed', 'InstallationFailed']);
  });

  it('maps every 2.0.1 UploadLogStatus onto a DiagnosticsStatus: only Uploaded is a success', () => {
    expect(Object.entries(diagnosticsStatusOf201).filter(([, s]) => s === 'Uploaded').map(([s]) => s)).toEqual(['Uploaded']);
    expect(new Set(Object.values(diagnosticsStatusOf201))).toEqual(new Set(['Idle', 'Uploading', 'Uploaded', 'UploadFailed']));
  });
});
