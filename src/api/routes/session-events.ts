/**
 * Server-Sent Events for one session: a `state` event at once and on every change (meter
 * values, status), heartbeat comments so proxies keep the connection, an `end` event and
 * the stream's end when the session completes. A client that goes away stops the watch.
 */
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { ApiDeps } from '../deps';
import { callerOf, endpoint, Endpoint, errorResponse } from '../http/endpoint';
import { assertSessionVisible } from '../session-access';
import { sessionIdSchema } from '../schemas/common';
import { sessionView } from '../schemas/session-schemas';
import { stationTransactionIdOf } from '../stores/session-store';
import type { SessionState } from '../../../workflows/session-messages';

const defaultHeartbeatMs = 15_000;

export function sessionEventEndpoints(deps: ApiDeps): Endpoint<any>[] {
  const { pool, sessions, logger } = deps;
  const heartbeatMs = deps.sseHeartbeatMs ?? defaultHeartbeatMs;
  return [
    endpoint({
      operationId: 'watchSession',
      method: 'get',
      path: '/v1/sessions/:id/events',
      tag: 'sessions',
      access: 'authenticated',
      summary: 'Live session events (Server-Sent Events)',
      description:
        '`event: state` with the session state (as GET /v1/sessions/{id}) at once and on every change; `: heartbeat` comments; ' +
        '`event: end` and the end of the stream when the session is completed, failed or interrupted.',
      request: z.object({ params: z.object({ id: sessionIdSchema }) }),
      responses: {
        200: { description: 'An event stream', schema: z.string(), contentType: 'text/event-stream' },
        404: errorResponse('No such session (or not yours)'),
      },
      async handle(ctx, { params }) {
        await assertSessionVisible(pool, callerOf(ctx), params.id);
        const stream = new PassThrough();
        const abort = new AbortController();
        let eventId = 0;
        const write = (text: string): void => {
          if (!stream.writableEnded) stream.write(text);
        };
        const heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
        const finish = (): void => {
          clearInterval(heartbeat);
          abort.abort();
          if (!stream.writableEnded) stream.end();
        };
        // 'close' on the response: the client disconnected, or we ended the stream.
        ctx.res.once('close', finish);

        ctx.req.socket.setTimeout(0);
        ctx.req.socket.setNoDelay(true);
        ctx.status = 200;
        ctx.type = 'text/event-stream; charset=utf-8';
        ctx.set('Cache-Control', 'no-cache, no-transform');
        ctx.set('X-Accel-Buffering', 'no'); // nginx: do not buffer the stream
        ctx.body = stream;
        write('retry: 3000\n\n');

        // The station's own transaction id (OCPP 2.0.1), looked up once the transaction is known.
        let stationTransactionId: Promise<string | null> = Promise.resolve(null);
        let lookedUpFor: number | null = null;
        const view = async (state: SessionState) => {
          if (state.transactionId !== lookedUpFor) {
            lookedUpFor = state.transactionId;
            stationTransactionId = stationTransactionIdOf(pool, state.transactionId);
          }
          return sessionView(state, await stationTransactionId);
        };
        let written = Promise.resolve();
        void sessions
          .watch(params.id, (state) => (written = written.then(async () => write(`id: ${++eventId}\nevent: state\ndata: ${JSON.stringify(await view(state))}\n\n`))), abort.signal)
          .then(() => written)
          .then(() => {
            if (!abort.signal.aborted) write(`event: end\ndata: ${JSON.stringify({ sessionId: params.id })}\n\n`);
          })
          .catch((err: unknown) => {
            logger.error({ err, sessionId: params.id, requestId: ctx.state.requestId }, 'session event stream failed');
            write(`event: error\ndata: ${JSON.stringify({ message: 'the live stream failed; reconnect to resume', requestId: ctx.state.requestId })}\n\n`);
          })
          .finally(finish);
      },
    }),
  ];
}
