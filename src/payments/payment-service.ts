/**
 * Card payments as the API sees them (PaymentPort in src/api/deps.ts), where the provider is
 * called: a driver's card saved, an operator's refund, a provider's webhook reconciled. The
 * provider is called first; PostgreSQL records what it answered.
 */
import type { Pool } from '../db/pool';
import { inTransaction } from '../db/transaction';
import { Big, currencyMinorUnit, fromMinorUnits, toMinorUnits } from '../billing/money';
import type { ReceiptPayment } from '../../workflows/session-messages';
import { PaymentError, type PaymentProvider } from './payment-provider';
import {
  claimWebhookEvent,
  loadDriverPayment,
  lockPaymentForRefund,
  reconcilePayment,
  recordRefund,
  saveCard,
  storeCustomerId,
  type SavedCard,
} from './payment-rows';

export interface RefundView {
  sequence: number;
  amount: string;
  reference: string;
  payment: ReceiptPayment;
}

export interface WebhookOutcome {
  eventId: string;
  type: string;
  /** false: this event was reconciled before (a replay), nothing changed. */
  applied: boolean;
  sessionId: string | null;
}

export class PaymentService {
  constructor(private readonly deps: { pool: Pool; provider: PaymentProvider }) {}

  /** Attaches a card the driver's app created with the provider's client SDK to the driver's customer (created on the first card). null: no such driver. */
  async savePaymentMethod(driverId: string, paymentMethodId: string): Promise<SavedCard | null> {
    const { provider } = this.deps;
    const driver = await loadDriverPayment(this.deps.pool, driverId);
    if (!driver) return null;
    const customerId = driver.customerId ?? (await storeCustomerId(this.deps.pool, driverId, await provider.createCustomer(driverId)));
    const method = await provider.attachPaymentMethod(customerId, paymentMethodId);
    return saveCard(this.deps.pool, driverId, { paymentMethodId: method.providerId, provider: provider.name, brand: method.brand, last4: method.last4 });
  }

  /**
   * Refunds `amount` (default: all that is left) of what the session's card was charged; never
   * more than captured less refunded. The payment row is locked meanwhile, so two refunds at once
   * are numbered (and keyed at the provider) one after the other. null: the session has no card payment.
   */
  async refund(sessionId: string, amount: string | undefined, reason: string | null): Promise<RefundView | null> {
    return inTransaction(this.deps.pool, async (db) => {
      const locked = await lockPaymentForRefund(db, sessionId);
      if (!locked) return null;
      const { record, nextSequence } = locked;
      if (record.status !== 'captured' || !record.reference || record.capturedMinor === 0) {
        throw new PaymentError('nothing_captured', `session ${sessionId}'s card was not charged (payment ${record.status}): there is nothing to refund`);
      }
      const left = record.capturedMinor - record.refundedMinor;
      if (amount !== undefined && new Big(amount).round(currencyMinorUnit(record.currency), Big.roundDown).cmp(amount) !== 0) {
        throw new PaymentError('invalid_amount', `${record.currency} has ${currencyMinorUnit(record.currency)} decimals: ${amount} cannot be refunded exactly`);
      }
      const amountMinor = amount === undefined ? left : toMinorUnits(amount, record.currency);
      if (amountMinor <= 0 || amountMinor > left) {
        throw new PaymentError(
          'refund_above_captured',
          `at most ${fromMinorUnits(left, record.currency)} ${record.currency} can be refunded (captured ${fromMinorUnits(record.capturedMinor, record.currency)}, refunded ${fromMinorUnits(record.refundedMinor, record.currency)})`,
        );
      }
      const refunded = await this.deps.provider.refund(sessionId, record.reference, amountMinor, nextSequence);
      const after = await recordRefund(db, sessionId, { sequence: nextSequence, amountMinor: refunded.amountMinor, reference: refunded.reference, reason });
      return { sequence: nextSequence, amount: fromMinorUnits(refunded.amountMinor, record.currency), reference: refunded.reference, payment: after.view };
    });
  }

  /** A provider event: its signature verified (PaymentError invalid_signature otherwise), reconciled once into the session's payment. */
  async receiveWebhook(payload: Buffer, signatureHeader: string): Promise<WebhookOutcome> {
    const event = this.deps.provider.verifyWebhook(payload, signatureHeader);
    return inTransaction(this.deps.pool, async (db) => {
      const base = { eventId: event.id, type: event.type, sessionId: event.sessionId };
      if (!(await claimWebhookEvent(db, { id: event.id, type: event.type, sessionId: event.sessionId }))) return { ...base, applied: false };
      if (event.outcome && event.holdReference) {
        const record = await reconcilePayment(db, event.holdReference, event.outcome);
        return { ...base, sessionId: record?.sessionId ?? event.sessionId, applied: true };
      }
      return { ...base, applied: true };
    });
  }
}
