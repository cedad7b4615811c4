/**
 * Checks each answer of a mounted route against what the OpenAPI document says it answers: a
 * documented status, and a JSON body that parses with that status's schema. Tests turn it on
 * (ApiDeps.onContractViolation) so every API test also checks the document clients generate from.
 */
import type { Middleware } from 'koa';
import { documentedResponses, type Endpoint } from './endpoint';

export function responseContractMiddleware(endpoints: readonly Endpoint<any>[], report: (violation: string) => void): Middleware {
  const byRoute = new Map(endpoints.map((e) => [`${e.method.toUpperCase()} ${e.path}`, { e, documented: documentedResponses(e) }]));
  return async (ctx, next) => {
    await next();
    const route = (ctx as { _matchedRoute?: string })._matchedRoute;
    const operation = route === undefined ? undefined : byRoute.get(`${ctx.method} ${route}`);
    if (!operation) return; // no route (404 / 405): not an operation of the document
    const where = `${ctx.method} ${operation.e.path} → ${ctx.status}`;
    const spec = operation.documented[ctx.status];
    if (!spec) return report(`${where}: status not documented`);
    if ((spec.contentType ?? 'application/json') !== 'application/json' || !spec.schema) return;
    const parsed = spec.schema.safeParse(ctx.body);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`);
      report(`${where}: body does not match the documented schema: ${issues.join('; ')}`);
    }
  };
}
