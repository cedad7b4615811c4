/**
 * The gateway's HTTP(S) server: WebSocket upgrades go to the connection lifecycle; a plain GET
 * /metrics is the gateway process's own Prometheus series (its OCPP and command metrics live
 * here); anything else is told to upgrade (426).
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { Socket, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Config } from '../../config/config';
import type { Logger } from '../../logger';
import { registry } from '../../metrics';
import { admitUpgrade, rejectUpgrade, type UpgradeGate } from './upgrade';

interface GatewayHttpServer {
  server: Server;
  tls: boolean;
}

export type UpgradeHandler = (req: IncomingMessage, socket: Socket, head: Buffer) => Promise<void>;

/** Creates the server and listens; resolves once stations can connect, to the URL they connect to. */
export async function startHttpServer(config: Config, logger: Logger, gate: UpgradeGate, upgrade: UpgradeHandler): Promise<GatewayHttpServer & { url: string; port: number }> {
  const http = createGatewayHttpServer(config, logger, (req, socket, head) => {
    if (!admitUpgrade(gate, req, socket)) return;
    // An HTTP server's upgrade socket is a net.Socket (a TLSSocket over TLS), as ocpp-rpc needs.
    if (!(socket instanceof Socket)) return rejectUpgrade(socket, 500, 'Internal error');
    upgrade(req, socket, head).catch((err: unknown) => {
      logger.error({ err }, 'websocket upgrade failed');
      rejectUpgrade(socket, 500, 'Internal error');
    });
  });
  return { ...http, ...(await listen(http, config, logger)) };
}

function createGatewayHttpServer(config: Config, logger: Logger, onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): GatewayHttpServer {
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
async function listen({ server, tls }: GatewayHttpServer, config: Config, logger: Logger): Promise<{ url: string; port: number }> {
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
