/**
 * Runs `temporal server start-dev` as a direct child process: SQLite persistence
 * under DATA_DIR (write-ahead log), the Web UI on, custom search attributes registered.
 */
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from '../free-port';
import type { Logger } from '../logger';
import { sessionSearchAttributes } from './search-attributes';

export const sqlitePragmas = ['journal_mode=wal', 'synchronous=normal'] as const;

export interface DevServerHandle {
  address: string;
  uiUrl: string;
  port: number;
  uiPort: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  cliPath: string;
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  logger: Logger;
}

/** The server stopped or never opened its ports; `output` is the end of what it printed. */
export class DevServerStartError extends Error {
  constructor(
    reason: string,
    readonly output: string,
  ) {
    super(`Temporal dev server: ${reason}${output ? `; it printed: ${output}` : ''}`);
    this.name = 'DevServerStartError';
  }
  /** Another process took one of its ports between our choice and its bind. */
  get portTaken(): boolean {
    return /address already in use/i.test(this.output);
  }
}

const keptOutputChars = 2000;

export async function startTemporalDevServer(options: DevServerOptions): Promise<DevServerHandle> {
  fs.mkdirSync(options.dataDir, { recursive: true });
  const args = [
    'server',
    'start-dev',
    '--db-filename',
    path.resolve(options.dataDir, 'temporal.sqlite'),
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--ui-port',
    String(options.uiPort),
    '--namespace',
    options.namespace,
    '--log-level',
    'warn',
    // SQLite's defaults (rollback journal, a full fsync per commit) halve what the server can do.
    // WAL with synchronous=normal still survives a crash of any process; only a power loss may
    // lose the last commits (see the README).
    ...sqlitePragmas.flatMap((pragma) => ['--sqlite-pragma', pragma]),
    ...sessionSearchAttributes.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
  ];
  // Its own process group: a terminal's Ctrl-C reaches only us, and we stop the server after
  // the workers that depend on it.
  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  // The end of its output, for the error when it does not come up (it says which port was taken).
  let output = '';
  const keep = (d: Buffer) => {
    const text = String(d).trim();
    options.logger.debug({ component: 'temporal' }, text);
    output = `${output}\n${text}`.slice(-keptOutputChars).trim();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  // In its own process group nothing else stops it: a forced exit of ours must not leave it
  // holding the ports (the next start would fail).
  const killOnExit = () => void (exited || child.kill('SIGKILL'));
  process.once('exit', killOnExit);
  void exitPromise.then(() => process.off('exit', killOnExit));
  const stop = async () => {
    if (exited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exitPromise;
    clearTimeout(timer);
  };
  try {
    await waitForPort(options.port, 30_000, () => exited);
    await waitForPort(options.uiPort, 30_000, () => exited);
  } catch (err) {
    // One that never came up is stopped too: left running, its pipes would keep this process alive.
    await stop();
    throw new DevServerStartError((err as Error).message, output);
  }
  return {
    address: `127.0.0.1:${options.port}`,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    port: options.port,
    uiPort: options.uiPort,
    process: child,
    stop,
  };
}

/**
 * A dev server on ports nobody listens on (tests, benchmarks). A port is free when chosen but
 * may be taken before the server binds it (the server picks its own internal ports at random
 * too), so a start that fails on a taken port is tried again on fresh ones.
 */
export async function startTemporalDevServerOnFreePorts(
  options: Omit<DevServerOptions, 'port' | 'uiPort'>,
  attempts = 3,
  choosePort: () => Promise<number> = freePort,
): Promise<DevServerHandle> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startTemporalDevServer({ ...options, port: await choosePort(), uiPort: await choosePort() });
    } catch (err) {
      if (!(err instanceof DevServerStartError && err.portTaken) || attempt >= attempts) throw err;
    }
  }
}

export async function waitForPort(port: number, timeoutMs: number, gaveUp: () => boolean = () => false): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (gaveUp()) throw new Error(`process serving port ${port} exited before it was ready`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ port, host: '127.0.0.1' });
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
