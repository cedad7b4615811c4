/**
 * The one rule for text the API accepts, wherever it comes from (path, query, body — values and
 * property names alike): no Unicode control characters and no unpaired UTF-16 surrogates.
 *
 * Refused: U+0000–U+001F (tab, line feed and carriage return included), U+007F–U+009F (the
 * Unicode category Cc), and a surrogate code unit (U+D800–U+DFFF) that is not half of a pair.
 * PostgreSQL cannot store U+0000 in `text` or `jsonb`, `pg` would send a lone surrogate as bytes
 * that are not UTF-8, and the rest have no meaning in anything this API keeps: every string it
 * accepts is an identifier, a name or a one-line reason that ends up on a receipt or in a log
 * line, where a line break or an escape sequence could only forge or garble lines. Emoji and
 * every other character (paired surrogates included) are fine.
 *
 * validateRequest applies it to every request part an endpoint reads; the OpenAPI document states
 * it as `textPattern` on every request string that has no stricter pattern of its own.
 */
import type { FieldProblem } from './api-error';

const refused = /[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** The rule as a JSON Schema (ECMA-262) pattern; it means the same with or without the `u` flag. */
export const textPattern = '^(?:[^\\u0000-\\u001F\\u007F-\\u009F\\uD800-\\uDFFF]|[\\uD800-\\uDBFF][\\uDC00-\\uDFFF])*$';

/** …and for a name that must not be blank (the API trims it and then needs a character). */
export const nonBlankTextPattern = `^(?=[\\s\\S]*\\S)${textPattern.slice(1)}`;

/** Deeper than any body this API documents (a tariff's timeOfUse[i].days[j] is 4 levels). */
export const maxNesting = 32;

export const textRuleWords =
  'Text anywhere in a request (path and query parameters, body values and property names) must not contain control characters ' +
  '(U+0000–U+001F, tab, line feed and carriage return included, and U+007F–U+009F) or unpaired UTF-16 surrogates: ' +
  'such a request is answered 400 `invalid_request`, with `details` naming each field. ' +
  `Bodies may nest at most ${maxNesting} levels deep.`;

/** Where the first refused character is, as "U+0000 at position 3", or null when the text is fine. */
export function refusedCharacter(text: string): string | null {
  const match = refused.exec(text);
  if (!match) return null;
  const code = match[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
  return `U+${code} at position ${match.index}`;
}

/** A property name as it can be shown in an error: refused characters written as \uXXXX. */
function printable(key: string): string {
  return key.replace(new RegExp(refused.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export const fieldName = (path: readonly (string | number)[]): string => path.map((p) => (typeof p === 'string' ? printable(p) : String(p))).join('.') || '(request)';

/**
 * Every string and property name in `value` that breaks the rule, each named by its path
 * (`body.idTags.1`, `query.cursor`), and any part nested deeper than `maxNesting`. Walks with
 * its own stack, so a body of 30,000 nested arrays is a 400 like any other.
 */
export function textProblems(value: unknown): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const stack: { value: unknown; path: (string | number)[] }[] = [{ value, path: [] }];
  while (stack.length > 0 && problems.length < 20) {
    const { value: v, path } = stack.pop()!;
    if (typeof v === 'string') {
      const found = refusedCharacter(v);
      if (found) problems.push({ field: fieldName(path), problem: `must not contain control characters or unpaired surrogates (${found})` });
    } else if (v !== null && typeof v === 'object') {
      if (path.length > maxNesting) {
        problems.push({ field: fieldName(path), problem: `nests deeper than ${maxNesting} levels` });
        continue;
      }
      const entries: [string | number, unknown][] = Array.isArray(v) ? v.map((item, i) => [i, item]) : Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, item] = entries[i];
        if (typeof key === 'string') {
          const found = refusedCharacter(key);
          if (found) problems.push({ field: fieldName([...path, key]), problem: `property name must not contain control characters or unpaired surrogates (${found})` });
        }
        stack.push({ value: item, path: [...path, key] });
      }
    }
  }
  return problems;
}
