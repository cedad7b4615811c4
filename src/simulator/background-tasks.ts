/**
 * The work a simulated charger does after answering (delayed replies, triggered messages, timers):
 * failures are reported, not thrown, and close() can cancel what has not started and wait for the rest.
 */
export class BackgroundTasks {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly failed: (err: unknown) => void) {}

  /** Runs `task` after `ms` (after the current reply is sent). */
  later(ms: number, task: () => Promise<unknown>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(task());
    }, ms);
    this.timers.add(timer);
  }

  /** Keeps `work` until it settles; a failure goes to `failed`. */
  track(work: Promise<unknown>): void {
    const p = work.catch((err) => this.failed(err));
    this.running.add(p);
    void p.finally(() => this.running.delete(p));
  }

  /** Drops the tasks still waiting for their time. */
  cancelPending(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  /** Resolves when every running task has settled. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }
}
