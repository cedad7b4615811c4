/** The command line's firmware and diagnostics options (parsing only; the behaviour is tested in firmware/diagnostics tests). */
import { CliUsageError, parseCliArgs } from '../../src/simulator/cli';

const base = ['--url', 'ws://127.0.0.1:9000/ocpp'];

test('firmware and diagnostics options are parsed, with defaults', () => {
  expect(parseCliArgs(base)).toMatchObject({ firmwareStepMs: 200, diagnosticsMethod: 'PUT', firmwareFail: undefined });
  expect(
    parseCliArgs([...base, '--firmware-version', '2.0', '--firmware-fail', 'install', '--firmware-silent-at', 'Downloaded', '--firmware-step-ms', '50', '--diagnostics-method', 'POST']),
  ).toMatchObject({ firmwareVersion: '2.0', firmwareFail: 'install', firmwareSilentAt: 'Downloaded', firmwareStepMs: 50, diagnosticsMethod: 'POST' });
});

test('an unknown firmware step is a usage error naming the choices', () => {
  expect(() => parseCliArgs([...base, '--firmware-fail', 'reboot'])).toThrow(CliUsageError);
  expect(() => parseCliArgs([...base, '--firmware-fail', 'reboot'])).toThrow(/download\|install/);
});

test('--profiles and repeated --config preset the feature profiles and configuration keys', () => {
  expect(parseCliArgs(base)).toMatchObject({ profiles: undefined, config: {} });
  expect(
    parseCliArgs([...base, '--profiles', 'Core,LocalAuthListManagement,Reservation', '--config', 'ReserveConnectorZeroSupported=true', '--config', 'LocalPreAuthorize=true']),
  ).toMatchObject({ profiles: ['Core', 'LocalAuthListManagement', 'Reservation'], config: { ReserveConnectorZeroSupported: 'true', LocalPreAuthorize: 'true' } });
  expect(() => parseCliArgs([...base, '--profiles', 'Core,Teleportation'])).toThrow(/--profiles/);
  expect(() => parseCliArgs([...base, '--profiles', 'Reservation'])).toThrow(/with Core/);
  expect(() => parseCliArgs([...base, '--config', 'novalue'])).toThrow(/KEY=VALUE/);
});
