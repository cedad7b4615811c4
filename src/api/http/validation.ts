/**
 * Validates a request against its endpoint's one schema, after the text rule (text-rule.ts) that
 * holds for every part of every request. A bad request gets 400 with every problem, each naming
 * the field (e.g. `body.connectorId`) and what is wrong with it.
 */
import type { Context } from 'koa';
import { z } from 'zod';
import { ApiError, type FieldProblem } from './api-error';
import type { RequestSchema } from './endpoint';
import { fieldName, textProblems } from './text-rule';

function describeIssue(issue: z.core.$ZodIssue): FieldProblem {
  return { field: fieldName(issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))), problem: issue.message };
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
  const parts = requestParts(ctx, schema);
  // The text rule first: the schema's messages may quote the text, which must not travel on.
  const textual = textProblems(parts);
  if (textual.length > 0) throw invalidRequest(textual);
  const parsed = schema.safeParse(parts);
  if (parsed.success) return parsed.data;
  throw invalidRequest(parsed.error.issues.map(describeIssue));
}

function invalidRequest(problems: FieldProblem[]): ApiError {
  const summary = problems.map((p) => `${p.field}: ${p.problem}`).join('; ');
  return new ApiError(400, 'invalid_request', summary, problems);
}
