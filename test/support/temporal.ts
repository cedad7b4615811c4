import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { temporalTestServerPath } from '../../src/temporal/binaries';
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
try {
  // Core's own logs too (by default it prints them to the console itself, colours and all).
  Runtime.install({ logger: testRuntimeLogger, telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } } });
} catch {
  /* already installed in this process */
}

/** A time-skipping Temporal test server on the locally installed binary (never the SDK download). */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
  });
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
