import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { Runtime, DefaultLogger, NativeConnection } from '@temporalio/worker';
import { Connection } from '@temporalio/client';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../src/logger';
import { startTemporalDevServerOnFreePorts } from '../../src/temporal/dev-server';
import { temporalCliPath, temporalTestServerPath } from '../../src/temporal/binaries';
import { workflowsPath } from '../../src/paths';

/**
 * The SDK's default logger writes to stderr itself, past Jest's console capture, so every file's
 * worker-state lines and the time-skipping server's capability warnings reached the terminal.
 * Here warnings and errors go through the console Jest captures (printed only with a failing
 * file, see quiet-reporter.js); anything quieter is dropped. Two warnings say nothing about a
 * test: the time-skipping server reports an old version on every poll, and the gateway's worker
 * runs activities only by design.
 */
const expectedWarnings = /Temporal Server [\d.]+ or newer is required|No workflows registered, not polling for workflow tasks/;
const testRuntimeLogger = new DefaultLogger('WARN', ({ level, message, meta }) => {
  if (expectedWarnings.test(message)) return;
  (level === 'ERROR' ? console.error : console.warn)(`[temporal ${level}] ${message}`, meta ?? '');
});

// Installed on import, before a test can create a connection or worker (which would install the default).
let installedRuntime: Runtime | undefined;
try {
  // Core's own logs too (by default it prints them to the console itself, colours and all).
  installedRuntime = Runtime.install({ logger: testRuntimeLogger, telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } } });
} catch {
  /* already installed in this process */
}
// The runtime shuts itself down when its last connection closes. In a file that never opened one
// (its Temporal server failed to start, say) it stays, and its log forwarder keeps Jest from
// exiting after the run: CI then waits out its whole limit. Only an idle runtime is shut down.
afterAll(async () => {
  await (installedRuntime as unknown as { shutdownIfIdle?(): Promise<void> } | undefined)?.shutdownIfIdle?.();
});

/** A time-skipping Temporal test server on the locally installed binary (never the SDK download). */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
  });
}

/** What a test needs of a Temporal server, whichever kind. */
export type TemporalTestEnv = Pick<TestWorkflowEnvironment, 'connection' | 'nativeConnection' | 'sleep' | 'currentTimeMs' | 'teardown'>;

/**
 * A real Temporal dev server (the CLI's `server start-dev`, the run command's own launcher, its
 * output kept out of the test's) for tests where a worker goes away; time is not skipped.
 */
export async function createDevServerEnv(): Promise<TemporalTestEnv & { address: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'csms-dev-server-'));
  const server = await startTemporalDevServerOnFreePorts({
    cliPath: temporalCliPath(),
    dataDir,
    namespace: 'default',
    logger: createLogger({ LOG_LEVEL: 'warn', LOG_FORMAT: 'json' }),
  });
  const connection = await Connection.connect({ address: server.address });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  return {
    address: server.address,
    connection,
    nativeConnection,
    sleep: async (ms) => new Promise((r) => setTimeout(r, typeof ms === 'number' ? ms : Number.parseInt(String(ms), 10))),
    currentTimeMs: async () => Date.now(),
    async teardown() {
      await nativeConnection.close();
      await connection.close();
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();
/** Bundles workflow code once per path per test process. */
export function workflowBundle(path: string = workflowsPath): Promise<WorkflowBundleWithSourceMap> {
  let b = bundles.get(path);
  if (!b) {
    b = bundleWorkflowCode({ workflowsPath: path, logger: testRuntimeLogger });
    bundles.set(path, b);
  }
  return b;
}
