/**
 * One endpoint = one route, its access rule, ONE request schema (params, query and body
 * together) and its responses. The same definition mounts the Koa route and produces the
 * OpenAPI operation, so the document cannot drift from what the server validates.
 */
import type { Context } from 'koa';
import { z } from 'zod';
import type { Access, Principal } from '../auth/principal';
import { ApiError } from './api-error';

export type HttpMethod = 'get' | 'post' | 'patch' | 'put' | 'delete';

/** z.object({ params?, query?, body? }): the parts of a request a route reads. */
export type RequestSchema = z.ZodObject<{ params?: z.ZodObject; query?: z.ZodObject; body?: z.ZodType }>;

export interface ResponseSpec {
  description: string;
  schema?: z.ZodType;
  /** Default application/json. */
  contentType?: string;
}

export interface Endpoint<R extends RequestSchema = RequestSchema> {
  operationId: string;
  method: HttpMethod;
  /** Koa path, e.g. /v1/sessions/:id */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  access: Access;
  request: R;
  responses: Record<number, ResponseSpec>;
  handle(ctx: Context, input: z.output<R>): Promise<void>;
}

/** Identity function that infers the input type of the handler from the request schema. */
export function endpoint<R extends RequestSchema>(definition: Endpoint<R>): Endpoint<R> {
  return definition;
}

/** The caller of an authenticated route (set by the auth middleware). */
export function callerOf(ctx: Context): Principal {
  const principal = ctx.state.principal as Principal | undefined;
  if (!principal) throw new Error('route has no authenticated caller: is its access "public"?');
  return principal;
}

export const emptyRequest = z.object({});
