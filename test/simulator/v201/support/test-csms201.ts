/**
 * A small OCPP 2.0.1 CSMS stand-in for the simulator's tests, written here and not taken from the
 * gateway: a real ocpp-rpc RPCServer in strict mode (`ocpp2.0.1`), so every frame the simulated
 * station sends is checked against the official 2.0.1 schemas by a validator that is not the
 * simulator's own. It records what each station sends, in order, and can call the station.
 */
import type { AddressInfo } from 'node:net';
import { RPCServer, createRPCError } from 'ocpp-rpc';

export interface ReceivedCall {
  stationId: string;
  action: string;
  params: any;
  at: number;
}

type Responder = (call: ReceivedCall) => unknown | Promise<unknown>;
interface ServerClient {
  identity: string;
  call(method: string, params?: unknown, options?: Record<string, unknown>): Promise<unknown>;
  handle(method: string | ((args: any) => unknown), handler?: (args: any) => unknown): void;
  on(event: string, listener: (...args: any[]) => void): unknown;
  close(options?: Record<string, unknown>): Promise<unknown>;
}

export class TestCsms201 {
  readonly calls: ReceivedCall[] = [];
  readonly validationFailures: unknown[] = [];
  readonly clients = new Map<string, ServerClient>();
  readonly passwords = new Map<string, string>();
  /** Overrides the default answer for an action (return a value, or throw createRPCError(...)). */
  readonly responders = new Map<string, Responder>();
  bootStatus: 'Accepted' | 'Pending' | 'Rejected' = 'Accepted';
  bootInterval = 300;
  private waiters: { match: (c: ReceivedCall) => boolean; resolve: (c: ReceivedCall) => void }[] = [];

  private constructor(
    private readonly server: RPCServer,
    readonly url: string,
  ) {}

  static async start(): Promise<TestCsms201> {
    const server = new RPCServer({ protocols: ['ocpp2.0.1'], strictMode: true, callTimeoutMs: 2000 } as unknown as ConstructorParameters<typeof RPCServer>[0]);
    const http = await server.listen(0, '127.0.0.1');
    const { port } = http.address() as AddressInfo;
    const csms = new TestCsms201(server, `ws://127.0.0.1:${port}/ocpp`);
    server.auth((accept, reject, handshake) => {
      const expected = csms.passwords.get(handshake.identity);
      if (expected !== undefined && handshake.password?.toString('utf8') !== expected) return reject(401, 'bad password');
      accept({});
    });
    server.on('client', (client: ServerClient) => csms.attach(client));
    return csms;
  }

  private attach(client: ServerClient): void {
    this.clients.set(client.identity, client);
    client.on('strictValidationFailure', (event: unknown) => this.validationFailures.push(event));
    client.on('close', () => {
      if (this.clients.get(client.identity) === client) this.clients.delete(client.identity);
    });
    client.handle(async ({ method, params }: { method: string; params: any }) => {
      const call: ReceivedCall = { stationId: client.identity, action: method, params, at: Date.now() };
      this.calls.push(call);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(call)) return true;
        w.resolve(call);
        return false;
      });
      const responder = this.responders.get(method);
      if (responder) return responder(call);
      return this.defaultAnswer(call);
    });
  }

  private defaultAnswer(call: ReceivedCall): unknown {
    const now = new Date().toISOString();
    switch (call.action) {
      case 'BootNotification':
        return { status: this.bootStatus, interval: this.bootInterval, currentTime: now };
      case 'Heartbeat':
        return { currentTime: now };
      case 'Authorize':
        return { idTokenInfo: { status: 'Accepted' } };
      case 'TransactionEvent':
        return call.params.idToken ? { idTokenInfo: { status: 'Accepted' } } : {};
      case 'StatusNotification':
      case 'MeterValues':
      case 'NotifyReport':
      case 'NotifyEvent':
      case 'SecurityEventNotification':
      case 'FirmwareStatusNotification':
      case 'LogStatusNotification':
      case 'ReservationStatusUpdate':
        return {};
      default:
        throw createRPCError('NotImplemented');
    }
  }

  /** The calls from one station (optionally of some actions), in arrival order. */
  received(stationId: string, actions?: string[]): ReceivedCall[] {
    return this.calls.filter((c) => c.stationId === stationId && (!actions || actions.includes(c.action)));
  }

  /** The station's TransactionEvents in arrival order. */
  events(stationId: string): any[] {
    return this.received(stationId, ['TransactionEvent']).map((c) => c.params);
  }

  /** Resolves with the first call (already received when `includePast`, or future) that matches. */
  waitForCall(match: (c: ReceivedCall) => boolean, timeoutMs = 3000, includePast = false): Promise<ReceivedCall> {
    const past = includePast ? this.calls.find(match) : undefined;
    if (past) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching call from the station')), timeoutMs);
      this.waiters.push({
        match,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      });
    });
  }

  /** Sends a request to a connected station and returns its answer. */
  async command(stationId: string, action: string, params: object, options?: { callTimeoutMs?: number }): Promise<any> {
    const client = this.clients.get(stationId);
    if (!client) throw new Error(`${stationId} is not connected`);
    return client.call(action, params, options);
  }

  async close(): Promise<void> {
    await this.server.close({ force: true });
  }
}
