/**
 * Starting the Temporal dev server when a port is already taken: the error says which one (in the
 * CLI's own words) and nothing is left running; a start on chosen free ports tries fresh ones.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/logger';
import { freePort } from '../../src/free-port';
import { DevServerStartError, startTemporalDevServer, startTemporalDevServerOnFreePorts } from '../../src/temporal/dev-server';
import { temporalCliPath } from '../../src/temporal/binaries';

jest.setTimeout(60_000);

const logger = createLogger({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' });
let dataDir: string;
let squatter: net.Server;
let takenPort: number;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csms-dev-server-start-'));
  squatter = net.createServer();
  await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', resolve));
  takenPort = (squatter.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => squatter.close(resolve));
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test('a taken UI port: the error names it, and the server that bound the other port is gone', async () => {
  const port = await freePort();
  const started = startTemporalDevServer({ cliPath: temporalCliPath(), dataDir, port, uiPort: takenPort, namespace: 'default', logger });
  const err = await started.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(DevServerStartError);
  expect((err as DevServerStartError).portTaken).toBe(true);
  expect((err as Error).message).toContain(`UI port ${takenPort}`);
  // Nothing still listens on the gRPC port it was given.
  const open = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
  expect(open).toBe(false);
});

test('on free ports: a start whose port was taken is tried again and comes up', async () => {
  // The first choice of ports is handed the squatter's port, as when another process binds it first.
  const chosen = [takenPort];
  const server = await startTemporalDevServerOnFreePorts({ cliPath: temporalCliPath(), dataDir, namespace: 'default', logger }, 3, async () => chosen.shift() ?? freePort());
  try {
    expect(server.port).not.toBe(takenPort);
    expect(server.uiPort).not.toBe(takenPort);
  } finally {
    await server.stop();
  }
});
