/**
 * Card payments: a driver's saved cards (`/v1/me/…`), the operator's choice of how each driver
 * pays and their refunds, and the provider's signed webhooks.
 */
import { z } from 'zod';
import type { ApiDeps, PaymentPort } from '../deps';
import { ApiError, forbidden, notFound } from '../http/api-error';
import { callerOf, endpoint, Endpoint, errorResponse } from '../http/endpoint';
import { asPaymentApiError } from '../http/payment-error-status';
import { driverIdSchema, isoTimeSchema, sessionIdSchema } from '../schemas/common';
import { receiptPaymentSchema } from '../schemas/session-schemas';
import { readRawBody } from '../http/raw-body';
import { driverPayment, listSessionPayments, setPaymentMode } from '../../payments/payment-rows';

/** Read as raw bytes by its route (the signature covers them): app.ts passes it by the JSON body parser. */
export const paymentWebhookPath = '/v1/payments/webhook';
/** Stripe's events are a few kilobytes; this is ample. */
const webhookBodyLimitBytes = 256 * 1024;

const paymentModeSchema = z.enum(['account', 'card']).meta({
  description: '`card`: a hold on the saved card before each session, the exact bill captured after it; `account`: post-paid (fleets, RFID customers)',
});

const paymentMethodSchema = z
  .object({
    paymentMethodId: z.string().meta({ example: 'pm_1Q0PsIJvEtkwdCNYMSaVuRz6' }),
    provider: z.string().meta({ example: 'stripe' }),
    brand: z.string().meta({ example: 'visa' }),
    last4: z.string().meta({ example: '4242' }),
    createdAt: isoTimeSchema,
  })
  .meta({ id: 'PaymentMethod' });

const driverPaymentSchema = z
  .object({ paymentMode: paymentModeSchema, paymentMethods: z.array(paymentMethodSchema).meta({ description: 'Newest first; the first one pays' }) })
  .meta({ id: 'DriverPayment' });

/** The payment port; without one this network takes no cards (a setting, not an outage: 409). */
function paymentsOf(deps: ApiDeps): PaymentPort {
  if (!deps.payments) throw new ApiError(409, 'payments_not_configured', 'this network takes no card payments (no STRIPE_SECRET_KEY is configured)');
  return deps.payments;
}

function driverOf(ctx: Parameters<Endpoint['handle']>[0]): string {
  const caller = callerOf(ctx);
  if (caller.role !== 'driver') throw forbidden("a driver token is required: these are the calling driver's own cards");
  return caller.driverId;
}

export function paymentEndpoints(deps: ApiDeps): Endpoint<any>[] {
  return [
    endpoint({
      operationId: 'addPaymentMethod',
      method: 'post',
      path: '/v1/me/payment-methods',
      tag: 'payments',
      access: 'authenticated',
      summary: 'Save a card the app created with Stripe’s client SDK',
      description:
        'Attaches the payment method (created by the driver’s app with Stripe.js or a mobile SDK, so card numbers never reach this API) to the driver’s Stripe customer, ' +
        'created with the first card. The newest saved card pays the sessions of a driver in payment mode `card`.',
      request: z.object({
        body: z
          .strictObject({
            paymentMethodId: z
              .string()
              .regex(/^pm_[A-Za-z0-9_]{1,200}$/, 'must be a Stripe payment method id (pm_…)')
              .meta({ description: 'The PaymentMethod id the client SDK answered', example: 'pm_1Q0PsIJvEtkwdCNYMSaVuRz6', 'x-constraints': ['a card payment method of this Stripe account, not attached to another customer'] }),
          })
          .meta({ id: 'AddPaymentMethodRequest' }),
      }),
      responses: {
        201: { description: 'Saved', schema: paymentMethodSchema },
        402: errorResponse('The card was declined when saved (`payment_method_declined`; details name paymentMethodId)'),
        403: errorResponse('Only a driver saves cards (their own)'),
        409: errorResponse('This network takes no card payments (`payments_not_configured`: no STRIPE_SECRET_KEY)'),
        422: errorResponse('No such payment method, not a card, or one attached to another customer (`unknown_payment_method`; details name paymentMethodId)'),
        503: errorResponse('The payment provider did not answer (`unavailable`); try again'),
      },
      async handle(ctx, { body }) {
        const driverId = driverOf(ctx);
        const saved = await paymentsOf(deps)
          .savePaymentMethod(driverId, body.paymentMethodId)
          .catch((err: unknown) => {
            throw asPaymentApiError(err, 'paymentMethodId');
          });
        if (!saved) throw notFound(`driver ${driverId}`);
        ctx.status = 201;
        ctx.body = saved;
      },
    }),
    endpoint({
      operationId: 'listPaymentMethods',
      method: 'get',
      path: '/v1/me/payment-methods',
      tag: 'payments',
      access: 'authenticated',
      summary: 'The calling driver’s payment mode and saved cards',
      request: z.object({}),
      responses: { 200: { description: 'Payment mode and cards', schema: driverPaymentSchema }, 403: errorResponse('Only a driver has cards') },
      async handle(ctx) {
        const driverId = driverOf(ctx);
        const view = await driverPayment(deps.pool, driverId);
        if (!view) throw notFound(`driver ${driverId}`);
        ctx.body = view;
      },
    }),
    endpoint({
      operationId: 'setDriverPaymentMode',
      method: 'put',
      path: '/v1/operator/drivers/:id/payment-mode',
      tag: 'operator',
      access: 'operator',
      summary: 'Decide how a driver pays: by card (hold, capture) or on account',
      description: 'Takes effect for the driver’s next session. A `card` driver without a saved card cannot start (409 `payment_method_missing`).',
      request: z.object({ params: z.object({ id: driverIdSchema }), body: z.strictObject({ paymentMode: paymentModeSchema }).meta({ id: 'SetPaymentModeRequest' }) }),
      responses: {
        200: { description: 'The driver’s payment mode and cards', schema: driverPaymentSchema },
        404: errorResponse('Unknown driver'),
      },
      async handle(ctx, { params, body }) {
        if (!(await setPaymentMode(deps.pool, params.id, body.paymentMode))) throw notFound(`driver ${params.id}`);
        ctx.body = await driverPayment(deps.pool, params.id);
      },
    }),
    endpoint({
      operationId: 'listSessionPayments',
      method: 'get',
      path: '/v1/operator/payments',
      tag: 'operator',
      access: 'operator',
      summary: 'Card payments of sessions, newest first (status=failed: the captures to follow up)',
      request: z.object({
        query: z.object({
          status: receiptPaymentSchema.shape.status.optional(),
          limit: z.coerce.number({ error: 'must be a number' }).int().min(1).max(200).default(50),
        }),
      }),
      responses: {
        200: {
          description: 'Payments',
          schema: z.object({ payments: z.array(z.object({ sessionId: z.string(), updatedAt: isoTimeSchema, payment: receiptPaymentSchema })) }).meta({ id: 'SessionPaymentList' }),
        },
      },
      async handle(ctx, { query }) {
        ctx.body = { payments: await listSessionPayments(deps.pool, { status: query.status, limit: query.limit }) };
      },
    }),
    endpoint({
      operationId: 'refundSession',
      method: 'post',
      path: '/v1/operator/sessions/:id/refunds',
      tag: 'operator',
      access: 'operator',
      summary: "Refund a card session's payment, fully or in part",
      description: 'Never more than was captured less what was refunded before; the receipt shows the refunded total.',
      request: z.object({
        params: z.object({ id: sessionIdSchema }),
        body: z
          .strictObject({
            amount: z
              .string()
              .regex(/^\d{1,9}(\.\d{1,3})?$/, 'must be a decimal amount such as 0.20')
              .optional()
              .meta({
                description: "In the session's currency; absent: all that is left",
                example: '0.20',
                'x-constraints': ['above zero, at most what was captured less what was refunded before', "no more decimals than the currency's minor unit"],
              }),
            reason: z.string().max(200).optional(),
          })
          .optional()
          .meta({ id: 'RefundRequest' }),
      }),
      responses: {
        201: {
          description: 'Refunded',
          schema: z.object({ sequence: z.number().int(), amount: z.string(), reference: z.string(), payment: receiptPaymentSchema }).meta({ id: 'Refund' }),
        },
        404: errorResponse('No such session, or it was not paid by card'),
        409: errorResponse('Nothing was captured (`nothing_captured`: declined, released, not yet billed, or the capture failed)'),
        422: errorResponse("More than can be refunded (`refund_above_captured`), or more decimals than the currency has (`invalid_amount`); details name amount"),
        503: errorResponse('The payment provider did not answer; nothing was refunded'),
      },
      async handle(ctx, { params, body }) {
        const amount = body?.amount;
        const refunded = await paymentsOf(deps)
          .refund(params.id, amount, body?.reason ?? null)
          .catch((err: unknown) => {
            throw asPaymentApiError(err, 'amount');
          });
        if (!refunded) throw notFound(`card payment of session ${params.id}`);
        ctx.status = 201;
        ctx.body = refunded;
      },
    }),
    endpoint({
      operationId: 'paymentWebhook',
      method: 'post',
      path: paymentWebhookPath,
      tag: 'payments',
      access: 'public',
      summary: 'Stripe webhook: asynchronous payment outcomes',
      description:
        'Verified with the Stripe-Signature header and STRIPE_WEBHOOK_SECRET (`stripe.webhooks.constructEvent`, which also refuses a signature older than 5 minutes). ' +
        "A capture, release or refund the provider completed later is folded into the session's payment; an event already reconciled is acknowledged and changes nothing.",
      request: z.object({}),
      rawBody: { description: 'The event exactly as Stripe sent it (the signature covers the raw bytes)', contentTypes: ['application/json'] },
      responses: {
        200: {
          description: 'Received (applied: false for an event reconciled before)',
          schema: z.object({ received: z.literal(true), eventId: z.string(), type: z.string(), applied: z.boolean(), sessionId: z.string().nullable() }).meta({ id: 'WebhookReceipt' }),
        },
        400: errorResponse('No Stripe-Signature header, or a signature that does not verify (`invalid_signature`)'),
        409: errorResponse('This network takes no card payments (`payments_not_configured`)'),
        413: errorResponse('The body is larger than 256 KiB'),
      },
      async handle(ctx) {
        const payments = paymentsOf(deps);
        const signature = ctx.get('Stripe-Signature');
        const max = webhookBodyLimitBytes;
        const payload = await readRawBody(ctx.req, max, () => new ApiError(413, 'body_too_large', `request body is larger than ${max} bytes`));
        if (!signature) throw new ApiError(400, 'invalid_signature', 'the Stripe-Signature header is missing', [{ field: 'Stripe-Signature', problem: 'required' }]);
        const outcome = await payments.receiveWebhook(payload, signature).catch((err: unknown) => {
          throw asPaymentApiError(err);
        });
        ctx.body = { received: true, ...outcome };
      },
    }),
  ];
}
