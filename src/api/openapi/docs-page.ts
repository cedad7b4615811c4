/**
 * A readable, self-contained HTML page of the OpenAPI document (no CDN, no script): every
 * operation with its parameters, body and responses, and every named schema, linked.
 */
import { escapeHtml } from '../pages/html';
import type { OpenApiDocument } from './openapi-document';

type Json = any; // the generated document's schema objects, walked structurally

function schemaHtml(schema: Json): string {
  if (!schema) return '<em>none</em>';
  if (schema.$ref) {
    const name = String(schema.$ref).split('/').pop()!;
    return `<a href="#schema-${escapeHtml(name)}">${escapeHtml(name)}</a>`;
  }
  const nullable = schema.nullable ? ' | null' : '';
  if (schema.enum) return `${schema.enum.map((v: unknown) => `<code>${escapeHtml(JSON.stringify(v))}</code>`).join(' | ')}${nullable}`;
  if (schema.anyOf || schema.oneOf) return (schema.anyOf ?? schema.oneOf).map(schemaHtml).join(' | ') + nullable;
  if (schema.allOf) return schema.allOf.map(schemaHtml).join(' &amp; ') + nullable;
  if (schema.type === 'array') return `array of ${schemaHtml(schema.items)}${nullable}`;
  if (schema.type === 'object' || schema.properties) {
    const required = new Set<string>(schema.required ?? []);
    const rows = Object.entries(schema.properties ?? {}).map(
      ([name, prop]: [string, Json]) =>
        `<tr><td><code>${escapeHtml(name)}</code>${required.has(name) ? '' : ' <small>optional</small>'}</td><td>${schemaHtml(prop)}</td><td>${escapeHtml(prop.description ?? '')}${constraints(prop)}</td></tr>`,
    );
    if (rows.length === 0) return `object${nullable}`;
    return `object${nullable}<table><tr><th>field</th><th>type</th><th>notes</th></tr>${rows.join('')}</table>`;
  }
  return `${escapeHtml(schema.type ?? 'any')}${schema.format ? ` <small>(${escapeHtml(schema.format)})</small>` : ''}${nullable}`;
}

function constraints(schema: Json): string {
  const notes: string[] = [];
  if (schema.pattern) notes.push(`pattern <code>${escapeHtml(schema.pattern)}</code>`);
  for (const key of ['minimum', 'maximum', 'minLength', 'maxLength', 'default', 'example']) {
    if (schema[key] !== undefined) notes.push(`${key} <code>${escapeHtml(JSON.stringify(schema[key]))}</code>`);
  }
  return notes.length ? ` <small>${notes.join(', ')}</small>` : '';
}

function operationHtml(path: string, method: string, op: Json): string {
  const params = (op.parameters ?? []) as Json[];
  const paramRows = params
    .map(
      (p) =>
        `<tr><td><code>${escapeHtml(p.name)}</code></td><td>${escapeHtml(p.in)}</td><td>${p.required ? 'yes' : 'no'}</td><td>${schemaHtml(p.schema)}${constraints(p.schema ?? {})}</td></tr>`,
    )
    .join('');
  const body = op.requestBody?.content?.['application/json']?.schema;
  const responses = Object.entries(op.responses ?? {})
    .map(([status, r]: [string, Json]) => {
      const [type, media] = Object.entries(r.content ?? {})[0] ?? [];
      return `<tr><td><b>${escapeHtml(status)}</b></td><td>${escapeHtml(r.description)}</td><td>${type ? `<small>${escapeHtml(type)}</small> ${schemaHtml((media as Json).schema)}` : ''}</td></tr>`;
    })
    .join('');
  const auth = op.security && op.security.length === 0 ? 'no token' : 'bearer token';
  return `<section class="op" id="${escapeHtml(op.operationId)}">
<h3><span class="method ${escapeHtml(method)}">${escapeHtml(method.toUpperCase())}</span> <code>${escapeHtml(path)}</code></h3>
<p><b>${escapeHtml(op.summary ?? '')}</b> <small>(${auth})</small></p>
${op.description ? `<p>${escapeHtml(op.description)}</p>` : ''}
${paramRows ? `<h4>Parameters</h4><table><tr><th>name</th><th>in</th><th>required</th><th>schema</th></tr>${paramRows}</table>` : ''}
${body ? `<h4>Body ${op.requestBody.required ? '' : '<small>(optional)</small>'}</h4>${schemaHtml(body)}` : ''}
<h4>Responses</h4><table><tr><th>status</th><th>meaning</th><th>body</th></tr>${responses}</table>
</section>`;
}

export function renderDocsPage(doc: OpenApiDocument): string {
  const byTag = new Map<string, string[]>();
  const index: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, Json>)) {
      const tag = op.tags?.[0] ?? 'other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push(operationHtml(path, method, op));
      index.push(`<li><a href="#${escapeHtml(op.operationId)}"><code>${escapeHtml(method.toUpperCase())} ${escapeHtml(path)}</code></a> ${escapeHtml(op.summary ?? '')}</li>`);
    }
  }
  const sections = [...byTag.entries()].map(([tag, ops]) => `<h2 id="tag-${escapeHtml(tag)}">${escapeHtml(tag)}</h2>${ops.join('\n')}`).join('\n');
  const schemas = Object.entries(doc.components?.schemas ?? {})
    .map(([name, schema]) => `<section class="schema" id="schema-${escapeHtml(name)}"><h3>${escapeHtml(name)}</h3>${escapeHtml((schema as Json).description ?? '')}${schemaHtml(schema)}</section>`)
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(doc.info.title)} ${escapeHtml(doc.info.version)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:64rem;margin:1rem auto;padding:0 1rem;color:#222;line-height:1.4}
table{border-collapse:collapse;margin:.3rem 0 .8rem;width:100%}td,th{border:1px solid #ddd;padding:.2rem .4rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}.op{border-top:2px solid #eee;padding-top:.5rem}.method{display:inline-block;min-width:4rem;text-align:center;color:#fff;border-radius:3px;padding:0 .3rem}
.get{background:#2a7}.post{background:#27c}.patch{background:#c82}.delete{background:#c33}.put{background:#85c}code{font-size:.95em}
</style></head><body>
<h1>${escapeHtml(doc.info.title)} <small>${escapeHtml(doc.info.version)}</small></h1>
<p>${escapeHtml(doc.info.description ?? '')}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${escapeHtml(doc.openapi)}). Authenticate with <code>Authorization: Bearer &lt;token&gt;</code>.</p>
<h2>Endpoints</h2><ul>${index.join('')}</ul>
${sections}
<h2>Schemas</h2>
${schemas}
</body></html>
`;
}
