/**
 * localstripe for a test file: started on a free port before its tests, stopped (its process
 * group) after them; `env` points the typed configuration at it, as STRIPE_* variables would.
 */
import Stripe from 'stripe';
import { startLocalstripe, type LocalstripeHandle } from '../../src/payments/localstripe';
import { StripePaymentProvider } from '../../src/payments/stripe-provider';

export const testWebhookSecret = 'whsec_test_secret_for_payments';

export interface TestStripe {
  emulator: LocalstripeHandle;
  /** STRIPE_* configuration pointing at the emulator. */
  env: Record<string, string>;
  provider: StripePaymentProvider;
  /** The SDK on the emulator, for what the driver's app (or a test's assertions) would do. */
  sdk: Stripe;
  stop(): Promise<void>;
}

export async function startTestStripe(): Promise<TestStripe> {
  const emulator = await startLocalstripe();
  const { secretKey, host, port, protocol } = emulator.connection;
  const env = { STRIPE_SECRET_KEY: secretKey, STRIPE_API_HOST: host, STRIPE_API_PORT: String(port), STRIPE_API_PROTOCOL: protocol, STRIPE_WEBHOOK_SECRET: testWebhookSecret };
  return {
    emulator,
    env,
    provider: new StripePaymentProvider({ ...emulator.connection, webhookSecret: testWebhookSecret }),
    sdk: new Stripe(secretKey, { host, port, protocol, telemetry: false }),
    stop: () => emulator.stop(),
  };
}

/** A card payment method as the driver's app would create it with Stripe's client SDK (a test card number). */
export async function createCard(sdk: Stripe, number = '4242424242424242'): Promise<string> {
  const method = await sdk.paymentMethods.create({ type: 'card', card: { number, exp_month: 12, exp_year: 2030, cvc: '123' } } as Stripe.PaymentMethodCreateParams);
  return method.id;
}

/** Stripe's test cards as the emulator knows them. */
export const testCards = {
  visa: '4242424242424242',
  /** Attaches, then declines every charge (the hold). */
  declinesCharges: '4000000000000341',
  /** Declined when attached. */
  declinedAtAttach: '4000000000000002',
} as const;
