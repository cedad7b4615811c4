/**
 * The payment port on Stripe, through the official SDK: a PaymentIntent with
 * capture_method=manual, confirmed off session at once, is the hold; capture with
 * amount_to_capture takes the exact bill and releases the rest. Where the API is (Stripe, or the
 * localstripe emulator) is configuration only: host, port and protocol.
 */
import Stripe from 'stripe';
import {
  PaymentError,
  paymentIdempotencyKey,
  type CaptureOutcome,
  type HoldOutcome,
  type HoldRequest,
  type PaymentEvent,
  type PaymentProvider,
  type RefundOutcome,
  type SavedPaymentMethod,
} from './payment-provider';

export interface StripeConnection {
  secretKey: string;
  /** Default: Stripe's own API. */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  webhookSecret?: string;
  /** Per request; the SDK's own retries (with the same idempotency key) are on top. */
  timeoutMs?: number;
}

/** The settings of the typed configuration, or null without a key (no card payments). */
export function stripeConnectionOf(config: {
  STRIPE_SECRET_KEY?: string;
  STRIPE_API_HOST?: string;
  STRIPE_API_PORT?: number;
  STRIPE_API_PROTOCOL?: 'http' | 'https';
  STRIPE_WEBHOOK_SECRET?: string;
}): StripeConnection | null {
  if (!config.STRIPE_SECRET_KEY) return null;
  return {
    secretKey: config.STRIPE_SECRET_KEY,
    host: config.STRIPE_API_HOST,
    port: config.STRIPE_API_PORT,
    protocol: config.STRIPE_API_PROTOCOL,
    webhookSecret: config.STRIPE_WEBHOOK_SECRET,
  };
}

/**
 * What a Stripe event says happened to a hold. A partial capture shows the released rest as
 * refunded on the charge (amount − amount_captured); only the remainder is a refund of the bill.
 */
function outcomeOf(type: string, o: { amount?: number; amount_received?: number; amount_captured?: number; amount_refunded?: number }): PaymentEvent['outcome'] {
  // localstripe's PaymentIntent has no amount_received: its events count as captured in full.
  const captured = o.amount_received ?? o.amount;
  if (type === 'payment_intent.succeeded' && captured !== undefined) return { kind: 'captured', capturedMinor: captured };
  if (type === 'payment_intent.canceled') return { kind: 'released' };
  if (type === 'charge.refunded' && o.amount !== undefined && o.amount_refunded !== undefined) {
    const released = o.amount - (o.amount_captured ?? o.amount);
    return { kind: 'refunded', refundedMinor: Math.max(0, o.amount_refunded - released) };
  }
  return null;
}

/** Whether an SDK error means "try again later" (no answer, rate limited, Stripe's own fault). */
function isTransient(err: unknown): boolean {
  if (!(err instanceof Stripe.errors.StripeError)) return false;
  if (err instanceof Stripe.errors.StripeConnectionError || err instanceof Stripe.errors.StripeRateLimitError || err instanceof Stripe.errors.StripeAPIError) return true;
  return err.statusCode === undefined || err.statusCode >= 500 || err.statusCode === 409 || err.statusCode === 429;
}

function asPaymentError(err: unknown, what: string): PaymentError {
  if (err instanceof PaymentError) return err;
  if (isTransient(err)) return new PaymentError('unavailable', `the payment provider did not answer ${what}: ${(err as Error).message}`);
  return new PaymentError('refused', `the payment provider refused ${what}: ${(err as Error).message}`);
}

export class StripePaymentProvider implements PaymentProvider {
  readonly name = 'stripe';
  private readonly stripe: Stripe;

  constructor(private readonly connection: StripeConnection) {
    this.stripe = new Stripe(connection.secretKey, {
      ...(connection.host ? { host: connection.host } : {}),
      ...(connection.port ? { port: connection.port } : {}),
      ...(connection.protocol ? { protocol: connection.protocol } : {}),
      timeout: connection.timeoutMs ?? 10_000,
      // Retries send the same idempotency key: safe for every call that moves money.
      maxNetworkRetries: 1,
      telemetry: false,
    });
  }

  async createCustomer(driverId: string): Promise<string> {
    try {
      const customer = await this.stripe.customers.create({ metadata: { driver_id: driverId } }, { idempotencyKey: `driver:${driverId}:customer` });
      return customer.id;
    } catch (err) {
      throw asPaymentError(err, 'creating the customer');
    }
  }

  async attachPaymentMethod(customerId: string, paymentMethodId: string): Promise<SavedPaymentMethod> {
    let method: Stripe.PaymentMethod;
    try {
      method = await this.stripe.paymentMethods.retrieve(paymentMethodId);
    } catch (err) {
      if (err instanceof Stripe.errors.StripeError && (err.statusCode === 404 || err.code === 'resource_missing')) {
        throw new PaymentError('unknown_payment_method', `payment method ${paymentMethodId} does not exist`);
      }
      throw asPaymentError(err, 'reading the payment method');
    }
    // Another customer's card is not the driver's to save (Stripe would refuse it too; the emulator would not).
    const owner = typeof method.customer === 'string' ? method.customer : (method.customer?.id ?? null);
    if (owner !== null && owner !== customerId) throw new PaymentError('unknown_payment_method', `payment method ${paymentMethodId} belongs to another customer`);
    if (method.type !== 'card' || !method.card) throw new PaymentError('unknown_payment_method', `payment method ${paymentMethodId} is not a card`);
    if (owner === null) {
      try {
        method = await this.stripe.paymentMethods.attach(method.id, { customer: customerId });
      } catch (err) {
        if (err instanceof Stripe.errors.StripeError && err.statusCode === 402) {
          throw new PaymentError('payment_method_declined', `the card was declined: ${err.message}`);
        }
        throw asPaymentError(err, 'attaching the payment method');
      }
    }
    return { providerId: method.id, brand: method.card!.brand, last4: method.card!.last4 };
  }

  async authorizeHold(request: HoldRequest): Promise<HoldOutcome> {
    try {
      const intent = await this.stripe.paymentIntents.create(
        {
          amount: request.amountMinor,
          currency: request.currency.toLowerCase(),
          customer: request.customerId,
          payment_method: request.paymentMethodId,
          capture_method: 'manual',
          confirm: true,
          off_session: true,
          metadata: { session_id: request.sessionId },
        },
        { idempotencyKey: paymentIdempotencyKey(request.sessionId, 'hold') },
      );
      if (intent.status !== 'requires_capture') {
        // Off session there is nobody to authenticate: a card that asks for it is as good as declined.
        await this.stripe.paymentIntents.cancel(intent.id, {}, { idempotencyKey: paymentIdempotencyKey(request.sessionId, 'cancel') }).catch(() => undefined);
        return { status: 'declined', code: intent.status, reason: `the card could not be authorized off session (payment status ${intent.status})` };
      }
      return { status: 'authorized', reference: intent.id, amountMinor: intent.amount };
    } catch (err) {
      if (err instanceof Stripe.errors.StripeError && err.statusCode === 402) {
        return { status: 'declined', code: err.decline_code || err.code || 'card_declined', reason: err.message };
      }
      throw asPaymentError(err, 'the hold');
    }
  }

  async captureHold(sessionId: string, reference: string, amountMinor: number): Promise<CaptureOutcome> {
    try {
      // Read first: a capture whose answer was lost (the worker died) has happened; asking again would be refused.
      const intent = await this.stripe.paymentIntents.retrieve(reference);
      if (intent.status === 'succeeded') return { capturedMinor: intent.amount_received ?? amountMinor };
      if (intent.status !== 'requires_capture') throw new PaymentError('hold_not_capturable', `the hold ${reference} can no longer be captured (payment status ${intent.status})`);
      const captured = await this.stripe.paymentIntents.capture(reference, { amount_to_capture: amountMinor }, { idempotencyKey: paymentIdempotencyKey(sessionId, 'capture') });
      return { capturedMinor: captured.amount_received ?? amountMinor };
    } catch (err) {
      throw asPaymentError(err, `the capture of ${reference}`);
    }
  }

  async cancelHold(sessionId: string, reference: string): Promise<void> {
    try {
      const intent = await this.stripe.paymentIntents.retrieve(reference);
      if (intent.status === 'canceled') return;
      if (intent.status === 'succeeded') throw new PaymentError('hold_not_capturable', `the hold ${reference} was captured already`);
      await this.stripe.paymentIntents.cancel(reference, {}, { idempotencyKey: paymentIdempotencyKey(sessionId, 'cancel') });
    } catch (err) {
      throw asPaymentError(err, `the release of ${reference}`);
    }
  }

  async refund(sessionId: string, reference: string, amountMinor: number, sequence: number): Promise<RefundOutcome> {
    try {
      const refund = await this.stripe.refunds.create(
        { payment_intent: reference, amount: amountMinor, metadata: { session_id: sessionId, sequence: String(sequence) } },
        { idempotencyKey: paymentIdempotencyKey(sessionId, { refund: sequence }) },
      );
      return { reference: refund.id, amountMinor: refund.amount };
    } catch (err) {
      throw asPaymentError(err, `the refund on ${reference}`);
    }
  }

  verifyWebhook(payload: string | Buffer, signatureHeader: string): PaymentEvent {
    if (!this.connection.webhookSecret) throw new PaymentError('invalid_signature', 'no webhook secret is configured (STRIPE_WEBHOOK_SECRET): webhooks are refused');
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(payload, signatureHeader, this.connection.webhookSecret);
    } catch (err) {
      throw new PaymentError('invalid_signature', `the signature does not verify: ${(err as Error).message}`);
    }
    const object = event.data.object as {
      object?: string;
      id?: string;
      payment_intent?: string | { id: string } | null;
      metadata?: Record<string, string>;
      amount?: number;
      amount_received?: number;
      amount_captured?: number;
      amount_refunded?: number;
    };
    const holdReference =
      object.object === 'payment_intent' ? (object.id ?? null) : typeof object.payment_intent === 'string' ? object.payment_intent : (object.payment_intent?.id ?? null);
    return { id: event.id, type: event.type, holdReference, sessionId: object.metadata?.session_id ?? null, outcome: outcomeOf(event.type, object) };
  }
}
