/**
 * Card payments as the API sees them (PaymentPort in src/api/deps.ts), where the provider is
 * called: a driver's card saved (the provider first, then PostgreSQL records what it answered).
 */
import type { Pool } from '../db/pool';
import type { PaymentProvider } from './payment-provider';
import { loadDriverPayment, saveCard, storeCustomerId, type SavedCard } from './payment-rows';

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
}
