/** Saved cards and payment modes over the real API, with the Stripe adapter on localstripe. */
import { PaymentService } from '../../src/payments/payment-service';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createCard, startTestStripe, testCards, type TestStripe } from '../support/stripe';
import { startTestApi, type TestApi } from './support/api-harness';

let stripe: TestStripe;
let db: TestDatabase;
let api: TestApi;

beforeAll(async () => {
  stripe = await startTestStripe();
  db = await createTestDatabase();
  api = await startTestApi({ db, payments: new PaymentService({ pool: db.pool, provider: stripe.provider }) });
});
afterAll(async () => {
  await api?.close();
  await db?.drop();
  await stripe?.stop();
});

describe('POST /v1/me/payment-methods', () => {
  it("saves the driver's card (brand, last 4) on their own Stripe customer, listed newest first", async () => {
    const token = await api.createDriver('alice');
    const first = await api.call('POST', '/v1/me/payment-methods', { token, body: { paymentMethodId: await createCard(stripe.sdk) } });
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ provider: 'stripe', brand: 'visa', last4: '4242' });
    const second = await api.call('POST', '/v1/me/payment-methods', { token, body: { paymentMethodId: await createCard(stripe.sdk, '5555555555554444') } });
    expect(second.status).toBe(201);

    const listed = await api.call('GET', '/v1/me/payment-methods', { token });
    expect(listed.status).toBe(200);
    expect(listed.json.paymentMode).toBe('account');
    expect(listed.json.paymentMethods.map((m: { paymentMethodId: string }) => m.paymentMethodId)).toEqual([second.json.paymentMethodId, first.json.paymentMethodId]);
    const { rows } = await db.pool.query('SELECT payment_customer_id FROM drivers WHERE id = $1', ['alice']);
    const attached = await stripe.sdk.paymentMethods.retrieve(first.json.paymentMethodId);
    expect(attached.customer).toBe(rows[0].payment_customer_id);
  });

  it('refuses a payment method that does not exist, naming the field', async () => {
    const token = await api.createDriver('bob');
    const res = await api.call('POST', '/v1/me/payment-methods', { token, body: { paymentMethodId: 'pm_doesNotExist123' } });
    expect(res.status).toBe(422);
    expect(res.json.error).toMatchObject({ code: 'unknown_payment_method', details: [{ field: 'paymentMethodId' }] });
  });

  it("refuses another driver's card", async () => {
    const carolToken = await api.createDriver('carol');
    const carols = await api.call('POST', '/v1/me/payment-methods', { token: carolToken, body: { paymentMethodId: await createCard(stripe.sdk) } });
    const daveToken = await api.createDriver('dave');
    const res = await api.call('POST', '/v1/me/payment-methods', { token: daveToken, body: { paymentMethodId: carols.json.paymentMethodId } });
    expect(res.status).toBe(422);
    expect(res.json.error.details[0].field).toBe('paymentMethodId');
    expect((await api.call('GET', '/v1/me/payment-methods', { token: daveToken })).json.paymentMethods).toEqual([]);
  });

  it('answers a card declined when saved with 402', async () => {
    const token = await api.createDriver('erin');
    const res = await api.call('POST', '/v1/me/payment-methods', { token, body: { paymentMethodId: await createCard(stripe.sdk, testCards.declinedAtAttach) } });
    expect(res.status).toBe(402);
    expect(res.json.error).toMatchObject({ code: 'payment_method_declined', details: [{ field: 'paymentMethodId' }] });
  });

  it('refuses an id that is not a payment method id, and an operator token', async () => {
    const token = await api.createDriver('frank');
    const bad = await api.call('POST', '/v1/me/payment-methods', { token, body: { paymentMethodId: 'tok_visa; DROP TABLE' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json.error.details)).toContain('paymentMethodId');
    expect((await api.call('POST', '/v1/me/payment-methods', { body: { paymentMethodId: 'pm_card_visa' } })).status).toBe(403);
  });
});

describe('PUT /v1/operator/drivers/{id}/payment-mode', () => {
  it('sets a driver to card and back; drivers may not', async () => {
    const token = await api.createDriver('gina');
    const card = await api.call('PUT', '/v1/operator/drivers/gina/payment-mode', { body: { paymentMode: 'card' } });
    expect(card.status).toBe(200);
    expect(card.json).toEqual({ paymentMode: 'card', paymentMethods: [] });
    expect((await api.call('GET', '/v1/me/payment-methods', { token })).json.paymentMode).toBe('card');
    expect((await api.call('PUT', '/v1/operator/drivers/gina/payment-mode', { token, body: { paymentMode: 'account' } })).status).toBe(403);
    expect((await api.call('PUT', '/v1/operator/drivers/gina/payment-mode', { body: { paymentMode: 'account' } })).json.paymentMode).toBe('account');
  });

  it('refuses an unknown mode naming the field, and an unknown driver', async () => {
    const bad = await api.call('PUT', '/v1/operator/drivers/gina/payment-mode', { body: { paymentMode: 'cash' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json.error.details)).toContain('paymentMode');
    expect((await api.call('PUT', '/v1/operator/drivers/nobody/payment-mode', { body: { paymentMode: 'card' } })).status).toBe(404);
  });
});

describe('without a payment provider', () => {
  it('refuses to save a card (409: the network takes none), never 500', async () => {
    const other = await startTestApi({ db });
    try {
      const token = await other.createDriver('hana');
      const res = await other.call('POST', '/v1/me/payment-methods', { token, body: { paymentMethodId: 'pm_card_visa' } });
      expect(res.status).toBe(409);
      expect(res.json.error.code).toBe('payments_not_configured');
    } finally {
      await other.close();
    }
  });
});
