/**
 * Values the OpenAPI document says are valid, drawn with a seeded PRNG from the document's own
 * schemas: enum, pattern, minLength/maxLength (code points, as JSON Schema counts), minimum and
 * maximum, minItems/maxItems/uniqueItems, required, minProperties, anyOf of `required` lists,
 * nullable. A schema with `x-constraints` (rules in words) is always its `example`, which the
 * document promises keeps them, or left out where it is optional and has none.
 */
import type { Prng } from '../../../src/simulator/prng';

type Schema = Record<string, any>;

/** Characters a client may well send in free text: letters with accents, CJK, emoji (astral), spaces. */
const freeTextAlphabet = [...'abcXYZ019 -_.,:;!?\'"()/&%+=@#~*€£äöüßéñçÅøłšžČ中文字テスト한국어עבריתعربي😀🔌⚡👩‍🔧'];
const idAlphabet = [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-'];

export class DocumentSampler {
  constructor(
    private readonly doc: Schema,
    private readonly rng: Prng,
    /** Strings worth trying first (ids of things that exist), kept only where they fit. */
    private readonly knownStrings: readonly string[] = [],
  ) {}

  resolve(schema: Schema | undefined): Schema {
    let s = schema ?? {};
    for (let i = 0; s.$ref && i < 10; i++) s = s.$ref.split('/').slice(1).reduce((o: any, k: string) => o?.[k], this.doc);
    return s ?? {};
  }

  /** Whether the schema has rules only in words (x-constraints): no value can be drawn for it, only its example taken. */
  hasWordRules(schema: Schema | undefined): boolean {
    const s = this.resolve(schema);
    return Array.isArray(s['x-constraints']) && s['x-constraints'].length > 0;
  }

  value(schemaIn: Schema | undefined, depth = 0): unknown {
    const schema = this.resolve(schemaIn);
    if (this.hasWordRules(schema)) {
      if (schema.example === undefined) throw new Error(`a required schema with x-constraints has no example: ${JSON.stringify(schema).slice(0, 200)}`);
      return structuredClone(schema.example);
    }
    if (depth > 8) throw new Error('the document nests deeper than 8 levels');
    if (schema.nullable && this.rng.bool(0.15)) return null;
    if (schema.enum) return this.rng.pick(schema.enum);
    const alternatives = schema.oneOf ?? (schema.properties ? undefined : schema.anyOf);
    if (alternatives) return this.value(this.rng.pick(alternatives), depth + 1);
    const type = Array.isArray(schema.type) ? this.rng.pick(schema.type) : schema.type ?? (schema.properties ? 'object' : 'string');
    switch (type) {
      case 'object':
        return this.object(schema, depth);
      case 'array':
        return this.array(schema, depth);
      case 'integer':
        return this.number(schema, true);
      case 'number':
        return this.number(schema, false);
      case 'boolean':
        return this.rng.bool();
      case 'null':
        return null;
      default:
        return this.string(schema);
    }
  }

  private object(schema: Schema, depth: number): Record<string, unknown> {
    const properties: Record<string, Schema> = schema.properties ?? {};
    const required = new Set<string>(schema.required ?? []);
    // anyOf [{ required: [...] }, …] beside the properties: one of the lists must be present.
    if (Array.isArray(schema.anyOf)) for (const name of this.rng.pick<Schema>(schema.anyOf).required ?? []) required.add(name);
    const chosen = new Set([...required].filter((name) => name in properties));
    // Rules in words may depend on the caller or on other fields ("required for operators"): send the example, or nothing.
    for (const name of Object.keys(properties)) if (this.hasWordRules(properties[name]) && this.resolve(properties[name]).example !== undefined) chosen.add(name);
    const optional = Object.keys(properties).filter((name) => !chosen.has(name) && !this.hasWordRules(properties[name]));
    for (const name of optional) if (this.rng.bool(0.5)) chosen.add(name);
    for (const name of optional) if (chosen.size < (schema.minProperties ?? 0)) chosen.add(name);
    const out: Record<string, unknown> = {};
    for (const name of Object.keys(properties)) if (chosen.has(name)) out[name] = this.value(properties[name], depth + 1);
    return out;
  }

  private array(schema: Schema, depth: number): unknown[] {
    const min = schema.minItems ?? 0;
    const length = this.rng.int(min, Math.min(schema.maxItems ?? min + 3, min + 3));
    const out: unknown[] = [];
    const seen = new Set<string>();
    for (let tries = 0; out.length < length && tries < 50 * (length + 1); tries++) {
      const item = this.value(schema.items, depth + 1);
      const key = JSON.stringify(item);
      if (schema.uniqueItems && seen.has(key)) continue;
      seen.add(key);
      out.push(item);
    }
    if (out.length < min) throw new Error(`could not draw ${min} distinct items for ${JSON.stringify(schema).slice(0, 200)}`);
    return out;
  }

  private number(schema: Schema, integer: boolean): number {
    const min = schema.minimum ?? (schema.maximum !== undefined ? schema.maximum - 1000 : -1000);
    const max = schema.maximum ?? min + 1000;
    const edge = this.rng.weighted<number>([
      [1, min],
      [1, max],
      [4, min + this.rng.next() * (max - min)],
    ]);
    const n = integer ? Math.min(max, Math.max(min, Math.round(edge))) : edge;
    return Object.is(n, -0) ? 0 : n;
  }

  /** A string that fits: candidates from several shapes, the first one the schema accepts. */
  string(schema: Schema): string {
    const fits = (s: string) => {
      const length = [...s].length;
      return (
        length >= (schema.minLength ?? 0) &&
        length <= (schema.maxLength ?? Infinity) &&
        (schema.pattern === undefined || new RegExp(schema.pattern).test(s))
      );
    };
    const maxLength = Math.min(schema.maxLength ?? 80, 80);
    const shapes: (() => string)[] = [
      () => this.rng.pick([...this.knownStrings, ...(typeof schema.example === 'string' ? [schema.example] : [])]),
      () => this.draw(idAlphabet, this.rng.int(1, Math.min(maxLength, 20))),
      () => this.draw(freeTextAlphabet, this.rng.int(1, maxLength)),
      // At the length limit, in characters that take two UTF-16 code units each.
      () => '😀'.repeat(Math.max(1, Math.min(schema.maxLength ?? 10, 1000))),
      () => ' '.repeat(this.rng.int(0, 2)) + this.draw(freeTextAlphabet, this.rng.int(1, 5)) + ' '.repeat(this.rng.int(0, 2)),
      () => `${this.draw([...'0123456789'], this.rng.int(1, 13))}${this.rng.bool() ? '.' + this.draw([...'0123456789'], this.rng.int(1, 7)) : ''}`,
      () => `${String(this.rng.int(0, 24)).padStart(2, '0')}:${String(this.rng.pick([0, 0, 15, 30, 59])).padStart(2, '0')}`,
      () => this.draw([...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'], this.rng.int(2, 4)),
      () => this.draw([...Array(94)].map((_, i) => String.fromCharCode(0x21 + i)), this.rng.int(1, Math.min(maxLength, 40))),
    ];
    for (let tries = 0; tries < 2000; tries++) {
      const candidate = this.rng.pick(shapes)();
      if (candidate !== undefined && fits(candidate)) return candidate;
    }
    throw new Error(`cannot draw a string for ${JSON.stringify(schema).slice(0, 300)}`);
  }

  private draw(alphabet: readonly string[], n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += this.rng.pick(alphabet);
    return s;
  }
}
