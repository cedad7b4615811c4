/** Child process: a bare `ws` server that sends every frame straight back (the physical limit of this machine). */
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { serveParent } from './support/children';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: (protocols) => (protocols.has('ocpp1.6') ? 'ocpp1.6' : false) });
wss.on('connection', (socket) => socket.on('message', (data, isBinary) => socket.send(data, { binary: isBinary })));
wss.on('listening', () => {
  const { port } = wss.address() as AddressInfo;
  serveParent({ url: `ws://127.0.0.1:${port}/ocpp` }, {}, async () => {
    for (const c of wss.clients) c.terminate();
    await new Promise<void>((resolve) => wss.close(() => resolve()));
  });
});
