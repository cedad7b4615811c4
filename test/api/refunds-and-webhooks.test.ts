/** Operator refunds and Stripe's webhooks over the real API, with the Stripe adapter on localstripe. */
import { setTimeout as delay } from 'node:timers/promises';
import { PaymentService } from '../../src/payments/payment-service';
import { loadSessionPayment, recordCapture, recordHold, recordPaymentFailure } from '../../src/payments/payment-rows';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createCard, startTestStripe, testWebhookSecret, type TestStripe } from '../support/stripe';
import { startTestApi, type TestApi } from './support/api-harness';

let stripe: TestStripe;
let db: TestDatabase;
let api: TestApi;

beforeAll(async () => {
  stripe = await startTestStripe();
  db = await createTestDatabase();
  api = await startTestApi({ db, payments: new PaymentService({ pool: db.pool, provider: stripe.provider }) });
  await db.pool.query(`INSERT INTO chargers (id) VALUES ('CP_1')`);
});
afterAll(async () => {
  await api?.close();
  await db?.drop();
  await stripe?.stop();
});

let sessions = 0;
/** A finished session whose card was held for `holdMinor` and charged `capturedMinor` (0: still only held). */
async function paidSession(holdMinor: number, capturedMinor: number): Promise<{ sessionId: string; reference: string }> {
  const sessionId = `sess_payment${String(++sessions).padStart(12, '0')}`;
  await db.pool.query(`INSERT INTO sessions (id, station_id, connector_id, origin, status, active) VALUES ($1, 'CP_1', $2, 'app', 'completed', FALSE)`, [sessionId, sessions]);
  const customerId = await stripe.provider.createCustomer(sessionId);
  const card = await stripe.provider.attachPaymentMethod(customerId, await createCard(stripe.sdk));
  const hold = await stripe.provider.authorizeHold({ sessionId, customerId, paymentMethodId: card.providerId, amountMinor: holdMinor, currency: 'EUR' });
  if (hold.status !== 'authorized') throw new Error('no hold');
  await recordHold(db.pool, { sessionId, driverId: null, provider: 'stripe', currency: 'EUR', brand: card.brand, last4: card.last4, status: 'authorized', reference: hold.reference, amountMinor: holdMinor });
  if (capturedMinor > 0) {
    await stripe.provider.captureHold(sessionId, hold.reference, capturedMinor);
    await recordCapture(db.pool, sessionId, capturedMinor);
  }
  return { sessionId, reference: hold.reference };
}

describe('POST /v1/operator/sessions/{id}/refunds', () => {
  it('refunds part, then the rest, and never more than was captured', async () => {
    const { sessionId } = await paidSession(5000, 63);
    const part = await api.call('POST', `/v1/operator/sessions/${sessionId}/refunds`, { body: { amount: '0.20', reason: 'connector fault' } });
    expect(part.status).toBe(201);
    expect(part.json).toMatchObject({ sequence: 1, amount: '0.20', payment: { status: 'captured', captured: '0.63', refunded: '0.20' } });

    const tooMuch = await api.call('POST', `/v1/operator/sessions/${sessionId}/refunds`, { body: { amount: '0.44' } });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.json.error).toMatchObject({ code: 'refund_above_captured', details: [{ field: 'amount' }] });

    const rest = await api.call('POST', `/v1/operator/sessions/${sessionId}/refunds`, {});
    expect(rest.status).toBe(201);
    expect(rest.json).toMatchObject({ sequence: 2, amount: '0.43', payment: { refunded: '0.63' } });
    expect((await api.call('POST', `/v1/operator/sessions/${sessionId}/refunds`, { body: { amount: '0.01' } })).status).toBe(422);

    // What the provider holds agrees: refunds of 20 and 43 minor units besides the released rest of the hold.
    const intent = await stripe.sdk.paymentIntents.retrieve(part.json.payment.reference);
    const chargeId = typeof intent.latest_charge === 'string' ? intent.latest_charge : intent.latest_charge!.id;
    const refunds = (await stripe.sdk.refunds.list({ charge: chargeId })).data.map((r) => r.amount).sort((a, b) => a - b);
    expect(refunds).toEqual([20, 43, 4937]);
  });

  it('refuses a refund of a payment that was never captured, of a session without a card payment, and a drivers call', async () => {
    const { sessionId } = await paidSession(5000, 0);
    const held = await api.call('POST', `/v1/operator/sessions/${sessionId}/refunds`, {});
    expect(held.status).toBe(409);
    expect(held.json.error.code).toBe('nothing_captured');
    expect((await api.call('POST', '/v1/operator/sessions/sess_nosuchsession0000000/refunds', {})).status).toBe(404);
    const token = await api.createDriver('rita');
    expect((await api.call('POST', `/v1/operator/sessions/${sessionId}/refunds`, { token })).status).toBe(403);
  });

  it('refuses an amount with more decimals than the currency has, naming the field', async () => {
    const { sessionId } = await paidSession(5000, 100);
    const res = await api.call('POST', `/v1/operator/sessions/${sessionId}/refunds`, { body: { amount: '0.125' } });
    expect(res.status).toBe(422);
    expect(res.json.error).toMatchObject({ code: 'invalid_amount', details: [{ field: 'amount' }] });
  });
});

describe('GET /v1/operator/payments', () => {
  it('lists the payments that failed for good, for the operator to follow up', async () => {
    const { sessionId } = await paidSession(700, 0);
    await recordPaymentFailure(db.pool, sessionId, 'the hold expired');
    const failed = await api.call('GET', '/v1/operator/payments?status=failed');
    expect(failed.status).toBe(200);
    expect(failed.json.payments).toEqual([{ sessionId, updatedAt: expect.any(String), payment: expect.objectContaining({ status: 'failed', failure_reason: 'the hold expired', authorized: '7.00' }) }]);
    expect((await api.call('GET', '/v1/operator/payments?status=lost')).status).toBe(400);
  });
});

describe('POST /v1/payments/webhook', () => {
  const post = (payload: string, signature?: string) =>
    api.call('POST', '/v1/payments/webhook', { token: null, rawBody: payload, headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) } });

  it("reconciles a capture the provider completed later, as localstripe sends it (signed), into the session's payment", async () => {
    const { sessionId, reference } = await paidSession(500, 0);
    const register = await fetch(`http://127.0.0.1:${stripe.emulator.port}/_config/webhooks/csms`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ url: `${api.url}/v1/payments/webhook`, secret: testWebhookSecret, 'events[]': 'payment_intent.succeeded' }),
    });
    expect(register.status).toBe(200);
    await stripe.sdk.paymentIntents.capture(reference);
    for (let i = 0; i < 100 && (await loadSessionPayment(db.pool, sessionId))?.status !== 'captured'; i++) await delay(100);
    expect((await loadSessionPayment(db.pool, sessionId))?.view).toMatchObject({ status: 'captured', captured: '5.00', released: '0.00' });
  });

  it('applies an event once: a replay changes nothing', async () => {
    const { sessionId, reference } = await paidSession(300, 0);
    const payload = JSON.stringify({ id: 'evt_replayed', object: 'event', type: 'payment_intent.canceled', data: { object: { object: 'payment_intent', id: reference, metadata: { session_id: sessionId } } } });
    const first = await post(payload, stripe.sdk.webhooks.generateTestHeaderString({ payload, secret: testWebhookSecret }));
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ received: true, applied: true, sessionId });
    expect((await loadSessionPayment(db.pool, sessionId))?.status).toBe('released');
    const again = await post(payload, stripe.sdk.webhooks.generateTestHeaderString({ payload, secret: testWebhookSecret }));
    expect(again.json).toMatchObject({ applied: false });
  });

  it('refuses an unsigned event, a forged signature and one signed too long ago', async () => {
    const payload = JSON.stringify({ id: 'evt_forged', object: 'event', type: 'payment_intent.succeeded', data: { object: { object: 'payment_intent', id: 'pi_x', amount: 100 } } });
    const unsigned = await post(payload);
    expect(unsigned.status).toBe(400);
    expect(unsigned.json.error.code).toBe('invalid_signature');
    expect((await post(payload, stripe.sdk.webhooks.generateTestHeaderString({ payload, secret: 'whsec_not_ours' }))).status).toBe(400);
    const old = stripe.sdk.webhooks.generateTestHeaderString({ payload, secret: testWebhookSecret, timestamp: Math.floor(Date.now() / 1000) - 3600 });
    expect((await post(payload, old)).status).toBe(400);
    const { rows } = await db.pool.query(`SELECT 1 FROM payment_webhook_events WHERE event_id = 'evt_forged'`);
    expect(rows).toEqual([]);
  });
});
