/**
 * Request bodies: JSON only, no larger than API_BODY_LIMIT. A body in any other media type
 * gets 415 (not a silent empty object that would fail validation with a confusing message).
 */
import { bodyParser } from '@koa/bodyparser';
import type { Middleware } from 'koa';
import { ApiError } from './api-error';

/** `rawPathPrefixes`: routes that read their own (non-JSON) body, such as file uploads. */
export function bodyMiddleware(limit: string, rawPathPrefixes: readonly string[] = []): Middleware {
  const parseJson = bodyParser({
    enableTypes: ['json'],
    jsonLimit: limit,
    jsonStrict: true,
    encoding: 'utf-8',
    onError(err) {
      const status = (err as { status?: number }).status;
      if (status === 413) throw new ApiError(413, 'body_too_large', `request body is larger than ${limit}`);
      if (status === 400) throw new ApiError(400, 'invalid_json', 'request body is not valid JSON');
      throw err;
    },
  });
  return async (ctx, next) => {
    if (rawPathPrefixes.some((prefix) => ctx.path.startsWith(prefix))) return next();
    const hasBody = ctx.request.length > 0 || ctx.get('Transfer-Encoding') !== '';
    if (hasBody && !ctx.is('application/json', '+json')) {
      throw new ApiError(415, 'unsupported_media_type', 'request bodies must be application/json');
    }
    await parseJson(ctx, next);
  };
}
