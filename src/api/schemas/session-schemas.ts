/** Session, receipt and session-list shapes the API answers with, and the start request. */
import { z } from 'zod';
import type { Receipt, SessionState } from '../../../workflows/session-messages';
import { connectorIdSchema, decimalStringSchema, driverIdSchema, idTagSchema, isoTimeSchema, sessionIdSchema, stationIdSchema } from './common';

export const sessionStatusSchema = z.enum(['starting', 'awaiting_plug_in', 'charging', 'stopping', 'billing', 'completed', 'failed', 'interrupted']);

/**
 * The driver's power ceiling: sent to the charger as a TxProfile (OCPP 1.6 smart charging). At
 * least 1.4 kW, the least an AC charger charges with (6 A on one phase at 230 V); whole watts.
 */
export const maxPowerKwSchema = z
  .string()
  .regex(/^\d{1,4}(\.\d{1,3})?$/, 'must be a decimal string of kW with up to 3 decimal places, e.g. "7.4"')
  .refine((s) => Number(s) >= 1.4 && Number(s) <= 1000, 'must be between 1.4 and 1000 kW')
  .meta({
    description:
      "The most power the driver wants, kW. Sent as a TxProfile (in RemoteStartTransaction, or SetChargingProfile right after the start), in W, or in A per phase with the station's wiring when it takes only amps; the live state's powerLimit shows what was sent and whether the station took it.",
    example: '7.4',
    'x-constraints': ['between 1.4 and 1000 kW (400 otherwise)', 'the station must support SmartCharging as last read (409 feature_profile_not_supported otherwise)'],
  });

export const sessionPowerLimitSchema = z
  .object({
    requestedKw: z.string().meta({ example: '7.4' }),
    status: z.enum(['pending', 'applied', 'rejected', 'not_supported', 'invalid', 'failed']).meta({
      description: 'pending until the transaction runs; applied: in force on the charger; anything else: the session charges without the limit (flag power_limit_not_applied)',
    }),
    via: z.enum(['RemoteStartTransaction', 'SetChargingProfile']).nullable().meta({ description: "RemoteStartTransaction's chargingProfile, or SetChargingProfile after StartTransaction" }),
    chargingRateUnit: z.enum(['W', 'A']).nullable().meta({ description: 'The unit actually sent (A: per phase, for a charger that takes only amps)' }),
    limit: z.number().nullable().meta({ description: 'The limit as sent, in chargingRateUnit', example: 7400 }),
    numberPhases: z.number().int().nullable().meta({ description: '1: a limit too low for three phases (below 6 A on each) is charged on one phase; null: every phase the station has' }),
    chargingProfileId: z.number().int().nullable(),
    detail: z.string().nullable(),
  })
  .meta({ id: 'SessionPowerLimit', description: "The driver's maxPowerKw as sent to the charger (a TxProfile)" });

export const sessionLimitsSchema = z
  .strictObject({
    maxDurationMinutes: z.number().int('must be a whole number').min(1).max(7 * 24 * 60, 'must be at most a week').optional(),
    maxEnergyKwh: decimalStringSchema.optional(),
    maxCost: decimalStringSchema.optional(),
    maxPowerKw: maxPowerKwSchema.optional(),
  })
  .meta({ id: 'SessionLimits', description: 'Energy, cost and duration: the session stops by itself when one is reached. maxPowerKw: a ceiling on power for the whole session' });

export const startSessionBodySchema = z
  .strictObject({
    stationId: stationIdSchema,
    connectorId: connectorIdSchema,
    limits: sessionLimitsSchema.optional(),
    idTag: idTagSchema
      .optional()
      .meta({
        description: 'Which id tag to start with: a driver may name one of their own (default: their first)',
        'x-constraints': ['required when the caller is an operator (400 otherwise)'],
      }),
  })
  .meta({ id: 'StartSessionRequest' });

export const startedSessionSchema = z
  .object({ sessionId: sessionIdSchema, status: sessionStatusSchema })
  .meta({ id: 'StartedSession' });

export const sessionStateSchema = z
  .object({
    sessionId: sessionIdSchema,
    status: sessionStatusSchema,
    stationId: stationIdSchema,
    connectorId: z.number().int(),
    driverId: driverIdSchema.nullable(),
    origin: z.enum(['app', 'charger']),
    transactionId: z.number().int().nullable(),
    stationTransactionId: z.string().optional().meta({ description: 'OCPP 2.0.1: the id the station gave the transaction (transactionId is ours); absent for OCPP 1.6', example: '6f1c0a4e-1b2d-4c8e-9a57-0e3b2f7d9c11' }),
    meterStartWh: z.number().nullable(),
    energyKwh: decimalStringSchema.meta({ description: 'Energy so far (kWh), exact' }),
    costSoFar: decimalStringSchema.meta({ description: 'Cost so far, exact, in currency' }),
    currency: z.string(),
    ratePerKwh: decimalStringSchema,
    socPercent: z.number().nullable(),
    powerW: z.number().nullable(),
    startTime: isoTimeSchema.nullable(),
    lastReadingAt: isoTimeSchema.nullable().meta({ description: 'Time of the last meter reading' }),
    endTime: isoTimeSchema.nullable(),
    chargerOnline: z.boolean(),
    socReporting: z.object({ status: z.string(), detail: z.string().optional() }),
    limits: z.object({ maxDurationMinutes: z.number().optional(), maxEnergyKwh: z.string().optional(), maxCost: z.string().optional(), maxPowerKw: z.string().optional() }),
    powerLimit: sessionPowerLimitSchema.nullable().meta({ description: "The driver's power limit as sent; null without limits.maxPowerKw" }),
    stopReason: z.string().nullable(),
    failureReason: z.string().nullable(),
    flags: z.array(z.string()).meta({ description: 'Odd cases recorded for review (meter_went_backwards, clock_skew, interrupted, id_tag_revoked: the charger started with a tag revoked meanwhile, authorized locally, billed and flagged, …)' }),
  })
  .meta({ id: 'SessionState', description: 'Live state of a session' });
export type SessionView = z.infer<typeof sessionStateSchema>;

/** `stationTransactionId`: the station's own id of the transaction (OCPP 2.0.1; src/api/stores/session-store.ts). */
export function sessionView(state: SessionState, stationTransactionId: string | null = null): SessionView {
  return {
    sessionId: state.sessionId,
    status: state.status,
    stationId: state.stationId,
    connectorId: state.connectorId,
    driverId: state.driverId,
    origin: state.origin,
    transactionId: state.transactionId,
    ...(stationTransactionId === null ? {} : { stationTransactionId }),
    meterStartWh: state.meterStartWh,
    energyKwh: state.energyKwh,
    costSoFar: state.costSoFar,
    currency: state.currency,
    ratePerKwh: state.ratePerKwh,
    socPercent: state.socPercent,
    powerW: state.powerW,
    startTime: state.startTime,
    lastReadingAt: state.lastReadingAt,
    endTime: state.endTime,
    chargerOnline: state.chargerOnline,
    socReporting: state.socReporting,
    limits: state.limits,
    powerLimit: state.powerLimit ?? null,
    stopReason: state.stopReason,
    failureReason: state.failureReason,
    flags: state.flags,
  };
}

export const receiptPaymentSchema = z
  .object({
    provider: z.string().meta({ example: 'stripe' }),
    status: z.enum(['declined', 'authorized', 'captured', 'released', 'failed']).meta({
      description: 'declined: no hold was placed; authorized: held; captured: the bill taken and the rest released; released: nothing taken; failed: the capture failed for good (the operator follows up)',
    }),
    method: z.object({ brand: z.string().nullable().meta({ example: 'visa' }), last4: z.string().nullable().meta({ example: '4242' }) }),
    reference: z.string().nullable().meta({ description: "The provider's id of the hold (a Stripe PaymentIntent)" }),
    currency: z.string(),
    authorized: z.string().meta({ example: '50.00' }),
    captured: z.string().meta({ example: '0.63' }),
    released: z.string().meta({ example: '49.37' }),
    refunded: z.string().meta({ example: '0.00' }),
    failure_reason: z.string().nullable(),
  })
  .meta({ id: 'ReceiptPayment', description: "A card driver's payment (absent for drivers on account); amounts are exact decimal strings in `currency`" });

export const receiptSchema = z
  .object({
    session_id: z.string(),
    transaction_id: z.number().int().nullable(),
    station_transaction_id: z.string().optional().meta({ description: 'OCPP 2.0.1: the id the station gave the transaction (transaction_id is ours); absent for OCPP 1.6' }),
    station_id: z.string(),
    connector_id: z.number().int(),
    driver_id: z.string().nullable(),
    status: z.enum(['completed', 'failed', 'interrupted']),
    stop_reason: z.string().nullable(),
    currency: z.string(),
    meter_start: z.number().nullable().meta({ description: 'Wh' }),
    meter_stop: z.number().nullable().meta({ description: 'Wh' }),
    energy_kwh: z.number().meta({ example: 2.5 }),
    rate_per_kwh: z.number().meta({ example: 0.25 }),
    total_cost: z.number().meta({ example: 0.63 }),
    energy_kwh_exact: z.string().meta({ example: '2.5' }),
    rate_per_kwh_exact: z.string().meta({ example: '0.25' }),
    total_cost_exact: z.string().meta({ example: '0.63' }),
    soc: z.number().nullable().meta({ example: 74 }),
    start_time: isoTimeSchema.nullable(),
    end_time: isoTimeSchema.nullable(),
    flags: z.array(z.string()).meta({ description: 'Odd cases recorded for review (meter_went_backwards, clock_skew, interrupted, id_tag_revoked: the charger authorized the charge locally with a tag revoked meanwhile; billed as delivered, …)' }),
    tariff_id: z.string().nullable(),
    tariff_version: z.number().int().nullable(),
    line_items: z
      .array(
        z.object({
          component: z.string().meta({ example: 'energy' }),
          description: z.string(),
          quantity: z.string(),
          unit: z.string(),
          unit_price: z.string(),
          amount: z.string(),
        }),
      )
      .meta({ description: 'One line per price component; lines sum to subtotal_exact (net prices) or to total_cost_exact (prices including tax); subtotal_exact + tax_exact = total_cost_exact' }),
    subtotal_exact: z.string(),
    tax_exact: z.string(),
    failure_reason: z.string().nullable(),
    payment: receiptPaymentSchema.optional(),
  })
  .meta({ id: 'Receipt', description: 'The bill of a finished session (the numbers are rounded for display; *_exact are exact)' });

/** A receipt as the API shows it: with the station's own transaction id for OCPP 2.0.1. */
export function receiptView(receipt: Receipt, stationTransactionId: string | null): z.input<typeof receiptSchema> {
  return stationTransactionId === null ? receipt : { ...receipt, station_transaction_id: stationTransactionId };
}

// Compile-time check that the schema describes the workflow's Receipt (fails the type check if they drift).
const receiptMatchesSchema: (r: Receipt) => z.input<typeof receiptSchema> = (r) => r;
void receiptMatchesSchema;

export const sessionSummarySchema = z
  .object({
    sessionId: z.string(),
    stationId: z.string(),
    connectorId: z.number().int(),
    driverId: z.string().nullable(),
    origin: z.enum(['app', 'charger']),
    status: z.string(),
    active: z.boolean(),
    transactionId: z.number().int().nullable(),
    stationTransactionId: z.string().optional().meta({ description: 'OCPP 2.0.1: the id the station gave the transaction (transactionId is ours); absent for OCPP 1.6' }),
    failureReason: z.string().nullable(),
    createdAt: isoTimeSchema,
    updatedAt: isoTimeSchema,
    receipt: z
      .object({ energyKwh: z.string(), totalCost: z.string(), currency: z.string(), endTime: isoTimeSchema.nullable() })
      .nullable()
      .meta({ description: 'Set once the receipt is issued' }),
  })
  .meta({ id: 'SessionSummary' });

export const sessionPageSchema = z
  .object({
    sessions: z.array(sessionSummarySchema),
    nextCursor: z.string().nullable().meta({ description: 'Pass as ?cursor= for the next (older) page; null on the last page' }),
    page: z.number().int().optional(),
    limit: z.number().int(),
  })
  .meta({ id: 'SessionPage' });
