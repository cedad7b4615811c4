/**
 * What the simulator's CSMS stand-ins (1.6 and 2.0.1) share: a real ocpp-rpc RPCServer in strict
 * mode on a free port with HTTP Basic passwords, and the waiting for a call from the charger.
 */
import type { AddressInfo } from 'node:net';
import { RPCServer } from 'ocpp-rpc';

/** The server-side client of one connected charger (the part of ocpp-rpc's RPCServerClient the stand-ins use). */
export interface ServerClient {
  identity: string;
  call(method: string, params?: unknown, options?: Record<string, unknown>): Promise<unknown>;
  handle(method: string | ((args: any) => unknown), handler?: (args: any) => unknown): void;
  on(event: string, listener: (...args: any[]) => void): unknown;
  off(event: string, listener: (...args: any[]) => void): unknown;
  sendRaw(message: string): void;
  close(options?: Record<string, unknown>): Promise<unknown>;
}

/** Listens on 127.0.0.1; a charger with an expected password (undefined: any) must present it. */
export async function startStrictServer(protocol: 'ocpp1.6' | 'ocpp2.0.1', expectedPassword: (identity: string) => string | undefined): Promise<{ server: RPCServer; url: string }> {
  const server = new RPCServer({ protocols: [protocol], strictMode: true, callTimeoutMs: 2000 } as unknown as ConstructorParameters<typeof RPCServer>[0]);
  const http = await server.listen(0, '127.0.0.1');
  const { port } = http.address() as AddressInfo;
  server.auth((accept, reject, handshake) => {
    const expected = expectedPassword(handshake.identity);
    if (expected !== undefined && handshake.password?.toString('utf8') !== expected) return reject(401, 'bad password');
    accept({ password: handshake.password?.toString('utf8') });
  });
  return { server, url: `ws://127.0.0.1:${port}/ocpp` };
}

/** Waiters for calls matching a predicate; `arrived` resolves those the new call matches. */
export class CallWaiters<C> {
  private waiters: { match: (c: C) => boolean; resolve: (c: C) => void }[] = [];

  arrived(call: C): void {
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(call)) return true;
      w.resolve(call);
      return false;
    });
  }

  /** The first call that matches: among `past` when given, else a future one (rejected with `timeoutMessage` after `timeoutMs`). */
  wait(match: (c: C) => boolean, timeoutMs: number, past: C[] | undefined, timeoutMessage: string): Promise<C> {
    const found = past?.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(timeoutMessage)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      });
    });
  }
}

/** Keeps `clients` to the chargers connected now (a reconnect replaces the entry) and collects their schema failures. */
export function registerClient(client: ServerClient, clients: Map<string, ServerClient>, validationFailures: unknown[]): void {
  clients.set(client.identity, client);
  client.on('strictValidationFailure', (event: unknown) => validationFailures.push(event));
  client.on('close', () => {
    if (clients.get(client.identity) === client) clients.delete(client.identity);
  });
}
