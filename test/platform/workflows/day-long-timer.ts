import { sleep } from '@temporalio/workflow';

/** Waits a whole day, then says how long it believes it waited. */
export async function dayLongTimer(): Promise<number> {
  const started = Date.now();
  await sleep('24 hours');
  return Date.now() - started;
}
