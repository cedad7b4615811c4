/**
 * Runs localstripe, the Stripe API emulator `npm run setup` installs into .tools/localstripe, as a
 * child process in its own process group on a free port: tests and `npm start` use it when no
 * STRIPE_SECRET_KEY is configured. The Stripe SDK reaches it by configuration only
 * (STRIPE_API_HOST / STRIPE_API_PORT / STRIPE_API_PROTOCOL, see stripeConnectionOf).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../free-port';
import type { Logger } from '../logger';
import { projectRoot } from '../paths';
import { waitForPort } from '../temporal/dev-server';

// One table, shared with scripts/setup-temporal.js.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { LOCALSTRIPE, localstripePython, localstripeStamp } = require(path.join(projectRoot, 'scripts', 'localstripe-tool.js')) as {
  LOCALSTRIPE: { pypi: string; version: string; envOverride: string };
  localstripePython: string;
  localstripeStamp: string;
};
const launcher = path.join(projectRoot, 'scripts', 'localstripe-launch.py');

/** Any key of the form sk_test_… is accepted by the emulator. */
export const localstripeSecretKey = 'sk_test_localstripe';

export interface LocalstripeHandle {
  port: number;
  /** The settings that point the Stripe SDK at it. */
  connection: { secretKey: string; host: string; port: number; protocol: 'http' };
  stop(): Promise<void>;
}

export class LocalstripeMissingError extends Error {
  constructor(tried: string) {
    super(
      `localstripe was not found (${tried}). Run \`npm run setup\` (installs PyPI ${LOCALSTRIPE.pypi}==${LOCALSTRIPE.version} into .tools/localstripe), ` +
        `set ${LOCALSTRIPE.envOverride} to a localstripe executable, or set STRIPE_SECRET_KEY to use Stripe itself.`,
    );
    this.name = 'LocalstripeMissingError';
  }
}

/** The command that starts it: the pinned install with a state file of its own, else an explicit executable (its state then in /tmp, shared). */
function command(stateFile: string, port: number, override: string | undefined): [string, string[]] {
  if (override) {
    if (!fs.existsSync(override)) throw new LocalstripeMissingError(`${LOCALSTRIPE.envOverride}=${override}`);
    return [override, ['--port', String(port), '--from-scratch']];
  }
  if (!fs.existsSync(localstripeStamp) || !fs.existsSync(localstripePython)) throw new LocalstripeMissingError(`tried ${localstripePython}`);
  return [localstripePython, [launcher, stateFile, '--port', String(port)]];
}

export interface LocalstripeOptions {
  /** Where it keeps its store; default a fresh temporary file, removed on stop. */
  stateFile?: string;
  logger?: Logger;
  /** An executable instead of the pinned install (LOCALSTRIPE_PATH). */
  executable?: string;
  /** This port (a restart where clients already point), else a free one. */
  port?: number;
}

export async function startLocalstripe(options: LocalstripeOptions = {}, attempts = 3): Promise<LocalstripeHandle> {
  const temporaryDir = options.stateFile ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'localstripe-'));
  const stateFile = options.stateFile ?? path.join(temporaryDir!, 'state.pickle');
  fs.mkdirSync(path.dirname(stateFile), { recursive: true });
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await freePort());
    const [exe, args] = command(stateFile, port, options.executable);
    // Its own process group: stopped as a whole, and a terminal's Ctrl-C reaches only us.
    const child = spawn(exe, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const keep = (d: Buffer) => {
      const text = String(d);
      options.logger?.debug({ component: 'localstripe' }, text.trim());
      output = (output + text).slice(-2000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let exited = false;
    const exitPromise = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), resolve())));
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        /* already gone */
      }
    };
    const killOnExit = () => void (exited || killGroup('SIGKILL'));
    process.once('exit', killOnExit);
    const stopProcess = async () => {
      if (!exited) {
        killGroup('SIGTERM');
        const timer = setTimeout(() => killGroup('SIGKILL'), 5_000);
        await exitPromise;
        clearTimeout(timer);
      }
      process.off('exit', killOnExit);
    };
    const removeState = () => temporaryDir && fs.rmSync(temporaryDir, { recursive: true, force: true });
    const stop = async () => {
      await stopProcess();
      removeState();
    };
    try {
      await waitForPort(port, 20_000, () => exited);
    } catch (err) {
      await stopProcess();
      if (/address already in use/i.test(output) && attempt < attempts && options.port === undefined) continue;
      removeState();
      throw new Error(`localstripe did not start: ${(err as Error).message}; it printed: ${output.trim()}`);
    }
    return { port, connection: { secretKey: localstripeSecretKey, host: '127.0.0.1', port, protocol: 'http' }, stop };
  }
}
