/**
 * Gives every request an id (the caller's X-Request-Id when it is sane, else a new one),
 * echoes it in the response, and records the latency by route once the response is sent.
 */
import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import { apiRequestLatency } from '../../metrics';

const acceptableRequestId = /^[A-Za-z0-9._-]{1,64}$/;

export function requestContextMiddleware(): Middleware {
  return async (ctx, next) => {
    const incoming = ctx.get('X-Request-Id');
    const requestId = acceptableRequestId.test(incoming) ? incoming : randomUUID();
    ctx.state.requestId = requestId;
    ctx.set('X-Request-Id', requestId);
    const stopTimer = apiRequestLatency.startTimer({ method: ctx.method });
    // On 'close' rather than after next(): the status is final only once the errors middleware
    // (outside this one) has answered, and a streamed response (SSE) ends long after next().
    ctx.res.once('close', () => {
      // The route template, not the raw path, so ids do not explode the label set.
      const route = (ctx as { _matchedRoute?: string })._matchedRoute ?? 'unmatched';
      stopTimer({ route: String(route), status: String(ctx.status) });
    });
    await next();
  };
}
