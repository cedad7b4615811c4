/**
 * A small OCPP 2.0.1 CSMS stand-in for the simulator's tests, written here and not taken from the
 * gateway: a real ocpp-rpc RPCServer in strict mode (`ocpp2.0.1`), so every frame the simulated
 * station sends is checked against the official 2.0.1 schemas by a validator that is not the
 * simulator's own. It records what each station sends, in order, and can call the station.
 */
import { RPCServer, createRPCError } from 'ocpp-rpc';
import { CallWaiters, ServerClient, registerClient, startStrictServer } from '../../support/strict-rpc-server';

export interface ReceivedCall {
  stationId: string;
  action: string;
  params: any;
  at: number;
}

type Responder = (call: ReceivedCall) => unknown | Promise<unknown>;

export class TestCsms201 {
  readonly calls: ReceivedCall[] = [];
  readonly validationFailures: unknown[] = [];
  readonly clients = new Map<string, ServerClient>();
  /** Overrides the default answer for an action (return a value, or throw createRPCError(...)). */
  readonly responders = new Map<string, Responder>();
  bootStatus: 'Accepted' | 'Pending' | 'Rejected' = 'Accepted';
  bootInterval = 300;
  private readonly waiters = new CallWaiters<ReceivedCall>();

  private constructor(
    private readonly server: RPCServer,
    readonly url: string,
    /** Expected HTTP Basic password per charger (none: any is accepted). */
    readonly passwords: Map<string, string>,
  ) {}

  static async start(): Promise<TestCsms201> {
    const passwords = new Map<string, string>();
    const { server, url } = await startStrictServer('ocpp2.0.1', (identity) => passwords.get(identity));
    const csms = new TestCsms201(server, url, passwords);
    server.on('client', (client: ServerClient) => csms.attach(client));
    return csms;
  }

  private attach(client: ServerClient): void {
    registerClient(client, this.clients, this.validationFailures);
    client.handle(async ({ method, params }: { method: string; params: any }) => {
      const call: ReceivedCall = { stationId: client.identity, action: method, params, at: Date.now() };
      this.calls.push(call);
      this.waiters.arrived(call);
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
      case 'ReportChargingProfiles':
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
    return this.waiters.wait(match, timeoutMs, includePast ? this.calls : undefined, 'no matching call from the station');
  }

  /** Sends a request to a connected station and returns its answer. */
  async command(stationId: string, action: string, params: object, options?: { callTimeoutMs?: number }): Promise<any> {
    const client = this.clients.get(stationId);
    if (!client) throw new Error(`${stationId} is not connected`);
    return client.call(action, params, options);
  }

  /** Drops a station's connection from the CSMS side (no close handshake). */
  async disconnect(stationId: string): Promise<void> {
    await this.clients.get(stationId)?.close({ force: true });
  }

  async close(): Promise<void> {
    await this.server.close({ force: true });
  }
}
