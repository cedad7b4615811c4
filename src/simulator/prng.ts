/**
 * A small seeded PRNG (mulberry32) and the random choices the fuzzers make with it, so a failing
 * run can be replayed exactly from its printed seed (FUZZ_SEED=<n> overrides the fuzzers' fixed seed;
 * `npm run chaos -- --seed <n>` the chaos run's).
 */
export class Prng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  bool(p = 0.5): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks by weight: [[weight, value], …]. */
  weighted<T>(entries: readonly (readonly [number, T])[]): T {
    const total = entries.reduce((s, [w]) => s + w, 0);
    let r = this.next() * total;
    for (const [w, v] of entries) {
      if ((r -= w) < 0) return v;
    }
    return entries[entries.length - 1][1];
  }

  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.int(0, 255);
    return b;
  }

  /** A string of random code units, including control characters and lone surrogates. */
  rawString(n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(this.weighted([[6, this.int(0x20, 0x7e)], [1, this.int(0, 0x1f)], [1, this.int(0x80, 0xffff)]]));
    return s;
  }
}

/** Strings that have broken parsers, SQL, HTML, paths and encodings before. */
export const hostileStrings: readonly string[] = [
  '',
  ' ',
  "'",
  '"',
  "' OR '1'='1",
  "1; DROP TABLE chargers; --",
  "x'); DELETE FROM sessions; --",
  '$1',
  '%',
  '%00',
  '%2e%2e%2f',
  '../../etc/passwd',
  '..%2F..%2F',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\udfff\ud800',
  '\u202e\u202d',
  '😀🔌⚡',
  '<script>alert(1)</script>',
  '${jndi:ldap://x}',
  '{{7*7}}',
  '__proto__',
  'constructor',
  'null',
  'undefined',
  'NaN',
  '-1',
  '1e999',
  '0x7fffffff',
  '2147483648',
  '9223372036854775808',
  '\r\nX-Injected: 1',
  '\\',
  '//',
  '*',
  '?',
  '#',
];

export function fuzzSeed(fallback: number): number {
  const fromEnv = Number(process.env.FUZZ_SEED);
  return Number.isInteger(fromEnv) && process.env.FUZZ_SEED ? fromEnv : fallback;
}
