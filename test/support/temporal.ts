import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { temporalTestServerPath } from '../../src/temporal/binaries';
import { workflowsPath } from '../../src/paths';

let runtimeInstalled = false;
function quietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    // Errors only: the test server's capability warnings would drown the test output.
    Runtime.install({ logger: new DefaultLogger('ERROR') });
  } catch {
    /* already installed by an earlier file in this process */
  }
}

/** A time-skipping Temporal test server on the locally installed binary (never the SDK download). */
export async function createTimeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  quietRuntime();
  return TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: temporalTestServerPath() } },
  });
}

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();
/** Bundles workflow code once per path per test process. */
export function workflowBundle(path: string = workflowsPath): Promise<WorkflowBundleWithSourceMap> {
  let b = bundles.get(path);
  if (!b) {
    quietRuntime();
    b = bundleWorkflowCode({ workflowsPath: path, logger: new DefaultLogger('WARN') });
    bundles.set(path, b);
  }
  return b;
}
