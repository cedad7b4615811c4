/**
 * The connection pool fails fast on a database that does not answer (a network cut that drops
 * packets rather than refusing them), instead of hanging the OCPP message or activity behind it.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createPool } from '../../src/db/pool';

test('a database that accepts the TCP connection and never answers fails the query within the connect timeout', async () => {
  const sockets: net.Socket[] = [];
  const silent = net.createServer((socket) => sockets.push(socket)); // reads nothing, says nothing
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const { port } = silent.address() as AddressInfo;
  const pool = createPool(`postgres://csms:secret@127.0.0.1:${port}/csms`, { connectTimeoutMs: 300 });
  try {
    const t0 = Date.now();
    await expect(pool.query('SELECT 1')).rejects.toThrow(/timeout/i);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(sockets.length).toBeGreaterThan(0); // it really reached the silent server
  } finally {
    await pool.end();
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  }
});
