/**
 * The activities of a card session's payment saga (src/payments/payment-activities.ts), run on the
 * session worker: each calls the payment provider with the idempotency key of its step and
 * records the outcome in session_payments, so a retried attempt neither moves money twice nor
 * loses what the first did. Types only: workflow code imports them with `import type`.
 */
import type { CardPayment, ReceiptPayment } from './session-messages';

/** The ApplicationFailure type of a capture no retry can help (the hold expired, was cancelled). */
export const paymentNotCapturableFailure = 'PaymentNotCapturable';

/** The session and receipt flag of a payment that failed for good (the operator follows up). */
export const paymentFailedFlag = 'payment_failed';

export type HoldResult = { status: 'authorized'; reference: string; amountMinor: number; payment: ReceiptPayment } | { status: 'declined'; reason: string; payment: ReceiptPayment };

export interface PaymentActivities {
  /** Places the hold (`<sessionId>:hold`); a provider that does not answer fails the attempt (retried within the start's bounded wait). */
  authorizePaymentHold(request: { sessionId: string; driverId: string | null; card: CardPayment; amountMinor: number }): Promise<HoldResult>;
  /** Captures exactly amountMinor of the hold (`<sessionId>:capture`), the rest released; a hold that cannot be captured fails with paymentNotCapturableFailure. */
  capturePayment(request: { sessionId: string; reference: string; amountMinor: number }): Promise<ReceiptPayment>;
  /** Releases the whole hold (`<sessionId>:cancel`). */
  releasePaymentHold(request: { sessionId: string; reference: string }): Promise<ReceiptPayment>;
  /** Flags the payment failed for the operator (the capture failed for good). */
  recordPaymentFailure(request: { sessionId: string; reason: string }): Promise<ReceiptPayment>;
}
