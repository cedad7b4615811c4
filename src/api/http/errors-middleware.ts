/**
 * Outermost middleware: every failure becomes a JSON error body. Known errors keep their
 * status and message; anything unexpected is logged with the request id and answered
 * 500 "internal error" — a stack trace never reaches a client.
 */
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import type { Logger } from '../../logger';
import { ApiError, ErrorBody } from './api-error';
import { asSessionError, sessionErrorStatus } from './session-error-status';
import { asStationOperationError } from './station-operation-status';
import { asReservationError } from './reservation-error-status';

interface HttpErrorLike {
  status?: number;
  statusCode?: number;
  expose?: boolean;
  message: string;
}

/** Errors raised by Koa and the body parser (http-errors) carry a 4xx status and a safe message. */
function clientHttpError(err: unknown): { status: number; code: string; message: string } | null {
  if (!(err instanceof Error)) return null;
  const e = err as Error & HttpErrorLike;
  const status = e.status ?? e.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500 || e.expose === false) return null;
  return { status, code: 'bad_request', message: e.message };
}

export function errorsMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.body === undefined && ctx.status === 404) {
        throw new ApiError(404, 'not_found', `no route for ${ctx.method} ${ctx.path}`);
      }
      // The router answers 501 to a method it knows nothing of (TRACE, PROPFIND, …): for a client that is
      // the same mistake as any other method the route does not allow.
      if (ctx.body === undefined && (ctx.status === 405 || ctx.status === 501)) {
        throw new ApiError(405, 'method_not_allowed', `${ctx.method} is not allowed on ${ctx.path} (allowed: ${ctx.response.get('Allow')})`);
      }
    } catch (err) {
      const requestId: string = ctx.state.requestId ?? randomUUID();
      let status: number;
      let error: ErrorBody['error'];
      const sessionError = asSessionError(err);
      const stationError = asStationOperationError(err) ?? asReservationError(err);
      const httpError = clientHttpError(err);
      if (err instanceof ApiError) {
        status = err.status;
        error = { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }), ...(err.sessionId === undefined ? {} : { sessionId: err.sessionId }) };
      } else if (sessionError) {
        status = sessionErrorStatus(sessionError.code);
        error = { code: sessionError.code, message: sessionError.message };
      } else if (stationError) {
        status = stationError.status;
        error = { code: stationError.code, message: stationError.message };
      } else if (httpError) {
        status = httpError.status;
        error = { code: httpError.code, message: httpError.message };
      } else {
        logger.error({ err, requestId, method: ctx.method, path: ctx.path }, 'request failed');
        status = 500;
        error = { code: 'internal', message: 'internal error' };
      }
      if (ctx.headerSent) return; // a stream already started (SSE): nothing more can be said
      ctx.status = status;
      ctx.type = 'application/json';
      ctx.body = { error, requestId } satisfies ErrorBody;
    }
  };
}
