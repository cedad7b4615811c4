/** The Stripe adapter of the payment port, against localstripe: holds, exact captures, releases, refunds, refusals and webhook signatures. */
import { PaymentError } from '../../src/payments/payment-provider';
import { StripePaymentProvider } from '../../src/payments/stripe-provider';
import { freePort } from '../../src/free-port';
import { createCard, startTestStripe, testCards, testWebhookSecret, type TestStripe } from '../support/stripe';

let stripe: TestStripe;
beforeAll(async () => {
  stripe = await startTestStripe();
});
afterAll(() => stripe?.stop());

async function customerWithCard(number: string = testCards.visa) {
  const customerId = await stripe.provider.createCustomer(`driver-${Math.random().toString(36).slice(2)}`);
  const method = await stripe.provider.attachPaymentMethod(customerId, await createCard(stripe.sdk, number));
  return { customerId, method };
}

describe('StripePaymentProvider', () => {
  it('holds the pre-authorization, captures exactly the bill and releases the rest', async () => {
    const { customerId, method } = await customerWithCard();
    expect(method).toMatchObject({ brand: 'visa', last4: '4242' });
    const hold = await stripe.provider.authorizeHold({ sessionId: 'ses_paid', customerId, paymentMethodId: method.providerId, amountMinor: 5000, currency: 'EUR' });
    expect(hold).toMatchObject({ status: 'authorized', amountMinor: 5000 });
    if (hold.status !== 'authorized') throw new Error('no hold');
    const intent = await stripe.sdk.paymentIntents.retrieve(hold.reference);
    expect(intent).toMatchObject({ status: 'requires_capture', capture_method: 'manual', amount: 5000, currency: 'eur', metadata: { session_id: 'ses_paid' } });

    await expect(stripe.provider.captureHold('ses_paid', hold.reference, 63)).resolves.toEqual({ capturedMinor: 63 });
    const after = await stripe.sdk.paymentIntents.retrieve(hold.reference);
    expect(after.status).toBe('succeeded');
    const captured = await stripe.sdk.charges.retrieve(typeof after.latest_charge === 'string' ? after.latest_charge : after.latest_charge!.id);
    expect(captured).toMatchObject({ captured: true, amount: 5000 });
    // The rest of the hold goes back: what was charged is 63 minor units.
    const refunds = await stripe.sdk.refunds.list({ charge: captured.id });
    expect(captured.amount - refunds.data.reduce((sum, r) => sum + r.amount, 0)).toBe(63);
  });

  it('captures once when asked twice (the answer to the first was lost)', async () => {
    const { customerId, method } = await customerWithCard();
    const hold = await stripe.provider.authorizeHold({ sessionId: 'ses_twice', customerId, paymentMethodId: method.providerId, amountMinor: 2000, currency: 'EUR' });
    if (hold.status !== 'authorized') throw new Error('no hold');
    await stripe.provider.captureHold('ses_twice', hold.reference, 150);
    await expect(stripe.provider.captureHold('ses_twice', hold.reference, 150)).resolves.toEqual({ capturedMinor: 150 });
    expect((await stripe.sdk.paymentIntents.retrieve(hold.reference)).status).toBe('succeeded');
  });

  it('cancels a hold, and cancelling again changes nothing', async () => {
    const { customerId, method } = await customerWithCard();
    const hold = await stripe.provider.authorizeHold({ sessionId: 'ses_cancel', customerId, paymentMethodId: method.providerId, amountMinor: 5000, currency: 'EUR' });
    if (hold.status !== 'authorized') throw new Error('no hold');
    await stripe.provider.cancelHold('ses_cancel', hold.reference);
    await stripe.provider.cancelHold('ses_cancel', hold.reference);
    expect((await stripe.sdk.paymentIntents.retrieve(hold.reference)).status).toBe('canceled');
    await expect(stripe.provider.captureHold('ses_cancel', hold.reference, 10)).rejects.toMatchObject({ code: 'hold_not_capturable' });
  });

  it("answers a declined card's hold with the provider's reason", async () => {
    const { customerId, method } = await customerWithCard(testCards.declinesCharges);
    const hold = await stripe.provider.authorizeHold({ sessionId: 'ses_declined', customerId, paymentMethodId: method.providerId, amountMinor: 5000, currency: 'EUR' });
    expect(hold).toEqual({ status: 'declined', code: 'card_declined', reason: 'Your card was declined.' });
  });

  it('refunds part of a capture, never more than was captured', async () => {
    const { customerId, method } = await customerWithCard();
    const hold = await stripe.provider.authorizeHold({ sessionId: 'ses_refund', customerId, paymentMethodId: method.providerId, amountMinor: 5000, currency: 'EUR' });
    if (hold.status !== 'authorized') throw new Error('no hold');
    await stripe.provider.captureHold('ses_refund', hold.reference, 400);
    await expect(stripe.provider.refund('ses_refund', hold.reference, 100, 1)).resolves.toMatchObject({ amountMinor: 100 });
  });

  it("refuses unknown payment methods, another customer's, and cards declined when saved", async () => {
    const { customerId } = await customerWithCard();
    await expect(stripe.provider.attachPaymentMethod(customerId, 'pm_does_not_exist')).rejects.toMatchObject({ code: 'unknown_payment_method' });
    const other = await customerWithCard();
    await expect(stripe.provider.attachPaymentMethod(customerId, other.method.providerId)).rejects.toMatchObject({ code: 'unknown_payment_method' });
    await expect(stripe.provider.attachPaymentMethod(customerId, await createCard(stripe.sdk, testCards.declinedAtAttach))).rejects.toMatchObject({ code: 'payment_method_declined' });
  });

  it('reports an unreachable provider as unavailable (worth retrying)', async () => {
    const down = new StripePaymentProvider({ ...stripe.emulator.connection, port: await freePort(), timeoutMs: 1_000 });
    const err = await down.createCustomer('d1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaymentError);
    expect((err as PaymentError).transient).toBe(true);
  });

  it('verifies webhook signatures and refuses a bad one', () => {
    const payload = JSON.stringify({ id: 'evt_1', object: 'event', type: 'payment_intent.succeeded', data: { object: { object: 'payment_intent', id: 'pi_1', amount: 5000, amount_received: 63, metadata: { session_id: 'ses_1' } } } });
    const header = stripe.sdk.webhooks.generateTestHeaderString({ payload, secret: testWebhookSecret });
    expect(stripe.provider.verifyWebhook(payload, header)).toEqual({ id: 'evt_1', type: 'payment_intent.succeeded', holdReference: 'pi_1', sessionId: 'ses_1', outcome: { kind: 'captured', capturedMinor: 63 } });
    // A partially captured charge shows the released rest as refunded too: only the remainder is a refund of the bill.
    const refunded = JSON.stringify({ id: 'evt_2', object: 'event', type: 'charge.refunded', data: { object: { object: 'charge', id: 'ch_1', payment_intent: 'pi_1', amount: 5000, amount_captured: 63, amount_refunded: 4957 } } });
    expect(stripe.provider.verifyWebhook(refunded, stripe.sdk.webhooks.generateTestHeaderString({ payload: refunded, secret: testWebhookSecret })).outcome).toEqual({ kind: 'refunded', refundedMinor: 20 });
    const forged = stripe.sdk.webhooks.generateTestHeaderString({ payload, secret: 'whsec_someone_else' });
    expect(() => stripe.provider.verifyWebhook(payload, forged)).toThrow(expect.objectContaining({ code: 'invalid_signature' }));
  });
});
