/** Starts the API: stores the bootstrap operator token's hash, then listens (API_PORT=0: a free port). */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { ApiDeps } from './deps';
import { createApiApp } from './app';
import { ensureOperatorToken } from './stores/token-store';

export interface RunningApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startApi(deps: ApiDeps): Promise<RunningApi> {
  const { config, logger } = deps;
  if (config.OPERATOR_TOKEN) await ensureOperatorToken(deps.pool, config.OPERATOR_TOKEN);
  const app = createApiApp(deps);
  const server = http.createServer(app.callback());
  // Slow clients cannot hold sockets forever; SSE responses lift the socket timeout themselves.
  server.requestTimeout = 60_000;
  server.headersTimeout = 20_000;
  server.on('clientError', answerUnparsableRequest);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.API_PORT, config.API_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = config.API_HOST === '0.0.0.0' || config.API_HOST === '::' ? '127.0.0.1' : config.API_HOST;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url }, 'API listening');
  return {
    url,
    port,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Open event streams and idle keep-alive sockets would otherwise hold close() forever.
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * A request Node's HTTP parser refused before the app saw it (headers too large, malformed
 * request line or framing, header timeout) gets the API's JSON error body too, not Node's bare
 * status line.
 */
function answerUnparsableRequest(err: Error & { code?: string }, socket: Duplex): void {
  const response = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (err.code === 'ECONNRESET' || !socket.writable || response?.headersSent) {
    socket.destroy();
    return;
  }
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'request headers are larger than the server accepts']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'the request was not received in time']
        : [400, 'bad_request', 'the request is not valid HTTP'];
  const body = JSON.stringify({ error: { code, message }, requestId: randomUUID() });
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}
