/** Liveness, readiness (PostgreSQL and Temporal reachable) and Prometheus metrics; all public. */
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { endpoint, Endpoint } from '../http/endpoint';
import { activeSessions, registry } from '../../metrics';
import { countActiveSessions } from '../stores/session-store';

const readinessTimeoutMs = 3_000;

/** Resolves 'ok', or the reason the check failed or timed out (never rejects). */
async function check(probe: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${readinessTimeoutMs} ms`)), readinessTimeoutMs);
  });
  try {
    await Promise.race([probe(), timeout]);
    return 'ok';
  } catch (err) {
    return err instanceof Error ? err.message : 'unreachable';
  } finally {
    clearTimeout(timer);
  }
}

const readinessSchema = z
  .object({ status: z.enum(['ready', 'not_ready']), checks: z.object({ postgres: z.string(), temporal: z.string() }) })
  .meta({ id: 'Readiness' });

export function systemEndpoints(deps: ApiDeps): Endpoint<any>[] {
  const { pool, temporalClient, logger } = deps;
  return [
    endpoint({
      operationId: 'health',
      method: 'get',
      path: '/health',
      tag: 'system',
      access: 'public',
      summary: 'Liveness: the process answers',
      request: z.object({}),
      responses: { 200: { description: 'Alive', schema: z.object({ status: z.literal('ok') }) } },
      async handle(ctx) {
        ctx.body = { status: 'ok' };
      },
    }),
    endpoint({
      operationId: 'ready',
      method: 'get',
      path: '/ready',
      tag: 'system',
      access: 'public',
      summary: 'Readiness: PostgreSQL and Temporal are reachable',
      request: z.object({}),
      responses: { 200: { description: 'Ready', schema: readinessSchema }, 503: { description: 'Not ready', schema: readinessSchema } },
      async handle(ctx) {
        const [postgres, temporal] = await Promise.all([
          check(() => pool.query('SELECT 1')),
          check(() => temporalClient.withDeadline(Date.now() + readinessTimeoutMs, () => temporalClient.workflowService.getSystemInfo({}))),
        ]);
        const ready = postgres === 'ok' && temporal === 'ok';
        if (!ready) logger.warn({ postgres, temporal }, 'not ready');
        ctx.status = ready ? 200 : 503;
        ctx.body = { status: ready ? 'ready' : 'not_ready', checks: { postgres, temporal } };
      },
    }),
    endpoint({
      operationId: 'metrics',
      method: 'get',
      path: '/metrics',
      tag: 'system',
      access: 'public',
      summary: 'Prometheus metrics',
      request: z.object({}),
      responses: { 200: { description: 'Prometheus text format', schema: z.string(), contentType: 'text/plain' } },
      async handle(ctx) {
        // The gauge is read from PostgreSQL at scrape time, so it is right whichever process ran the sessions.
        try {
          activeSessions.set(await countActiveSessions(pool));
        } catch (err) {
          logger.warn({ err }, 'could not count active sessions for /metrics');
        }
        ctx.type = registry.contentType;
        ctx.body = await registry.metrics();
      },
    }),
  ];
}
