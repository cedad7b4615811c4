/**
 * The station's queue of TransactionEvent messages (OCPP 2.0.1 E04, "Transaction started while
 * offline", and Part 4 message retries): events go out in the order they were generated; while the
 * connection is down they wait (flagged `offline: true` when they were generated offline) and are
 * delivered in order after reconnecting. A CALLERROR or a timeout is retried
 * OCPPCommCtrlr.MessageAttempts[TransactionEvent] times, then the event is given up.
 *
 * Scripted faults (for testing the CSMS's tolerance) apply to what is waiting when the queue is
 * flushed after a reconnect: `reorderQueue` sends that backlog in reverse order, `dropStarted`
 * drops the Started events in it (both once, then reset); `duplicateNext: n` sends each of the
 * next n delivered events twice.
 */
export interface QueueFaults {
  duplicateNext?: number;
  reorderQueue?: boolean;
  dropStarted?: boolean;
}

interface Queued {
  payload: Record<string, unknown>;
  attempts: number;
  resolve(answer: unknown): void;
  reject(error: Error): void;
}

export interface QueueTransport {
  online(): boolean;
  send(payload: Record<string, unknown>): Promise<unknown>;
  attempts(): number;
  retryDelayMs(): number;
  /** An event given up after its attempts, or dropped by a fault. */
  lost(payload: Record<string, unknown>, error: Error): void;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class TransactionQueue {
  readonly faults: QueueFaults = {};
  private readonly items: Queued[] = [];
  private flushing = false;
  /** Set when the connection is lost: the next flush is the post-reconnect flush the faults apply to. */
  private backlogPending = false;

  constructor(private readonly transport: QueueTransport) {}

  get length(): number {
    return this.items.length;
  }

  get busy(): boolean {
    return this.flushing || this.items.length > 0;
  }

  /** Queues an event; resolves with the CSMS's answer once it is delivered. */
  push(payload: Record<string, unknown>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.items.push({ payload, attempts: 0, resolve, reject });
      void this.flush();
    });
  }

  connectionLost(): void {
    this.backlogPending = true;
  }

  /** Rejects everything still waiting (the station is shut down). */
  abandon(reason: string): void {
    for (const item of this.items.splice(0)) item.reject(new Error(reason));
  }

  private applyBacklogFaults(): void {
    if (!this.backlogPending) return;
    this.backlogPending = false;
    if (this.faults.dropStarted) {
      this.faults.dropStarted = false;
      for (let i = this.items.length - 1; i >= 0; i--) {
        if (this.items[i].payload.eventType !== 'Started') continue;
        const [dropped] = this.items.splice(i, 1);
        const error = new Error('dropped by the dropStarted fault');
        this.transport.lost(dropped.payload, error);
        dropped.resolve(undefined); // the station believes it was sent
      }
    }
    if (this.faults.reorderQueue) {
      this.faults.reorderQueue = false;
      this.items.reverse();
    }
  }

  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.items.length > 0 && this.transport.online()) {
        this.applyBacklogFaults();
        const item = this.items[0];
        if (!item) break;
        try {
          const answer = await this.transport.send(item.payload);
          if ((this.faults.duplicateNext ?? 0) > 0) {
            this.faults.duplicateNext!--;
            await this.transport.send(item.payload).catch(() => undefined);
          }
          this.items.shift();
          item.resolve(answer);
        } catch (err) {
          if (!this.transport.online()) break; // stays first; delivered after reconnect
          item.attempts++;
          if (item.attempts >= Math.max(1, this.transport.attempts())) {
            this.items.shift();
            this.transport.lost(item.payload, err as Error);
            item.reject(err as Error);
          } else {
            await delay(this.transport.retryDelayMs());
          }
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
