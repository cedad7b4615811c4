/** The Stripe emulator the setup step installs: started on a free port, answering the Stripe API, and gone after stop. */
import net from 'node:net';
import { startLocalstripe } from '../../src/payments/localstripe';

const portIsOpen = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

describe('localstripe', () => {
  it('answers the Stripe API on its port and keeps nothing running after stop', async () => {
    const emulator = await startLocalstripe();
    try {
      const res = await fetch(`http://127.0.0.1:${emulator.port}/v1/customers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${emulator.connection.secretKey}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=driver%40example.com',
      });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ object: 'customer', email: 'driver@example.com' });
    } finally {
      await emulator.stop();
    }
    expect(await portIsOpen(emulator.port)).toBe(false);
  });

  it('gives each instance its own store', async () => {
    const [a, b] = await Promise.all([startLocalstripe(), startLocalstripe()]);
    try {
      const auth = { authorization: `Bearer ${a.connection.secretKey}` };
      const created = (await (await fetch(`http://127.0.0.1:${a.port}/v1/customers`, { method: 'POST', headers: auth })).json()) as { id: string };
      expect((await fetch(`http://127.0.0.1:${a.port}/v1/customers/${created.id}`, { headers: auth })).status).toBe(200);
      expect((await fetch(`http://127.0.0.1:${b.port}/v1/customers/${created.id}`, { headers: auth })).status).toBe(404);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});
