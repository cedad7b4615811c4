/** The OpenAPI 3 document, generated from the endpoint definitions the server mounts. */
import { OpenApiGeneratorV3, OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { documentedResponses, type Endpoint } from '../http/endpoint';
import { stateRequestRules } from './request-rules';

/** Koa's /v1/sessions/:id → OpenAPI's /v1/sessions/{id}. */
export function openApiPath(koaPath: string): string {
  return koaPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

export type OpenApiDocument = ReturnType<OpenApiGeneratorV3['generateDocument']>;

export function buildOpenApiDocument(endpoints: readonly Endpoint<any>[], version: string): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    description: 'A driver token (issued by an operator) or an operator token (OPERATOR_TOKEN)',
  });
  for (const e of endpoints) {
    const { params, query, body } = e.request.shape;
    registry.registerPath({
      method: e.method,
      path: openApiPath(e.path),
      operationId: e.operationId,
      summary: e.summary,
      description: [e.description, e.access === 'operator' ? 'Requires an operator token.' : undefined].filter(Boolean).join(' ') || undefined,
      tags: [e.tag],
      security: e.access === 'public' ? [] : [{ bearerAuth: [] }],
      request: {
        ...(params ? { params } : {}),
        ...(query ? { query } : {}),
        ...(body ? { body: { required: !body.safeParse(undefined).success, content: { 'application/json': { schema: body } } } } : {}),
        ...(e.rawBody
          ? { body: { required: true, description: e.rawBody.description, content: Object.fromEntries(e.rawBody.contentTypes.map((t) => [t, { schema: { type: 'string', format: 'binary' } }])) } }
          : {}),
      },
      responses: Object.fromEntries(
        Object.entries(documentedResponses(e)).map(([status, r]) => [
          status,
          { description: r.description, ...(r.schema ? { content: { [r.contentType ?? 'application/json']: { schema: r.schema } } } : {}) },
        ]),
      ),
    });
  }
  const document = new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: {
      title: 'CSMS API',
      version,
      description:
        'REST API of the charging backend: drivers start, watch and stop charging sessions; operators manage chargers, drivers and tariffs. ' +
        'Errors are JSON `{ error: { code, message, details? }, requestId }`.',
    },
    tags: [
      { name: 'sessions', description: 'Charging sessions (drivers see only their own)' },
      { name: 'reservations', description: 'Connector reservations (drivers see only their own)' },
      { name: 'stations', description: 'Chargers and their connectors' },
      { name: 'payments', description: 'Card payments: saved cards, refunds, provider webhooks' },
      { name: 'operator', description: 'Operator-only management' },
      { name: 'tutorial', description: 'Compatibility with the tutorial the product grew from' },
      { name: 'system', description: 'Health, readiness, metrics, documentation' },
    ],
  });
  return stateRequestRules(document);
}
