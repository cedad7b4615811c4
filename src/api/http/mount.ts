/** Mounts endpoint definitions on a router, each route as auth → validation → handler. */
import type Router from '@koa/router';
import type { Middleware } from 'koa';
import type { Authenticator } from '../auth/auth-middleware';
import type { Endpoint } from './endpoint';
import { validateRequest } from './validation';

export function mountEndpoints(router: Router, endpoints: readonly Endpoint<any>[], auth: Authenticator): void {
  for (const e of endpoints) {
    const validate: Middleware = async (ctx, next) => {
      ctx.state.input = validateRequest(ctx, e.request);
      await next();
    };
    const handle: Middleware = (ctx) => e.handle(ctx, ctx.state.input);
    router[e.method](e.path, auth.require(e.access), validate, handle);
  }
}
