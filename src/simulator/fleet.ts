/**
 * Many simulated chargers at once (load tests, the CLI's --chargers): connects them with bounded
 * concurrency and an optional connection rate, so a fleet does not arrive as one thundering herd.
 */
import { SimulatedChargePoint, SimulatedChargePointOptions } from './charge-point';

export interface FleetOptions {
  url: string;
  count: number;
  /** Charger ids are `${idPrefix}${n}` for n = 1..count (default 'SIM_'). */
  idPrefix?: string;
  /** One password for all, or one per charger id. */
  password?: string | ((chargePointId: string) => string | undefined);
  /** At most this many new connections per second (default: unlimited). */
  connectRate?: number;
  /** At most this many connections being opened at once (default 20). */
  concurrency?: number;
  /** Options every charger shares (url, id and password come from above). */
  chargePoint?: Omit<Partial<SimulatedChargePointOptions>, 'url' | 'chargePointId' | 'password'>;
}

export interface Fleet {
  chargePoints: SimulatedChargePoint[];
  /** Chargers that could not connect, with the reason. */
  failures: { chargePointId: string; error: Error }[];
  /** Milliseconds from the first connection attempt until every charger booted (or failed). */
  connectMs: number;
  closeAll(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const idPrefix = options.idPrefix ?? 'SIM_';
  const concurrency = Math.max(1, options.concurrency ?? 20);
  const spacingMs = options.connectRate && options.connectRate > 0 ? 1000 / options.connectRate : 0;
  const passwordFor = (id: string) => (typeof options.password === 'function' ? options.password(id) : options.password);

  const all = Array.from({ length: options.count }, (_, i) => {
    const chargePointId = `${idPrefix}${i + 1}`;
    return new SimulatedChargePoint({ ...options.chargePoint, url: options.url, chargePointId, password: passwordFor(chargePointId) });
  });
  const connected: SimulatedChargePoint[] = [];
  const failures: Fleet['failures'] = [];

  const started = Date.now();
  let next = 0;
  let nextSlot = started;
  const worker = async () => {
    while (next < all.length) {
      const cp = all[next++];
      if (spacingMs > 0) {
        // Reserve the next start slot, so the rate holds across all workers.
        const slot = nextSlot;
        nextSlot += spacingMs;
        const wait = slot - Date.now();
        if (wait > 0) await sleep(wait);
      }
      try {
        await cp.connect();
        connected.push(cp);
      } catch (err) {
        failures.push({ chargePointId: cp.chargePointId, error: err as Error });
        await cp.close().catch(() => undefined);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, all.length) }, worker));
  const connectMs = Date.now() - started;

  // Keep the id order regardless of which connection finished first.
  const order = new Map(all.map((cp, i) => [cp, i]));
  connected.sort((a, b) => order.get(a)! - order.get(b)!);

  return {
    chargePoints: connected,
    failures,
    connectMs,
    async closeAll() {
      await Promise.allSettled(connected.map((cp) => cp.close()));
    },
  };
}
