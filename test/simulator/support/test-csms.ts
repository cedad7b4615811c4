/**
 * A small CSMS for the simulator's tests: a real ocpp-rpc RPCServer in strict mode, so every frame
 * the simulator sends is checked against the official OCPP 1.6 schemas by a validator that is not
 * the simulator's own. It records what each charger sends, in order, and can call the charger.
 */
import { RPCServer, createRPCError } from 'ocpp-rpc';
import { CallWaiters, ServerClient, registerClient, startStrictServer } from './strict-rpc-server';

export interface ReceivedCall {
  chargePointId: string;
  action: string;
  params: any;
  at: number;
  /** Arrival order of calls and command answers together (see `answers`). */
  seq: number;
}

export interface ReceivedAnswer {
  chargePointId: string;
  action: string;
  answer: unknown;
  seq: number;
}

type Responder = (call: ReceivedCall) => unknown | Promise<unknown>;

export class TestCsms {
  readonly calls: ReceivedCall[] = [];
  /** Answers to command(), in arrival order, numbered with the calls (so "answer before call" can be checked). */
  readonly answers: ReceivedAnswer[] = [];
  private seq = 0;
  /** Wire order of every frame a charger sent: calls by message id, and its latest CALLRESULT/CALLERROR. */
  private readonly wireSeq = new Map<string, number>();
  private readonly lastReplySeq = new Map<string, number>();
  readonly validationFailures: unknown[] = [];
  readonly clients = new Map<string, ServerClient>();
  /** Overrides the default answer for an action (return a value, or throw createRPCError(...)). */
  readonly responders = new Map<string, Responder>();
  bootStatus: 'Accepted' | 'Pending' | 'Rejected' = 'Accepted';
  heartbeatInterval = 300;
  private nextTransactionId = 1000;
  private readonly waiters = new CallWaiters<ReceivedCall>();

  private constructor(
    private readonly server: RPCServer,
    readonly url: string,
    /** Expected HTTP Basic password per charger (none: any is accepted). */
    readonly passwords: Map<string, string>,
  ) {}

  static async start(options: { passwords?: Record<string, string> } = {}): Promise<TestCsms> {
    const passwords = new Map(Object.entries(options.passwords ?? {}));
    const { server, url } = await startStrictServer('ocpp1.6', (identity) => passwords.get(identity));
    const csms = new TestCsms(server, url, passwords);
    server.on('client', (client: ServerClient) => csms.attach(client));
    return csms;
  }

  private attach(client: ServerClient): void {
    registerClient(client, this.clients, this.validationFailures);
    // Numbered on arrival (handlers and answers run later, and not necessarily in wire order).
    client.on('message', ({ message, outbound }: { message: string; outbound: boolean }) => {
      if (outbound) return;
      try {
        const frame = JSON.parse(String(message));
        if (frame[0] === 2) this.wireSeq.set(`${client.identity} ${frame[1]}`, ++this.seq);
        else this.lastReplySeq.set(client.identity, ++this.seq);
      } catch {
        // not JSON: nothing to number
      }
    });
    client.handle(async ({ method, params, messageId }: { method: string; params: any; messageId: string }) => {
      const key = `${client.identity} ${messageId}`;
      const call: ReceivedCall = { chargePointId: client.identity, action: method, params, at: Date.now(), seq: this.wireSeq.get(key) ?? ++this.seq };
      this.wireSeq.delete(key);
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
        return { status: this.bootStatus, interval: this.heartbeatInterval, currentTime: now };
      case 'Heartbeat':
        return { currentTime: now };
      case 'Authorize':
        return { idTagInfo: { status: 'Accepted' } };
      case 'StartTransaction':
        return { transactionId: this.nextTransactionId++, idTagInfo: { status: 'Accepted' } };
      case 'StopTransaction':
        return { idTagInfo: { status: 'Accepted' } };
      case 'StatusNotification':
      case 'MeterValues':
      case 'DiagnosticsStatusNotification':
      case 'FirmwareStatusNotification':
        return {};
      default:
        throw createRPCError('NotImplemented');
    }
  }

  /** The calls from one charger (optionally of some actions), in arrival order. */
  received(chargePointId: string, actions?: string[]): ReceivedCall[] {
    return this.calls.filter((c) => c.chargePointId === chargePointId && (!actions || actions.includes(c.action)));
  }

  /** Resolves with the first call (already received or future) that matches. */
  waitForCall(match: (c: ReceivedCall) => boolean, timeoutMs = 5000, includePast = false): Promise<ReceivedCall> {
    return this.waiters.wait(match, timeoutMs, includePast ? this.calls : undefined, 'no matching call from the charger');
  }

  /** Sends a command to a connected charger and returns its answer. */
  async command(chargePointId: string, action: string, params: object, options?: { callTimeoutMs?: number }): Promise<any> {
    const client = this.clients.get(chargePointId);
    if (!client) throw new Error(`${chargePointId} is not connected`);
    const answer = await client.call(action, params, options);
    this.answers.push({ chargePointId, action, answer, seq: this.lastReplySeq.get(chargePointId) ?? ++this.seq });
    return answer;
  }

  /** Sends a CALL frame as is (no schema check on this side) and resolves with the charger's reply frame. */
  rawCall(chargePointId: string, action: string, payload: unknown, timeoutMs = 2000): Promise<unknown[]> {
    const client = this.clients.get(chargePointId);
    if (!client) throw new Error(`${chargePointId} is not connected`);
    const id = `raw-${++this.seq}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        client.off('message', onMessage);
        reject(new Error(`no reply to ${action}`));
      }, timeoutMs);
      const onMessage = ({ message, outbound }: { message: string; outbound: boolean }) => {
        if (outbound) return;
        const frame = JSON.parse(String(message));
        if (frame[1] !== id) return;
        clearTimeout(timer);
        client.off('message', onMessage);
        resolve(frame);
      };
      client.on('message', onMessage);
      client.sendRaw(JSON.stringify([2, id, action, payload]));
    });
  }

  async close(): Promise<void> {
    await this.server.close({ force: true });
  }
}
