/**
 * Runs `temporal server start-dev` as a direct child process: SQLite persistence
 * under DATA_DIR (write-ahead log), the Web UI on, custom search attributes registered.
 */
import { spawn, ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Logger } from '../logger';
import { sessionSearchAttributes } from './search-attributes';

export const sqlitePragmas = ['journal_mode=wal', 'synchronous=normal'] as const;

export interface DevServerHandle {
  address: string;
  uiUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startTemporalDevServer(options: {
  cliPath: string;
  dataDir: string;
  port: number;
  uiPort: number;
  namespace: string;
  logger: Logger;
}): Promise<DevServerHandle> {
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
  child.stdout?.on('data', (d) => options.logger.debug({ component: 'temporal' }, String(d).trim()));
  child.stderr?.on('data', (d) => options.logger.debug({ component: 'temporal' }, String(d).trim()));
  let exited = false;
  const exitPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
  // In its own process group nothing else stops it: a forced exit of ours must not leave it
  // holding the ports (the next start would fail).
  const killOnExit = () => void (exited || child.kill('SIGKILL'));
  process.once('exit', killOnExit);
  void exitPromise.then(() => process.off('exit', killOnExit));
  await waitForPort(options.port, 30_000, () => exited);
  await waitForPort(options.uiPort, 30_000, () => exited);
  return {
    address: `127.0.0.1:${options.port}`,
    uiUrl: `http://127.0.0.1:${options.uiPort}`,
    process: child,
    async stop() {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exitPromise;
      clearTimeout(timer);
    },
  };
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
