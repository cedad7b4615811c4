/** Starts the API: stores the bootstrap operator token's hash, then listens (API_PORT=0: a free port). */
import http from 'node:http';
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
