/**
 * Failed authentication, rate-limited per (charge point id, remote address) and per remote address
 * (the gateway chooses the keys): an in-memory sliding window of failure times. While a key has `maxFailures` failures inside the window,
 * every attempt with that key is refused before any password is checked (scrypt is expensive).
 */
export interface AuthRateLimitOptions {
  maxFailures: number;
  windowMs: number;
  /** Bound on remembered keys, so a flood of random ids cannot grow memory without limit. */
  maxKeys?: number;
}

export class FailedAuthLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly options: AuthRateLimitOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** True when any of the keys has used up its failures in the window. */
  isLimited(keys: string[]): boolean {
    return keys.some((k) => this.recent(k).length >= this.options.maxFailures);
  }

  recordFailure(keys: string[]): void {
    const t = this.now();
    for (const k of keys) {
      const list = this.recent(k);
      list.push(t);
      this.failures.delete(k);
      this.failures.set(k, list);
    }
    const maxKeys = this.options.maxKeys ?? 10_000;
    while (this.failures.size > maxKeys) {
      const oldest = this.failures.keys().next().value as string;
      this.failures.delete(oldest);
    }
  }

  private recent(key: string): number[] {
    const cutoff = this.now() - this.options.windowMs;
    const list = (this.failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }
}
