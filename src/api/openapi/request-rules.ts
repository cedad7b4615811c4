/**
 * What the generated document says about requests beyond each field's own schema, stated in one
 * place after generation:
 * - the text rule (http/text-rule.ts) as `pattern` on every request string that has neither a
 *   pattern nor an enum of its own, and in words in the document's description;
 * - each rule JSON Schema cannot express (another field, the caller's role, a stored value) is
 *   written in the schema as `x-constraints: [words]`; here the words are added to the
 *   `description` (of the schema, and of the parameter that has it), where people and generated
 *   clients read them. Such a schema carries an `example` that keeps them, or is optional.
 */
import { textPattern, textRuleWords } from '../http/text-rule';

type Json = Record<string, any>;

export const constraintsKey = 'x-constraints';

function withConstraintWords(description: string | undefined, constraints: unknown): string | undefined {
  if (!Array.isArray(constraints) || constraints.length === 0) return description;
  const words = `Also: ${constraints.join('; ')}.`;
  if (description?.includes(words)) return description;
  return description ? `${description.replace(/[.\s]*$/, '.')} ${words}` : words;
}

export function stateRequestRules<D extends Json>(doc: D): D {
  const components: Json = doc.components?.schemas ?? {};
  const visited = new Set<Json>();
  const visit = (schema: Json | undefined): void => {
    if (!schema || typeof schema !== 'object' || visited.has(schema)) return;
    visited.add(schema);
    if (typeof schema.$ref === 'string') return visit(components[schema.$ref.split('/').pop()!]);
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (types.includes('string') && schema.pattern === undefined && schema.enum === undefined) schema.pattern = textPattern;
    schema.description = withConstraintWords(schema.description, schema[constraintsKey]);
    if (schema.description === undefined) delete schema.description;
    for (const p of Object.values<Json>(schema.properties ?? {})) visit(p);
    for (const key of ['items', 'additionalProperties', 'not']) if (typeof schema[key] === 'object') visit(schema[key]);
    for (const key of ['anyOf', 'oneOf', 'allOf']) for (const s of schema[key] ?? []) visit(s);
  };
  for (const item of Object.values<Json>(doc.paths ?? {})) {
    for (const op of Object.values<Json>(item)) {
      for (const param of op.parameters ?? []) {
        visit(param.schema);
        param.description = withConstraintWords(param.description, param.schema?.[constraintsKey]);
        if (param.description === undefined) delete param.description;
      }
      for (const media of Object.values<Json>(op.requestBody?.content ?? {})) visit(media.schema);
    }
  }
  doc.info.description = [doc.info.description, textRuleWords].filter(Boolean).join(' ');
  return doc;
}
