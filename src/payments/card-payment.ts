/** Which card pays a driver's next session, read when the session is created (app start or RFID start). */
import type { Config } from '../config/config';
import type { Pool } from '../db/pool';
import { SessionError } from '../sessions/session-error';
import type { CardPayment } from '../../workflows/session-messages';
import { loadDriverPayment } from './payment-rows';

/**
 * The card a session of this driver is paid with, or undefined when the driver is on account.
 * Decided when the session is created and carried in its input, so a replayed workflow decides the same.
 */
export async function cardPaymentFor(
  pool: Pool,
  config: Pick<Config, 'PAYMENT_PREAUTHORIZATION_AMOUNT' | 'PAYMENT_CURRENCY' | 'PAYMENT_HOLD_TIMEOUT_MS'>,
  driverId: string | null,
  cardPayments: { provider: string } | undefined,
): Promise<CardPayment | undefined> {
  if (driverId === null) return undefined;
  const driver = await loadDriverPayment(pool, driverId);
  if (!driver || driver.mode !== 'card') return undefined;
  if (!cardPayments) throw new SessionError('payment_unavailable', `driver ${driverId} pays by card, and no payment provider is configured`);
  const card = driver.cards[0];
  if (!card || !driver.customerId) throw new SessionError('payment_method_missing', `driver ${driverId} pays by card and has no saved card: add one with POST /v1/me/payment-methods`);
  return {
    provider: cardPayments.provider,
    customerId: driver.customerId,
    paymentMethodId: card.paymentMethodId,
    brand: card.brand,
    last4: card.last4,
    holdAmount: config.PAYMENT_PREAUTHORIZATION_AMOUNT,
    currency: config.PAYMENT_CURRENCY,
    holdTimeoutMs: config.PAYMENT_HOLD_TIMEOUT_MS,
  };
}
