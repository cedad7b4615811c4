/**
 * Validates a request against its endpoint's one schema. A bad request gets 400 with every
 * problem, each naming the field (e.g. `body.connectorId`) and what is wrong with it.
 */
import type { Context } from 'koa';
import { z } from 'zod';
import { ApiError } from './api-error';
import type { RequestSchema } from './endpoint';

export interface FieldProblem {
  field: string;
  problem: string;
}

function describeIssue(issue: z.core.$ZodIssue): FieldProblem {
  const field = issue.path.map(String).join('.') || '(request)';
  return { field, problem: issue.message };
}

export function requestParts(ctx: Context, schema: RequestSchema): Record<string, unknown> {
  const shape = schema.shape;
  const parts: Record<string, unknown> = {};
  if (shape.params) parts.params = { ...(ctx.params as Record<string, string>) };
  if (shape.query) parts.query = { ...ctx.query };
  // An absent body is `undefined` (not {}), so a required body says "body: expected object".
  if (shape.body) parts.body = ctx.request.length || ctx.get('Transfer-Encoding') ? (ctx.request as { body?: unknown }).body : undefined;
  return parts;
}

export function validateRequest<R extends RequestSchema>(ctx: Context, schema: R): z.output<R> {
  const parsed = schema.safeParse(requestParts(ctx, schema));
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map(describeIssue);
  const summary = problems.map((p) => `${p.field}: ${p.problem}`).join('; ');
  throw new ApiError(400, 'invalid_request', summary, problems);
}
