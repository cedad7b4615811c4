/**
 * A running gateway on a fresh PostgreSQL database, a recording session event sink, and helpers
 * to register chargers / id tags and to open raw WebSocket connections.
 */
import { ApplicationFailure } from '@temporalio/common';
import WebSocket from 'ws';
import pino from 'pino';
import { loadConfig } from '../../../src/config/config';
import { startGateway, type GatewayDeps, type RunningGateway } from '../../../src/gateway/gateway';
import { hashPassword } from '../../../src/security/password';
import type { SessionEventSink } from '../../../src/sessions/session-events';
import { SimulatedChargePoint, type SimulatedChargePointOptions } from '../../../src/simulator/charge-point';
import { createTestDatabase, type TestDatabase } from '../../support/database';

export type RecordedEvent = { kind: keyof SessionEventSink; event: any };

/** Records every forwarded event; `failNext` makes the next call of a kind throw (a session layer outage). */
export class RecordingSessionEvents implements SessionEventSink {
  readonly events: RecordedEvent[] = [];
  readonly failing = new Set<keyof SessionEventSink>();
  private waiters: { match: (e: RecordedEvent) => boolean; resolve: (e: RecordedEvent) => void }[] = [];

  private record(kind: keyof SessionEventSink, event: unknown): Promise<void> {
    if (this.failing.has(kind)) return Promise.reject(new Error(`session layer unavailable (${kind})`));
    const e = { kind, event };
    this.events.push(e);
    this.waiters = this.waiters.filter((w) => (w.match(e) ? (w.resolve(e), false) : true));
    return Promise.resolve();
  }
  transactionStarted = (e: unknown) => this.record('transactionStarted', e);
  /** Each frame of a batch is recorded on its own. */
  meterValues = async (batch: unknown[]) => {
    for (const e of batch) await this.record('meterValues', e);
  };
  transactionStopped = (e: unknown) => this.record('transactionStopped', e);
  chargerConnection = (e: unknown) => this.record('chargerConnection', e);
  connectorStatus = (e: unknown) => this.record('connectorStatus', e);

  of(kind: keyof SessionEventSink, filter: (event: any) => boolean = () => true): any[] {
    return this.events.filter((e) => e.kind === kind && filter(e.event)).map((e) => e.event);
  }

  waitFor(kind: keyof SessionEventSink, filter: (event: any) => boolean = () => true, timeoutMs = 5000): Promise<any> {
    const past = this.events.find((e) => e.kind === kind && filter(e.event));
    if (past) return Promise.resolve(past.event);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${kind} event`)), timeoutMs);
      this.waiters.push({
        match: (e) => e.kind === kind && filter(e.event),
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e.event);
        },
      });
    });
  }
}

export const testLogger = pino({ level: process.env.GATEWAY_TEST_LOG ?? 'silent' });

export function gatewayConfig(env: Record<string, string> = {}) {
  return loadConfig({
    LOG_LEVEL: 'silent',
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PORT: '0',
    GATEWAY_ID: 'gw-test',
    GATEWAY_COMMAND_TIMEOUT_MS: '1000',
    GATEWAY_HEARTBEAT_INTERVAL_S: '60',
    ...env,
  });
}

export interface GatewayHarness {
  db: TestDatabase;
  gateway: RunningGateway;
  events: RecordingSessionEvents;
  chargePoints: SimulatedChargePoint[];
  sockets: WebSocket[];
  start(env?: Record<string, string>, extra?: Partial<GatewayDeps>): Promise<RunningGateway>;
  addCharger(id: string, password?: string, registrationStatus?: 'Accepted' | 'Pending' | 'Rejected'): Promise<void>;
  addIdTag(idTag: string, fields?: { status?: string; expiryDate?: Date; parentIdTag?: string; driverId?: string }): Promise<void>;
  chargePoint(options: Partial<SimulatedChargePointOptions> & { chargePointId: string }): SimulatedChargePoint;
  close(): Promise<void>;
}

export const PASSWORD = 'correct-horse-battery';

/** One database per test file; start() may be called again for a second gateway (stored in `gateway`, all closed at the end). */
export async function createGatewayHarness(): Promise<GatewayHarness> {
  const db = await createTestDatabase();
  const gateways: RunningGateway[] = [];
  const h: GatewayHarness = {
    db,
    gateway: undefined as unknown as RunningGateway,
    events: new RecordingSessionEvents(),
    chargePoints: [],
    sockets: [],
    async start(env = {}, extra = {}) {
      const gateway = await startGateway({ config: gatewayConfig(env), pool: db.pool, logger: testLogger, sessionEvents: h.events, ...extra });
      gateways.push(gateway);
      h.gateway = gateway;
      return gateway;
    },
    async addCharger(id, password = PASSWORD, registrationStatus = 'Accepted') {
      await db.pool.query('INSERT INTO chargers (id, password_hash, registration_status) VALUES ($1, $2, $3)', [id, await hashPassword(password), registrationStatus]);
    },
    async addIdTag(idTag, fields = {}) {
      if (fields.driverId) await db.pool.query('INSERT INTO drivers (id, name) VALUES ($1, $1) ON CONFLICT DO NOTHING', [fields.driverId]);
      await db.pool.query('INSERT INTO id_tags (id_tag, status, expiry_date, parent_id_tag, driver_id) VALUES ($1, $2, $3, $4, $5)', [
        idTag,
        fields.status ?? 'Accepted',
        fields.expiryDate ?? null,
        fields.parentIdTag ?? null,
        fields.driverId ?? null,
      ]);
    },
    chargePoint(options) {
      const cp = new SimulatedChargePoint({ url: h.gateway.url, password: PASSWORD, callTimeoutMs: 5000, transactionMessageAttempts: 1, ...options });
      h.chargePoints.push(cp);
      return cp;
    },
    async close() {
      for (const s of h.sockets) s.terminate();
      for (const cp of h.chargePoints) await cp.close().catch(() => undefined);
      for (const g of gateways) await g.close();
      await db.drop();
    },
  };
  return h;
}

export function basicAuth(id: string, password: string): string {
  return 'Basic ' + Buffer.from(`${id}:${password}`).toString('base64');
}

/**
 * Attempts a WebSocket upgrade (from `localAddress`, a loopback address, when given); resolves with 101
 * when it succeeded (the socket is closed again) or the HTTP status, headers and body of the refusal.
 */
export function upgradeStatus(
  url: string,
  options: { protocols?: string[]; authorization?: string; localAddress?: string } = {},
): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, options.protocols ?? ['ocpp1.6'], {
      headers: options.authorization ? { Authorization: options.authorization } : {},
      ...(options.localAddress ? { localAddress: options.localAddress } : {}),
    });
    ws.on('open', () => {
      ws.close();
      resolve({ status: 101, body: '', headers: {} });
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      const done = () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', done);
      res.on('error', done);
    });
    ws.on('error', (err) => {
      if (!/Unexpected server response/.test(err.message)) reject(err);
    });
  });
}

/** A raw authenticated socket (`ocpp1.6` unless other subprotocols are offered), for frames the simulator would never send. */
export async function rawSocket(h: GatewayHarness, id: string, password = PASSWORD, protocols: string[] = ['ocpp1.6']): Promise<RawOcppSocket> {
  const ws = new WebSocket(`${h.gateway.url}/${id}`, protocols, { headers: { Authorization: basicAuth(id, password) } });
  h.sockets.push(ws);
  const socket = new RawOcppSocket(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  return socket;
}

export class RawOcppSocket {
  readonly received: unknown[][] = [];
  private waiters: { match: (m: unknown[]) => boolean; resolve: (m: unknown[]) => void }[] = [];
  closed?: { code: number; reason: string };

  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      let msg: unknown[];
      try {
        msg = JSON.parse(data.toString());
      } catch {
        return;
      }
      this.received.push(msg);
      this.waiters = this.waiters.filter((w) => (w.match(msg) ? (w.resolve(msg), false) : true));
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
    });
  }

  send(frame: string): void {
    this.ws.send(frame);
  }

  /** The reply (CALLRESULT or CALLERROR) to a message id. */
  reply(messageId: string, timeoutMs = 3000): Promise<unknown[]> {
    const match = (m: unknown[]) => (m[0] === 3 || m[0] === 4) && m[1] === messageId;
    const past = this.received.find(match);
    if (past) return Promise.resolve(past);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${messageId}`)), timeoutMs);
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  async call(messageId: string, action: string, payload: unknown): Promise<unknown[]> {
    this.send(JSON.stringify([2, messageId, action, payload]));
    return this.reply(messageId);
  }
}

export async function eventually<T>(probe: () => Promise<T>, accept: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (accept(v)) return v;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms; last value: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The ApplicationFailure a charger command activity raised (it must raise one). */
export async function commandFailure(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ApplicationFailure);
  return err as ApplicationFailure;
}
