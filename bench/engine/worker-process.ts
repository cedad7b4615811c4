/** Child process: a Temporal worker (default options, like the session worker) for the baseline workflow. */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { serveParent } from '../support/children';
import { baselineActivities } from './activities';

async function main(): Promise<void> {
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: process.env.BENCH_TEMPORAL_ADDRESS! });
  const worker = await Worker.create({
    connection,
    namespace: process.env.BENCH_NAMESPACE ?? 'default',
    taskQueue: process.env.BENCH_TASK_QUEUE!,
    workflowsPath: require.resolve('./workflow'),
    activities: baselineActivities,
  });
  const running = worker.run();
  serveParent({}, {}, async () => {
    worker.shutdown();
    await running;
    await connection.close();
  });
}

main().catch((err) => {
  console.error('bench engine worker failed', err);
  process.exit(1);
});
