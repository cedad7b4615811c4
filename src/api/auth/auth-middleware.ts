/**
 * Bearer-token authentication per route. Wrong tokens are counted per client address: after
 * too many in a window, a token from that address gets 429 until the window passes, so tokens
 * cannot be guessed at speed. A request without a token is a guess at nothing: always 401.
 */
import type { Context, Middleware } from 'koa';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Pool } from '../../db/pool';
import { ApiError, forbidden } from '../http/api-error';
import { findPrincipalByToken } from '../stores/token-store';
import type { Access, Principal } from './principal';

export const authFailureLimit = { points: 10, durationS: 60 } as const;

export interface Authenticator {
  require(access: Access): Middleware;
}

function bearerToken(ctx: Context): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(ctx.get('Authorization'));
  return match ? match[1] : null;
}

function unauthorized(ctx: Context, message: string): ApiError {
  ctx.set('WWW-Authenticate', 'Bearer realm="csms"');
  return new ApiError(401, 'unauthorized', message);
}

export function createAuthenticator(pool: Pool): Authenticator {
  // One limiter per app (not a module global), in memory: the count is per API process.
  const failures = new RateLimiterMemory({ points: authFailureLimit.points, duration: authFailureLimit.durationS });

  async function refuseIfThrottled(ctx: Context): Promise<void> {
    const state = await failures.get(ctx.ip);
    if (state && state.consumedPoints >= authFailureLimit.points) {
      ctx.set('Retry-After', String(Math.max(1, Math.ceil(state.msBeforeNext / 1000))));
      throw new ApiError(429, 'too_many_failed_attempts', 'too many failed authentication attempts from this address; try again later');
    }
  }

  async function countFailure(ctx: Context): Promise<void> {
    try {
      await failures.consume(ctx.ip);
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res; // over the limit: refuseIfThrottled answers next time
    }
  }

  async function authenticate(ctx: Context): Promise<Principal> {
    const token = bearerToken(ctx);
    // No token presented is not a guess: it is asked for (401), never throttled or counted.
    if (!token) {
      throw unauthorized(ctx, ctx.get('Authorization') ? 'Authorization header must be "Bearer <token>"' : 'missing bearer token');
    }
    await refuseIfThrottled(ctx);
    const principal = await findPrincipalByToken(pool, token);
    if (!principal) {
      await countFailure(ctx);
      throw unauthorized(ctx, 'invalid bearer token');
    }
    return principal;
  }

  return {
    require(access) {
      return async (ctx, next) => {
        if (access !== 'public') {
          const principal = await authenticate(ctx);
          if (access === 'operator' && principal.role !== 'operator') throw forbidden();
          ctx.state.principal = principal;
        }
        await next();
      };
    },
  };
}
