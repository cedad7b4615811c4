/**
 * The payment saga's activities (workflows/payment-activities.ts) on the session worker: the
 * provider call of each step, then its outcome in PostgreSQL. A provider that does not answer
 * throws a plain error, which Temporal retries; a refusal no retry can change is an
 * ApplicationFailure marked non-retryable.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Pool } from '../db/pool';
import type { Logger } from '../logger';
import type { PaymentActivities } from '../../workflows/payment-activities';
import { paymentNotCapturableFailure } from '../../workflows/payment-activities';
import { PaymentError, type PaymentProvider } from './payment-provider';
import { recordCapture, recordHold, recordPaymentFailure, recordRelease } from './payment-rows';

export type { PaymentActivities };

export interface PaymentActivityDeps {
  pool: Pool;
  logger: Logger;
  /** null: no provider configured; a card session's steps then fail for good. */
  provider: PaymentProvider | null;
}

function providerOf(deps: PaymentActivityDeps): PaymentProvider {
  if (!deps.provider) throw ApplicationFailure.nonRetryable('no payment provider is configured (STRIPE_SECRET_KEY)', 'PaymentsNotConfigured');
  return deps.provider;
}

/** Transient: thrown as is (retried). For good: non-retryable, with its own type. */
function rethrow(err: unknown, type: string): never {
  if (err instanceof PaymentError && !err.transient) throw ApplicationFailure.nonRetryable(err.message, type);
  throw err;
}

export function createPaymentActivities(deps: PaymentActivityDeps): PaymentActivities {
  const { pool, logger } = deps;
  return {
    async authorizePaymentHold({ sessionId, driverId, card, amountMinor }) {
      const provider = providerOf(deps);
      const base = { sessionId, driverId, provider: provider.name, currency: card.currency, brand: card.brand, last4: card.last4 };
      let outcome;
      try {
        outcome = await provider.authorizeHold({ sessionId, customerId: card.customerId, paymentMethodId: card.paymentMethodId, amountMinor, currency: card.currency });
      } catch (err) {
        // Refused for good (not a decline: a bad customer or method): the start is refused as a decline would be.
        if (err instanceof PaymentError && !err.transient) outcome = { status: 'declined' as const, code: err.code, reason: err.message };
        else throw err;
      }
      if (outcome.status === 'declined') {
        logger.info({ sessionId, code: outcome.code }, 'card hold declined');
        const record = await recordHold(pool, { ...base, status: 'declined', reason: outcome.reason });
        return { status: 'declined', reason: outcome.reason, payment: record.view };
      }
      const record = await recordHold(pool, { ...base, status: 'authorized', reference: outcome.reference, amountMinor: outcome.amountMinor });
      return { status: 'authorized', reference: record.reference!, amountMinor: record.authorizedMinor, payment: record.view };
    },

    async capturePayment({ sessionId, reference, amountMinor }) {
      try {
        const { capturedMinor } = await providerOf(deps).captureHold(sessionId, reference, amountMinor);
        return (await recordCapture(pool, sessionId, capturedMinor)).view;
      } catch (err) {
        rethrow(err, paymentNotCapturableFailure);
      }
    },

    async releasePaymentHold({ sessionId, reference }) {
      try {
        await providerOf(deps).cancelHold(sessionId, reference);
        return (await recordRelease(pool, sessionId)).view;
      } catch (err) {
        rethrow(err, 'PaymentNotReleasable');
      }
    },

    async recordPaymentFailure({ sessionId, reason }) {
      return (await recordPaymentFailure(pool, sessionId, reason)).view;
    },
  };
}
