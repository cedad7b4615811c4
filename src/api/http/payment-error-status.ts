/**
 * PaymentError (src/payments/payment-provider.ts) codes → HTTP status, one table the type checker
 * keeps complete; a refusal about a field of the request names it.
 */
import { PaymentError, type PaymentErrorCode } from '../../payments/payment-provider';
import { ApiError } from './api-error';

const statusByCode: Record<PaymentErrorCode, number> = {
  unavailable: 503,
  unknown_payment_method: 422,
  payment_method_declined: 402,
  hold_not_capturable: 409,
  refused: 422,
  invalid_signature: 400,
  refund_above_captured: 422,
  invalid_amount: 422,
  nothing_captured: 409,
};

/** The API's answer to a PaymentError (`field`: the request field it is about); anything else unchanged. */
export function asPaymentApiError(err: unknown, field?: string): unknown {
  if (!(err instanceof PaymentError)) return err;
  const aboutTheField: PaymentErrorCode[] = ['unknown_payment_method', 'payment_method_declined', 'refund_above_captured', 'invalid_amount'];
  const details = field && aboutTheField.includes(err.code) ? [{ field, problem: err.message }] : undefined;
  return new ApiError(statusByCode[err.code], err.code, err.message, details);
}

export function paymentErrorStatus(code: PaymentErrorCode): number {
  return statusByCode[code];
}
