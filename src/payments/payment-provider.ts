/**
 * What the charging network needs of a card payment provider, in its own words: a customer per
 * driver with a saved payment method, a hold placed before charging, the exact bill captured (or
 * the hold cancelled), refunds, and signed notifications. Amounts are integer minor units
 * (src/billing toMinorUnits); every call that moves money carries an idempotency key derived from
 * the session and the step (paymentIdempotencyKey), so a retried call never moves it twice.
 * Stripe implements it (stripe-provider.ts); another provider would implement the same port.
 */

/** A card as the driver sees it, and the provider's id for it. */
export interface SavedPaymentMethod {
  providerId: string;
  brand: string;
  last4: string;
}

export interface HoldRequest {
  sessionId: string;
  customerId: string;
  paymentMethodId: string;
  amountMinor: number;
  /** ISO 4217, upper case. */
  currency: string;
}

/** The hold is in place (the provider's reference captures or cancels it), or the card was declined (the reason, as the provider words it). */
export type HoldOutcome = { status: 'authorized'; reference: string; amountMinor: number } | { status: 'declined'; code: string; reason: string };

export interface CaptureOutcome {
  /** What the provider now holds as captured, minor units: equal to the request once done. */
  capturedMinor: number;
}

export interface RefundOutcome {
  reference: string;
  amountMinor: number;
}

/** A provider notification whose signature was verified. */
export interface PaymentEvent {
  id: string;
  type: string;
  /** The payment (hold) it is about, when it is about one. */
  holdReference: string | null;
  /** The session the hold was placed for (from its metadata), when known. */
  sessionId: string | null;
  /** What it says happened to the payment, in the port's words; null: nothing the sessions track. */
  outcome: { kind: 'captured'; capturedMinor: number } | { kind: 'released' } | { kind: 'refunded'; refundedMinor: number } | null;
}

export interface PaymentProvider {
  readonly name: string;
  /** A provider customer for the driver (one per driver; the caller stores it). */
  createCustomer(driverId: string): Promise<string>;
  /** Attaches a payment method the driver's app created with the provider's client SDK to the driver's customer. */
  attachPaymentMethod(customerId: string, paymentMethodId: string): Promise<SavedPaymentMethod>;
  /** Places a hold of amountMinor on the card (manual capture, off session, confirmed at once). */
  authorizeHold(request: HoldRequest): Promise<HoldOutcome>;
  /** Captures exactly amountMinor of the hold and releases the rest. */
  captureHold(sessionId: string, reference: string, amountMinor: number): Promise<CaptureOutcome>;
  /** Releases the whole hold (nothing is charged). */
  cancelHold(sessionId: string, reference: string): Promise<void>;
  /** Refunds amountMinor of what was captured; `sequence` numbers the session's refunds (1, 2, …) for the idempotency key. */
  refund(sessionId: string, reference: string, amountMinor: number, sequence: number): Promise<RefundOutcome>;
  /** The event in a webhook body, if its signature header is right; throws PaymentError('invalid_signature') otherwise. */
  verifyWebhook(payload: string | Buffer, signatureHeader: string): PaymentEvent;
}

export type PaymentErrorCode =
  /** The provider did not answer, or answered that it is unavailable: try again later. */
  | 'unavailable'
  /** No such payment method, or one that belongs to another customer (or account). */
  | 'unknown_payment_method'
  /** The card was refused when attached (declined at attach time). */
  | 'payment_method_declined'
  /** The hold can no longer be captured or cancelled (expired, already cancelled): no retry helps. */
  | 'hold_not_capturable'
  /** Anything else the provider refused for good. */
  | 'refused'
  | 'invalid_signature'
  /** A refund above what was captured and not yet refunded. */
  | 'refund_above_captured'
  /** An amount with more decimals than its currency's minor unit. */
  | 'invalid_amount'
  /** A refund of a session whose payment was not captured (nothing was taken). */
  | 'nothing_captured';

export class PaymentError extends Error {
  override readonly name = 'PaymentError';
  constructor(
    readonly code: PaymentErrorCode,
    message: string,
  ) {
    super(message);
  }
  /** Worth retrying: the provider may answer differently later. */
  get transient(): boolean {
    return this.code === 'unavailable';
  }
}

/** The idempotency key of one money-moving step of a session: `<sessionId>:hold`, `:capture`, `:cancel`, `:refund:<n>`. */
export function paymentIdempotencyKey(sessionId: string, step: 'hold' | 'capture' | 'cancel' | { refund: number }): string {
  return `${sessionId}:${typeof step === 'string' ? step : `refund:${step.refund}`}`;
}
