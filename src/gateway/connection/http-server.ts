/**
 * The gateway's HTTP(S) server: WebSocket upgrades go to the connection lifecycle; a plain GET
 * /metrics is the gateway process's own Prometheus series (its OCPP and command metrics live
 * here); anything else is told to upgrade (426).
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Config } from '../../config/config';
import type { Logger } from '../../logger';
import { registry } from '../../metrics';

export interface GatewayHttpServer {
  server: Server;
  tls: boolean;
}

export function createGatewayHttpServer(config: Config, logger: Logger, onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): GatewayHttpServer {
  const notWebSocket = (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      registry.metrics().then(
        (text) => (res.setHeader('Content-Type', registry.contentType), res.end(text)),
        (err: unknown) => (logger.error({ err }, 'gateway /metrics failed'), (res.statusCode = 500), res.end()),
      );
      return;
    }
    res.statusCode = 426;
    res.setHeader('Upgrade', 'websocket');
    res.end('OCPP 1.6-J WebSocket endpoint');
  };
  const cert = config.GATEWAY_TLS_CERT_FILE;
  const key = config.GATEWAY_TLS_KEY_FILE;
  const server = cert && key ? createHttpsServer({ cert: readFileSync(cert), key: readFileSync(key) }, notWebSocket) : createHttpServer(notWebSocket);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => undefined);
    onUpgrade(req, socket, head);
  });
  server.on('clientError', (_err, socket) => socket.destroy());
  return { server, tls: Boolean(cert && key) };
}

/** Listens on GATEWAY_HOST:GATEWAY_PORT; resolves to the URL stations connect to (ws://host:port/prefix). */
export async function listen({ server, tls }: GatewayHttpServer, config: Config, logger: Logger): Promise<{ url: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.GATEWAY_PORT, config.GATEWAY_HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => logger.error({ err }, 'gateway server error'));
  const { port } = server.address() as AddressInfo;
  const host = config.GATEWAY_HOST === '0.0.0.0' || config.GATEWAY_HOST === '::' ? '127.0.0.1' : config.GATEWAY_HOST;
  const url = `${tls ? 'wss' : 'ws'}://${host.includes(':') ? `[${host}]` : host}:${port}${config.GATEWAY_PATH_PREFIX.replace(/\/+$/, '')}`;
  return { url, port };
}
