/**
 * JSON request bodies a schema-driven fuzzer would not write by itself, built from a valid body
 * so they get past the parts of validation they do not aim at: text with control characters or
 * unpaired surrogates (in a value or a property name), numbers at and beyond what JSON, doubles
 * and NUMERIC(18,6) hold, nesting thousands of levels deep, and a property given twice.
 * Each answers the JSON text to send (some of these cannot be written with JSON.stringify).
 */
import type { Prng } from '../../../src/simulator/prng';

/** Characters PostgreSQL, a receipt or a log line cannot hold, and a few close neighbours that are fine. */
export const refusedCharacters = ['\u0000', '\u0001', '\u0008', '\t', '\n', '\u000b', '\r', '\u001b', '\u001f', '\u007f', '\u0085', '\u009f', '\ud800', '\udbff', '\udc00', '\udfff'];
const allowedNeighbours = ['\u00a0', '\u2028', '\u2029', '\ufeff', '\ufffd', '\ufffe', '\uffff', '😀'];

/** Number tokens as JSON text: NUMERIC(18,6) limits, double limits, negative zero, 400 digits. */
export const extremeNumberTokens = [
  '99999999999999999999.999',
  '999999999999.999999',
  '1000000000000',
  '0.0000001',
  '1e308',
  '-1e308',
  '1e309',
  '1e-400',
  '-0',
  '-0.0',
  '4.9e-324',
  '9007199254740993',
  '2147483648',
  '-2147483649',
  '1'.repeat(400),
  '0.' + '1'.repeat(400),
];
/** …and the same as decimal strings, where the API takes exact decimals as text. */
const extremeDecimalStrings = ['99999999999999999999.999', '999999999999.999999', '1000000000000', '0.0000001', '1e308', '-0', '-0.0', '0x10', '1'.repeat(400), ' 1', '1.', '.5', '+1', 'NaN', 'Infinity'];

type Path = (string | number)[];

function leaves(value: unknown, prefix: Path = []): { path: Path; value: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => [{ path: [...prefix, i], value: v }, ...leaves(v, [...prefix, i])]);
  if (value !== null && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => [{ path: [...prefix, k], value: v }, ...leaves(v, [...prefix, k])]);
  return [];
}

function set(root: any, path: Path, value: unknown): void {
  let p = root;
  for (const k of path.slice(0, -1)) p = p[k];
  p[path[path.length - 1]] = value;
}

/** The body as JSON text with `marker` strings replaced by raw JSON tokens. */
function withRawTokens(body: unknown, tokens: Map<string, string>): string {
  let text = JSON.stringify(body);
  for (const [marker, token] of tokens) text = text.replace(JSON.stringify(marker), token);
  return text;
}

function insertAt(rng: Prng, text: string, c: string): string {
  const i = rng.int(0, text.length);
  return text.slice(0, i) + c + text.slice(i);
}

/** A valid body with one string value, or one property name, carrying a refused (or an allowed but odd) character. */
export function poisonedText(rng: Prng, valid: Record<string, unknown>): string {
  const body = structuredClone(valid);
  const c = rng.bool(0.8) ? rng.pick(refusedCharacters) : rng.pick(allowedNeighbours);
  const strings = leaves(body).filter((l) => typeof l.value === 'string');
  if (strings.length === 0 || rng.bool(0.25)) {
    // A property name: an existing one changed, or a new one.
    const objects = [{ path: [] as Path, value: body as unknown }, ...leaves(body)].filter((l) => l.value !== null && typeof l.value === 'object' && !Array.isArray(l.value));
    const target = rng.pick(objects).value as Record<string, unknown>;
    const keys = Object.keys(target);
    const key = keys.length && rng.bool() ? rng.pick(keys) : 'name';
    const value = target[key] ?? 'x';
    delete target[key];
    target[insertAt(rng, key, c)] = value;
  } else {
    const leaf = rng.pick(strings);
    set(body, leaf.path, insertAt(rng, leaf.value as string, c));
  }
  return JSON.stringify(body); // JSON.stringify writes a lone surrogate as \udXXX, as any client would
}

/** A valid body with one number (or exact-decimal string) replaced by an extreme one. */
export function extremeNumber(rng: Prng, valid: Record<string, unknown>): string {
  const body = structuredClone(valid);
  const targets = leaves(body).filter((l) => typeof l.value === 'number' || (typeof l.value === 'string' && /^\d+(\.\d+)?$/.test(l.value)));
  const marker = '\u{1F9EA}raw-number';
  if (targets.length === 0 || rng.bool(0.2)) {
    (body as Record<string, unknown>)[rng.pick(['connectorId', 'idleGraceMinutes', 'connectors', 'ratePerKwh'])] = marker;
  } else {
    const leaf = rng.pick(targets);
    if (typeof leaf.value === 'string' && rng.bool(0.6)) {
      set(body, leaf.path, rng.pick(extremeDecimalStrings));
      return JSON.stringify(body);
    }
    set(body, leaf.path, marker);
  }
  return withRawTokens(body, new Map([[marker, rng.pick(extremeNumberTokens)]]));
}

/** Arrays or objects nested `levels` deep (default thousands), as the body or as one field of a valid body. */
export function deeplyNested(rng: Prng, valid: Record<string, unknown>, levels = rng.pick([100, 1000, 5000, 20_000])): string {
  const [open, close] = rng.pick([
    ['[', ']'],
    ['{"a":', '}'],
    ['[{"x":', '}]'],
  ]);
  const nested = open.repeat(levels) + (open === '[' ? '' : '1') + close.repeat(levels);
  if (rng.bool(0.3)) return nested;
  const body = structuredClone(valid);
  const marker = '\u{1F9EA}raw-nested';
  const keys = Object.keys(body);
  body[keys.length && rng.bool(0.7) ? rng.pick(keys) : 'extra'] = marker;
  return withRawTokens(body, new Map([[marker, nested]]));
}

/** A valid body with one of its properties given a second time (the parser keeps the last). */
export function duplicateKey(rng: Prng, valid: Record<string, unknown>, other: () => unknown): string {
  const text = JSON.stringify(valid);
  const keys = Object.keys(valid);
  if (!text.startsWith('{') || keys.length === 0) return `{"a":1,"a":${JSON.stringify(other()) ?? 'null'}}`;
  const key = rng.pick(keys);
  const again = `${JSON.stringify(key)}:${JSON.stringify(rng.bool() ? valid[key] : other()) ?? 'null'}`;
  return rng.bool() ? `{${again},${text.slice(1)}` : `${text.slice(0, -1)},${again}}`;
}

/**
 * One body per string value and per property name of a valid body, each with a refused character
 * in that one place, and one per number (or exact decimal) with an extreme value there: every
 * field of the body meets them, not only the ones a random pick lands on.
 */
export function sweep(rng: Prng, valid: Record<string, unknown>, refused = () => rng.pick(refusedCharacters)): string[] {
  const out: string[] = [];
  for (const leaf of leaves(valid)) {
    const key = leaf.path[leaf.path.length - 1];
    if (typeof key === 'string') {
      const body = structuredClone(valid);
      const parent = leaf.path.slice(0, -1).reduce((o: any, k) => o[k], body);
      delete parent[key];
      parent[insertAt(rng, key, refused())] = leaf.value;
      out.push(JSON.stringify(body));
    }
    if (typeof leaf.value === 'string') {
      const body = structuredClone(valid);
      set(body, leaf.path, insertAt(rng, leaf.value, refused()));
      out.push(JSON.stringify(body));
    }
    if (typeof leaf.value === 'number' || (typeof leaf.value === 'string' && /^\d+(\.\d+)?$/.test(leaf.value))) {
      const body = structuredClone(valid);
      const marker = '\u{1F9EA}raw-number';
      set(body, leaf.path, marker);
      out.push(withRawTokens(body, new Map([[marker, rng.pick(extremeNumberTokens)]])));
      if (typeof leaf.value === 'string') {
        set(body, leaf.path, rng.pick(extremeDecimalStrings));
        out.push(JSON.stringify(body));
      }
    }
  }
  return out;
}
