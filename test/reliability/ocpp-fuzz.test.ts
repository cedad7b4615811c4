/**
 * The OCPP endpoint under a seeded fuzzer: random bytes and strings, valid core requests and
 * mutations of them (dropped fields, wrong types, huge strings, nested junk), wrong message
 * types, non-string and duplicate message ids, CALLRESULT/CALLERROR for ids never sent, actions a
 * charge point never sends, oversized frames and a flood of calls. The gateway must answer every
 * CALL with exactly one well-formed OCPP-J reply, stay up, and leave the database consistent.
 *
 * Replay a run with FUZZ_SEED=<seed printed below>.
 */
import WebSocket from 'ws';
import { basicAuth, createGatewayHarness, PASSWORD, type GatewayHarness } from '../gateway/support/gateway-harness';
import { brokenInvariants } from './support/db-invariants';
import { centralSystemActions, junkValue, mutatePayload, replyProblem, validRequests, type FrameContext } from './support/ocpp-frames';
import { fuzzSeed, hostileStrings, Prng } from '../../src/simulator/prng';

const seed = fuzzSeed(0x0c99_2026);
const maxFrameBytes = 16 * 1024;
const batches = 40;
const framesPerBatch = 60;
const floodSize = 1000;

/** The id ocpp-rpc answers a frame with ('-1' when the frame has no usable id), or null when no answer is due. */
function expectedReplyId(text: string): string | null {
  if (text.length === 0) return null;
  let frame: unknown;
  try {
    frame = JSON.parse(text);
  } catch {
    return '-1';
  }
  if (!Array.isArray(frame) || typeof frame[0] !== 'number' || ![2, 3, 4].includes(frame[0])) return '-1';
  if (frame[0] !== 2) return null; // a CALLRESULT / CALLERROR is never answered
  return typeof frame[1] === 'string' ? frame[1] : '-1';
}

/** One raw charger connection that counts the replies it is owed and validates every frame it receives. */
class FuzzConnection {
  ws!: WebSocket;
  closed?: { code: number; reason: string };
  readonly owed = new Map<string, number>();
  readonly answered = new Map<string, number>();
  readonly actions = new Map<string, string>();
  readonly malformedCommands: string[] = [];
  private waiters: (() => void)[] = [];

  constructor(
    private readonly url: string,
    readonly stationId: string,
    private readonly onFrame: (frame: unknown, raw: string, conn: FuzzConnection) => void,
  ) {}

  async open(): Promise<void> {
    this.closed = undefined;
    this.owed.clear();
    this.answered.clear();
    this.ws = new WebSocket(`${this.url}/${this.stationId}`, ['ocpp1.6'], { headers: { Authorization: basicAuth(this.stationId, PASSWORD) } });
    this.ws.on('message', (data) => {
      const raw = data.toString();
      let frame: unknown;
      try {
        frame = JSON.parse(raw);
      } catch {
        frame = Symbol.for('not-json');
      }
      if (Array.isArray(frame) && frame[0] === 2) {
        // A command from the central system (TriggerMessage to a charger that connected without
        // BootNotification), not a reply: it must be a well-formed CALL.
        const [, id, action, payload] = frame;
        if (frame.length !== 4 || typeof id !== 'string' || typeof action !== 'string' || typeof payload !== 'object' || payload === null) {
          this.malformedCommands.push(raw.slice(0, 200));
        }
        return;
      }
      if (Array.isArray(frame) && typeof frame[1] === 'string') this.answered.set(frame[1], (this.answered.get(frame[1]) ?? 0) + 1);
      this.onFrame(frame, raw, this);
      this.wake();
    });
    this.ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
    await new Promise<void>((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  send(data: string | Buffer, action?: string): void {
    const id = expectedReplyId(data.toString());
    if (id !== null) {
      this.owed.set(id, (this.owed.get(id) ?? 0) + 1);
      if (action) this.actions.set(id, action);
    }
    this.ws.send(data, { binary: Buffer.isBuffer(data) });
  }

  /** Ids still owed a reply (or answered more often than asked). */
  outstanding(): string[] {
    const ids = new Set([...this.owed.keys(), ...this.answered.keys()]);
    return [...ids].filter((id) => (this.owed.get(id) ?? 0) !== (this.answered.get(id) ?? 0));
  }

  async settle(timeoutMs: number): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.outstanding().length > 0 && !this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.outstanding();
  }

  untilClosed(timeoutMs: number): Promise<{ code: number; reason: string } | undefined> {
    const deadline = Date.now() + timeoutMs;
    return (async () => {
      while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      return this.closed;
    })();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

describe(`OCPP endpoint under a seeded fuzzer (seed ${seed})`, () => {
  let h: GatewayHarness;
  const rng = new Prng(seed);
  const badReplies: string[] = [];
  const crashes: unknown[] = [];
  const sent: Record<string, number> = {};
  const replyCodes: Record<string, number> = {};
  const ctx: FrameContext = { idTags: ['FUZZ1', 'FUZZ2', 'UNKNOWNTAG', 'BLOCKED1'], transactionIds: [999_999, 2 ** 31 - 1, 0, -1], now: () => new Date() };
  let victimTransactionId: number;
  const onUnhandled = (reason: unknown) => crashes.push(reason);

  const onFrame = (frame: unknown, raw: string, conn: FuzzConnection) => {
    const problem = replyProblem(frame);
    if (problem) {
      badReplies.push(`${problem}: ${raw.slice(0, 200)}`);
      return;
    }
    const f = frame as unknown[];
    const key = f[0] === 3 ? 'CALLRESULT' : String(f[2]);
    replyCodes[key] = (replyCodes[key] ?? 0) + 1;
    // Transaction ids the gateway issues become targets for later frames.
    const payload = f[2] as { transactionId?: unknown };
    if (f[0] === 3 && conn.actions.get(f[1] as string) === 'StartTransaction' && typeof payload.transactionId === 'number') {
      if (!ctx.transactionIds.includes(payload.transactionId)) ctx.transactionIds.push(payload.transactionId);
    }
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    process.on('uncaughtException', onUnhandled);
    // eslint-disable-next-line no-console
    console.log(`OCPP fuzzer seed ${seed} (replay with FUZZ_SEED=${seed})`);
    h = await createGatewayHarness();
    await h.start({ GATEWAY_MAX_FRAME_BYTES: String(maxFrameBytes) });
    for (const id of ['FZ_A', 'FZ_B', 'CP_VICTIM', 'CP_FRESH']) await h.addCharger(id);
    await h.addIdTag('FUZZ1');
    await h.addIdTag('FUZZ2');
    await h.addIdTag('BLOCKED1', { status: 'Blocked' });
    await h.addIdTag('VICTIM');
    // Another charger with a running transaction: the fuzzed chargers aim at its transaction id.
    const victim = h.chargePoint({ chargePointId: 'CP_VICTIM', meterStartWh: 5000 });
    await victim.connect();
    victimTransactionId = (await victim.startTransaction(1, 'VICTIM')).transactionId;
    victim.setMeterRegister(1, 6000);
    await victim.sendMeterValues(1);
    ctx.transactionIds.push(victimTransactionId);
  });

  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
    await h?.close();
  });

  const count = (category: string) => (sent[category] = (sent[category] ?? 0) + 1);
  let idCounter = 0;
  const freshId = () => `fz-${++idCounter}`;
  const lastIds: string[] = ['fz-0'];

  /** One random frame and its category. */
  function nextFrame(): { data: string | Buffer; category: string; action?: string } {
    const actions = Object.keys(validRequests);
    const category = rng.weighted([
      [1, 'random bytes'],
      [1, 'random string'],
      [3, 'valid request'],
      [6, 'mutated request'],
      [1, 'wrong message type'],
      [1, 'non-string message id'],
      [1, 'malformed structure'],
      [1, 'duplicate message id'],
      [1, 'answer to an unknown id'],
      [1, 'action a charger never sends'],
    ] as const);
    const action = rng.pick(actions);
    const id = freshId();
    lastIds.push(id);
    if (lastIds.length > 20) lastIds.shift();
    switch (category) {
      case 'random bytes':
        return { data: rng.bytes(rng.int(1, 300)), category };
      case 'random string':
        return { data: rng.bool(0.5) ? rng.rawString(rng.int(0, 200)) : rng.pick(hostileStrings), category };
      case 'valid request':
        return { data: JSON.stringify([2, id, action, validRequests[action](rng, ctx)]), category, action };
      case 'mutated request':
        return { data: JSON.stringify([2, id, action, mutatePayload(rng, validRequests[action](rng, ctx), 12_000)]), category, action };
      case 'wrong message type':
        return { data: JSON.stringify([rng.pick([0, 1, 5, -1, 2.5, '2', null, 99, 1e300]), id, action, validRequests[action](rng, ctx)]), category };
      case 'non-string message id':
        return { data: JSON.stringify([2, junkValue(rng), action, validRequests[action](rng, ctx)]), category };
      case 'malformed structure':
        return {
          data: JSON.stringify(rng.pick([[2], [2, id], [2, id, action], [2, id, action, validRequests[action](rng, ctx), 'extra'], [2, id, junkValue(rng), {}], junkValue(rng), {}])),
          category,
        };
      case 'duplicate message id':
        return { data: JSON.stringify([2, rng.pick(lastIds), action, validRequests[action](rng, ctx)]), category, action };
      case 'answer to an unknown id':
        return { data: JSON.stringify(rng.bool() ? [3, `never-sent-${id}`, junkValue(rng)] : [4, `never-sent-${id}`, 'GenericError', 'x', {}]), category };
      default:
        return { data: JSON.stringify([2, id, rng.bool() ? rng.pick(centralSystemActions) : rng.pick(hostileStrings), {}]), category };
    }
  }

  it('answers every CALL with exactly one valid OCPP-J frame, survives oversized frames and a flood, and keeps the data consistent', async () => {
    const conns = [new FuzzConnection(h.gateway.url, 'FZ_A', onFrame), new FuzzConnection(h.gateway.url, 'FZ_B', onFrame)];
    for (const c of conns) await c.open();
    const unanswered: string[] = [];

    for (let b = 0; b < batches; b++) {
      const conn = conns[b % conns.length];
      for (let i = 0; i < framesPerBatch; i++) {
        const frame = nextFrame();
        if (Buffer.byteLength(frame.data) > maxFrameBytes) continue;
        count(frame.category);
        conn.send(frame.data, frame.action);
      }
      const left = await conn.settle(10_000);
      unanswered.push(...left.map((id) => `${conn.stationId} ${id}: sent ${conn.owed.get(id) ?? 0}, answered ${conn.answered.get(id) ?? 0}`));
      expect(conn.closed).toBeUndefined();

      if (b % 10 === 9) {
        // An oversized frame: the connection is closed (1009), the charger reconnects.
        count('oversized frame');
        conn.ws.send(JSON.stringify([2, freshId(), 'DataTransfer', { vendorId: 'x', data: 'Y'.repeat(maxFrameBytes + rng.int(1, 50_000)) }]));
        expect((await conn.untilClosed(5000))?.code).toBe(1009);
        await conn.open();
      }
    }

    // A flood of calls on one connection, nothing awaited in between.
    const flooded = conns[0];
    for (let i = 0; i < floodSize; i++) {
      const action = rng.pick(['Heartbeat', 'StatusNotification', 'Authorize', 'MeterValues'] as const);
      count('flood');
      flooded.send(JSON.stringify([2, freshId(), action, validRequests[action](rng, ctx)]), action);
    }
    unanswered.push(...(await flooded.settle(30_000)));

    // eslint-disable-next-line no-console
    console.log(`OCPP fuzzer seed ${seed}: frames sent ${JSON.stringify(sent)}; replies ${JSON.stringify(replyCodes)}`);
    expect(Object.values(sent).reduce((a, b) => a + b, 0)).toBeGreaterThan(2500);
    expect(badReplies).toEqual([]);
    expect(conns.flatMap((c) => c.malformedCommands)).toEqual([]);
    expect(unanswered).toEqual([]);
    expect(crashes).toEqual([]);
    // The fuzzing got past validation and into the handlers, not only into the error paths.
    expect(replyCodes.CALLRESULT).toBeGreaterThan(500);

    // The gateway is still serving: a fresh charger boots and heartbeats.
    const fresh = h.chargePoint({ chargePointId: 'CP_FRESH' });
    expect(await fresh.connect()).toMatchObject({ status: 'Accepted' });
    expect(await fresh.heartbeat()).toHaveProperty('currentTime');

    // No fuzzed charger touched the victim's transaction.
    const victimTx = await h.db.pool.query('SELECT meter_stop, station_id FROM transactions WHERE id = $1', [victimTransactionId]);
    expect(victimTx.rows).toEqual([{ meter_stop: null, station_id: 'CP_VICTIM' }]);
    const foreign = await h.db.pool.query(`SELECT count(*)::int AS n FROM meter_samples WHERE transaction_id = $1 AND station_id <> 'CP_VICTIM'`, [victimTransactionId]);
    expect(foreign.rows[0].n).toBe(0);
    expect(h.events.of('transactionStopped', (e) => e.transactionId === victimTransactionId)).toEqual([]);
    expect(h.events.of('meterValues', (e) => e.transactionId === victimTransactionId && e.stationId !== 'CP_VICTIM')).toEqual([]);

    expect(await brokenInvariants(h.db.pool)).toEqual({});
  });

  it('answers values the schema allows but PostgreSQL cannot hold with PropertyConstraintViolation, not InternalError', async () => {
    const conn = new FuzzConnection(h.gateway.url, 'FZ_B', () => undefined);
    await conn.open();
    const replies: unknown[][] = [];
    conn.ws.on('message', (d) => replies.push(JSON.parse(d.toString())));
    const calls: [string, string, object][] = [
      ['u1', 'StartTransaction', { connectorId: 2 ** 31, idTag: 'FUZZ1', meterStart: 1, timestamp: new Date().toISOString() }],
      ['u2', 'Authorize', { idTag: 'A\u0000B' }],
      ['u3', 'DataTransfer', { vendorId: 'x', data: 'nul \u0000 byte' }],
      ['u4', 'StopTransaction', { transactionId: 2 ** 40, meterStop: 1, timestamp: new Date().toISOString() }],
      ['u5', 'StatusNotification', { connectorId: -1, status: 'Available', errorCode: 'NoError' }],
    ];
    for (const [id, action, payload] of calls) conn.send(JSON.stringify([2, id, action, payload]));
    expect(await conn.settle(5000)).toEqual([]);
    for (const [id] of calls) {
      const reply = replies.find((r) => r[1] === id)!;
      expect(replyProblem(reply)).toBeNull();
      expect([id, reply[0] === 4 ? reply[2] : 'CALLRESULT']).not.toEqual([id, 'InternalError']);
    }
    expect(await brokenInvariants(h.db.pool)).toEqual({});
    conn.ws.terminate();
  });
});
