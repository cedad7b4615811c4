/**
 * The payment saga inside the session workflow, on the time-skipping Temporal server, real
 * PostgreSQL and the Stripe adapter on localstripe: a hold before RemoteStart, the exact bill
 * captured and the rest released, and every way a card session can end without a bill.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import Stripe from 'stripe';
import { Worker } from '@temporalio/worker';
import { freePort } from '../../src/free-port';
import { PaymentService } from '../../src/payments/payment-service';
import { startLocalstripe } from '../../src/payments/localstripe';
import { StripePaymentProvider } from '../../src/payments/stripe-provider';
import type { Receipt, SessionState } from '../../workflows/session-messages';
import { workflowBundle } from '../support/temporal';
import { createCard, startTestStripe, testCards, type TestStripe } from '../support/stripe';
import { createSessionWorld, startedEvent, startRequest, stationId, type SessionWorld, type SessionWorldOptions } from './support/session-harness';

let stripe: TestStripe;
let world: SessionWorld;

beforeAll(async () => {
  stripe = await startTestStripe();
});
afterAll(() => stripe?.stop());
afterEach(async () => {
  await world?.close();
  world = undefined as unknown as SessionWorld;
});

async function cardWorld(options: SessionWorldOptions = {}): Promise<SessionWorld> {
  world = await createSessionWorld(undefined, { payments: stripe.provider, ...options });
  return world;
}

/** A driver who pays by card, with `number` saved as their card. */
async function cardDriver(driverId: string, number: string = testCards.visa): Promise<Omit<typeof startRequest, 'driverId'> & { driverId: string }> {
  await world.db.pool.query(`INSERT INTO drivers (id, name, payment_mode) VALUES ($1, $1, 'card')`, [driverId]);
  await new PaymentService({ pool: world.db.pool, provider: stripe.provider }).savePaymentMethod(driverId, await createCard(stripe.sdk, number));
  return { ...startRequest, driverId };
}

async function stateWhere(sessionId: string, ok: (s: SessionState) => boolean): Promise<SessionState> {
  for (let i = 0; i < 200; i++) {
    const state = await world.sessions.getState(sessionId);
    if (state && ok(state)) return state;
    await delay(25);
  }
  throw new Error(`session ${sessionId} never reached the expected state: ${JSON.stringify(await world.sessions.getState(sessionId))}`);
}

function stopConfirmedBy(sessionId: string, meterStopWh: number): void {
  world.gateway.answers.remoteStopTransaction = async (req) => {
    setImmediate(() => void world.events.transactionStopped({ sessionId, stationId, transactionId: req.transactionId, meterStopWh, timestamp: '2026-11-24T10:30:00.000Z', reason: 'Remote' }));
    return { status: 'Accepted' };
  };
}

async function paymentRow(sessionId: string) {
  const { rows } = await world.db.pool.query('SELECT status, reference, authorized_minor::int, captured_minor::int, released_minor::int FROM session_payments WHERE session_id = $1', [sessionId]);
  return rows[0];
}

/** What the card was charged in the end at the provider: the captured charge less what went back. */
async function chargedAtProvider(reference: string): Promise<{ status: string; netMinor: number }> {
  const intent = await stripe.sdk.paymentIntents.retrieve(reference);
  if (intent.status !== 'succeeded') return { status: intent.status, netMinor: 0 };
  const chargeId = typeof intent.latest_charge === 'string' ? intent.latest_charge : intent.latest_charge!.id;
  const charge = await stripe.sdk.charges.retrieve(chargeId);
  const refunds = await stripe.sdk.refunds.list({ charge: chargeId });
  return { status: intent.status, netMinor: charge.amount - refunds.data.reduce((sum, r) => sum + r.amount, 0) };
}

test('the reference session paid by card: a 50.00 EUR hold before RemoteStart, exactly 63 minor units captured for 0.63 EUR, the rest released', async () => {
  await cardWorld();
  const request = await cardDriver('dora');
  let heldWhenStarted: unknown;
  world.gateway.answers.remoteStartTransaction = async (req) => {
    heldWhenStarted = (await world.db.pool.query('SELECT status FROM session_payments')).rows;
    void req;
    return { status: 'Accepted' };
  };
  await world.run(async () => {
    const { sessionId, outcome } = await world.sessions.startSession(request);
    expect(outcome).toEqual({ accepted: true, status: 'awaiting_plug_in' });
    // The hold was in place before the charger was asked to start.
    expect(heldWhenStarted).toEqual([{ status: 'authorized' }]);
    const held = await paymentRow(sessionId);
    expect(held).toMatchObject({ status: 'authorized', authorized_minor: 5000 });
    expect(await stripe.sdk.paymentIntents.retrieve(held.reference)).toMatchObject({ status: 'requires_capture', amount: 5000, capture_method: 'manual' });

    await world.events.transactionStarted(startedEvent(sessionId));
    const live = await stateWhere(sessionId, (s) => s.status === 'charging');
    expect(live.limits.maxCost).toBe('50.00');
    await world.events.meterValues([{ sessionId, stationId, connectorId: 1, transactionId: 41, readings: [{ timestamp: '2026-11-24T10:10:00.000Z', energyWh: '155000' }] }]);
    stopConfirmedBy(sessionId, 156700);
    const result = await world.sessions.stopSession(sessionId, { requestedBy: 'driver' }, 10_000);
    if (!('receipt' in result)) throw new Error(`no receipt: ${JSON.stringify(result)}`);
    const receipt: Receipt = result.receipt;
    expect(receipt).toMatchObject({ status: 'completed', total_cost_exact: '0.63', currency: 'EUR' });
    expect(receipt.payment).toEqual({
      provider: 'stripe',
      status: 'captured',
      method: { brand: 'visa', last4: '4242' },
      reference: held.reference,
      currency: 'EUR',
      authorized: '50.00',
      captured: '0.63',
      released: '49.37',
      refunded: '0.00',
      failure_reason: null,
    });
    expect(await world.sessions.getReceipt(sessionId)).toEqual(receipt);
    expect(await chargedAtProvider(held.reference)).toEqual({ status: 'succeeded', netMinor: 63 });

    // Replaying the history with today's code places no second hold and captures nothing again.
    const history = await world.env.client.workflow.getHandle(sessionId).fetchHistory();
    await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, history, sessionId);
    const { rows } = await world.db.pool.query('SELECT count(*)::int AS n FROM session_payments');
    expect(rows[0].n).toBe(1);
  });
});

test('a declined card: 402-worthy refusal with the provider’s reason, nothing sent to the charger, session failed', async () => {
  await cardWorld();
  const request = await cardDriver('dec', testCards.declinesCharges);
  await world.run(async () => {
    const { sessionId, outcome } = await world.sessions.startSession(request);
    expect(outcome).toEqual({ accepted: false, status: 'failed', refusal: 'payment_declined', reason: 'the card was declined: Your card was declined.' });
    expect(world.gateway.calls.filter((c) => c.command === 'remoteStartTransaction')).toEqual([]);
    const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
    expect(receipt).toMatchObject({ status: 'failed', total_cost_exact: '0.00' });
    expect(receipt.payment).toMatchObject({ status: 'declined', authorized: '0.00', captured: '0.00', reference: null });
    const { rows } = await world.db.pool.query('SELECT status, active FROM sessions WHERE id = $1', [sessionId]);
    expect(rows[0]).toEqual({ status: 'failed', active: false });
  });
});

test('a zero-energy card session captures nothing: the hold is released', async () => {
  await cardWorld();
  const request = await cardDriver('zero');
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession(request);
    await world.events.transactionStarted(startedEvent(sessionId));
    await stateWhere(sessionId, (s) => s.status === 'charging');
    stopConfirmedBy(sessionId, 154200);
    const result = await world.sessions.stopSession(sessionId, { requestedBy: 'driver' }, 10_000);
    if (!('receipt' in result)) throw new Error('no receipt');
    expect(result.receipt).toMatchObject({ total_cost_exact: '0.00' });
    expect(result.receipt.payment).toMatchObject({ status: 'released', captured: '0.00', released: '50.00' });
    expect((await chargedAtProvider(result.receipt.payment!.reference!)).status).toBe('canceled');
  });
});

test('a start the charger rejects releases the hold', async () => {
  await cardWorld();
  const request = await cardDriver('rej');
  world.gateway.answers.remoteStartTransaction = async () => ({ status: 'Rejected' });
  await world.run(async () => {
    const { sessionId, outcome } = await world.sessions.startSession(request);
    expect(outcome).toMatchObject({ accepted: false, reason: 'the charger rejected RemoteStartTransaction' });
    const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
    expect(receipt.payment).toMatchObject({ status: 'released', authorized: '50.00', captured: '0.00', released: '50.00' });
    expect((await stripe.sdk.paymentIntents.retrieve(receipt.payment!.reference!)).status).toBe('canceled');
  });
});

test('the hold is the cost limit: the charger is stopped before the bill passes what was authorized', async () => {
  await cardWorld({ env: { PAYMENT_PREAUTHORIZATION_AMOUNT: '0.50' } });
  const request = await cardDriver('cap');
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession({ ...request, limits: { maxCost: '20' } });
    await world.events.transactionStarted(startedEvent(sessionId));
    expect((await stateWhere(sessionId, (s) => s.status === 'charging')).limits.maxCost).toBe('0.50');
    stopConfirmedBy(sessionId, 156200);
    await world.events.meterValues([{ sessionId, stationId, connectorId: 1, transactionId: 41, readings: [{ timestamp: '2026-11-24T10:20:00.000Z', energyWh: '156200' }] }]);
    const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
    expect(receipt).toMatchObject({ stop_reason: 'cost limit of 0.50 EUR reached', total_cost_exact: '0.50' });
    expect(receipt.payment).toMatchObject({ status: 'captured', authorized: '0.50', captured: '0.50', released: '0.00' });
    expect(world.gateway.calls.filter((c) => c.command === 'remoteStopTransaction')).toHaveLength(1);
  });
});

test('a capture that can never succeed (the hold is gone) flags the payment failed; the receipt is still issued', async () => {
  await cardWorld();
  const request = await cardDriver('gone');
  await world.run(async () => {
    const { sessionId } = await world.sessions.startSession(request);
    await world.events.transactionStarted(startedEvent(sessionId));
    await stateWhere(sessionId, (s) => s.status === 'charging');
    // The authorization lapsed at the provider (holds last about 7 days).
    await stripe.sdk.paymentIntents.cancel((await paymentRow(sessionId)).reference);
    stopConfirmedBy(sessionId, 156700);
    await world.sessions.stopSession(sessionId, { requestedBy: 'driver' }, 10_000);
    const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
    expect(receipt).toMatchObject({ status: 'completed', total_cost_exact: '0.63' });
    expect(receipt.flags).toContain('payment_failed');
    expect(receipt.payment).toMatchObject({ status: 'failed', captured: '0.00' });
    expect(receipt.payment!.failure_reason).toMatch(/can no longer be captured/);
    expect(await world.sessions.getReceipt(sessionId)).toMatchObject({ total_cost_exact: '0.63', payment: { status: 'failed' } });
  });
});

test('the provider down at start: refused after the bounded wait, nothing sent to the charger', async () => {
  const down = new StripePaymentProvider({ ...stripe.emulator.connection, port: await freePort(), timeoutMs: 500 });
  await cardWorld({ payments: down, env: { PAYMENT_HOLD_TIMEOUT_MS: '3000' } });
  const request = await cardDriver('down');
  await world.run(async () => {
    const started = Date.now();
    const { outcome } = await world.sessions.startSession(request);
    expect(outcome).toMatchObject({ accepted: false, refusal: 'payment_unavailable' });
    expect(outcome.reason).toMatch(/did not place the hold/);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(world.gateway.calls.filter((c) => c.command === 'remoteStartTransaction')).toEqual([]);
  });
});

test('a card driver without a saved card cannot start', async () => {
  await cardWorld();
  await world.db.pool.query(`INSERT INTO drivers (id, name, payment_mode) VALUES ('nocard', 'nocard', 'card')`);
  await world.run(async () => {
    await expect(world.sessions.startSession({ ...startRequest, driverId: 'nocard' })).rejects.toMatchObject({ code: 'payment_method_missing' });
    expect(world.gateway.calls).toEqual([]);
  });
});

test('an RFID start of a card driver: the hold is placed when StartTransaction arrives, the bill captured after the stop', async () => {
  await cardWorld();
  await cardDriver('rfid');
  const sessionId = 'sess_rfidcardrfidcardrfid';
  await world.db.pool.query(`INSERT INTO sessions (id, station_id, connector_id, driver_id, id_tag, origin, status, transaction_id) VALUES ($1, $2, 1, 'rfid', 'CARD-9', 'charger', 'charging', 77)`, [sessionId, stationId]);
  await world.run(async () => {
    await world.events.transactionStarted(startedEvent(sessionId, { stationInitiated: true, transactionId: 77, idTag: 'CARD-9', driverId: 'rfid', meterStartWh: 1000 }));
    const live = await stateWhere(sessionId, (s) => s.status === 'charging' && s.limits.maxCost !== undefined);
    expect(live.limits.maxCost).toBe('50.00');
    expect(await paymentRow(sessionId)).toMatchObject({ status: 'authorized', authorized_minor: 5000 });
    await world.events.transactionStopped({ sessionId, stationId, transactionId: 77, meterStopWh: 11000, timestamp: '2026-11-24T11:00:00.000Z', reason: 'EVDisconnected' });
    const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
    expect(receipt).toMatchObject({ status: 'completed', total_cost_exact: '2.50' });
    expect(receipt.payment).toMatchObject({ status: 'captured', captured: '2.50', released: '47.50' });
    expect(await chargedAtProvider(receipt.payment!.reference!)).toEqual({ status: 'succeeded', netMinor: 250 });
  });
});

test('an RFID start of a card driver whose card is declined: stopped at once with RemoteStop and flagged', async () => {
  await cardWorld();
  await cardDriver('rfiddec', testCards.declinesCharges);
  const sessionId = 'sess_rfiddeclinedrfiddecl';
  await world.db.pool.query(`INSERT INTO sessions (id, station_id, connector_id, driver_id, id_tag, origin, status, transaction_id) VALUES ($1, $2, 1, 'rfiddec', 'CARD-8', 'charger', 'charging', 78)`, [sessionId, stationId]);
  stopConfirmedBy(sessionId, 1000);
  await world.run(async () => {
    await world.events.transactionStarted(startedEvent(sessionId, { stationInitiated: true, transactionId: 78, idTag: 'CARD-8', driverId: 'rfiddec', meterStartWh: 1000 }));
    const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
    expect(world.gateway.calls.filter((c) => c.command === 'remoteStopTransaction')).toEqual([{ command: 'remoteStopTransaction', request: { stationId, transactionId: 78 } }]);
    expect(receipt).toMatchObject({ status: 'completed', stop_reason: 'the card was declined: Your card was declined.' });
    expect(receipt.flags).toContain('payment_declined');
    expect(receipt.payment).toMatchObject({ status: 'declined', captured: '0.00' });
  });
});

test('a capture while the provider is down is retried until it answers, then captures once', async () => {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'localstripe-outage-'));
  const stateFile = path.join(stateDir, 'state.pickle');
  let emulator = await startLocalstripe({ stateFile });
  try {
    const provider = new StripePaymentProvider({ ...emulator.connection, timeoutMs: 1_000 });
    await cardWorld({ payments: provider });
    await world.db.pool.query(`INSERT INTO drivers (id, name, payment_mode) VALUES ('outage', 'outage', 'card')`);
    const sdk = new Stripe(emulator.connection.secretKey, { host: '127.0.0.1', port: emulator.port, protocol: 'http' });
    await new PaymentService({ pool: world.db.pool, provider }).savePaymentMethod('outage', await createCard(sdk));
    await world.run(async () => {
      const { sessionId } = await world.sessions.startSession({ ...startRequest, driverId: 'outage' });
      await world.events.transactionStarted(startedEvent(sessionId));
      await stateWhere(sessionId, (s) => s.status === 'charging');
      await emulator.stop();
      stopConfirmedBy(sessionId, 156700);
      await world.sessions.stopSession(sessionId, { requestedBy: 'driver' }, 3_000);
      await delay(3_000);
      // The receipt is issued; the money waits for the provider.
      expect(await world.sessions.getReceipt(sessionId)).toMatchObject({ total_cost_exact: '0.63', payment: { status: 'authorized' } });
      emulator = await startLocalstripe({ stateFile, port: emulator.port });
      const receipt: Receipt = await world.env.client.workflow.getHandle(sessionId).result();
      expect(receipt.payment).toMatchObject({ status: 'captured', captured: '0.63' });
      const intent = await sdk.paymentIntents.retrieve(receipt.payment!.reference!);
      expect(intent.status).toBe('succeeded');
    });
  } finally {
    await emulator.stop();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
});
