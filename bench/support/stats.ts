/** Percentiles, rates and the printed table. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summarize(latenciesMs: number[]): { n: number; p50: number; p99: number; max: number } {
  const s = [...latenciesMs].sort((a, b) => a - b);
  return { n: s.length, p50: round(percentile(s, 50)), p99: round(percentile(s, 99)), max: round(s[s.length - 1] ?? NaN) };
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

export const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);

export interface Row {
  measurement: string;
  value: string;
  baseline: string;
  ratio: string;
  target: string;
  met: string;
}

export function formatTable(rows: Row[]): string {
  const headers: Row = { measurement: 'measurement', value: 'value', baseline: 'baseline', ratio: 'ratio', target: 'target', met: 'met' };
  const keys = Object.keys(headers) as (keyof Row)[];
  const width = Object.fromEntries(keys.map((k) => [k, Math.max(...[headers, ...rows].map((r) => r[k].length))])) as Record<keyof Row, number>;
  const line = (r: Row) => '| ' + keys.map((k) => r[k].padEnd(width[k])).join(' | ') + ' |';
  return [line(headers), '|' + keys.map((k) => '-'.repeat(width[k] + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `task(i)` for i in 0..total-1 with at most `concurrency` at once. */
export async function pool<T>(total: number, concurrency: number, task: (i: number, worker: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(total);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async (_, worker) => {
      while (next < total) {
        const i = next++;
        results[i] = await task(i, worker);
      }
    }),
  );
  return results;
}
