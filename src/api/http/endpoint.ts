/**
 * One endpoint = one route, its access rule, ONE request schema (params, query and body
 * together) and its responses. The same definition mounts the Koa route and produces the
 * OpenAPI operation, so the document cannot drift from what the server validates.
 */
import type { Context } from 'koa';
import { z } from 'zod';
import type { Access, Principal } from '../auth/principal';
import { errorBodySchema } from '../schemas/common';

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
  /**
   * A body that is not JSON, read by the handler itself (a file upload): documented with these
   * media types, and passed by the body middleware unparsed (see rawBodyPathPrefixes in app.ts).
   */
  rawBody?: { description: string; contentTypes: string[] };
  handle(ctx: Context, input: z.output<R>): Promise<void>;
}

/** A documented error answer: the JSON error body every error shares. */
export const errorResponse = (description: string): ResponseSpec => ({ description, schema: errorBodySchema });

/**
 * The error answers every route can give besides its own: a request that fails its schema (400),
 * no or a bad token (401), an operator route called by a driver (403), a body that is too large
 * or not JSON (413, 415), too many failed tokens from one address (429), and a failure of ours
 * (500). Documented for every operation, and what the response contract check allows.
 */
export function documentedResponses(e: Endpoint<any>): Record<number, ResponseSpec> {
  const { params, query, body } = e.request.shape;
  const common: Record<number, ResponseSpec> = { 500: errorResponse('Internal error (logged with the request id)') };
  if (params || query || body) common[400] = errorResponse('The request does not match its schema (details name each field and problem)');
  if (e.access !== 'public') {
    common[401] = errorResponse('No token, or a token that is not valid');
    common[429] = errorResponse('Too many failed tokens from this address; try again later');
  }
  if (e.access === 'operator') common[403] = errorResponse('An operator token is required');
  if (body) {
    common[413] = errorResponse('The body is larger than API_BODY_LIMIT');
    common[415] = errorResponse('The body is not application/json');
  }
  return { ...common, ...e.responses };
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
