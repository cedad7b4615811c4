/**
 * Every read and write of the payment tables (migrations 0018, 0019): a driver's payment mode,
 * provider customer and saved cards; a session's payment (hold, capture, release, refunds); the
 * webhook events already reconciled. Shared by the API and the worker's payment activities.
 */
import type { Pool, PoolClient } from 'pg';
import { fromMinorUnits } from '../billing/money';
import type { ReceiptPayment } from '../../workflows/session-messages';
import { paymentFailedFlag } from '../../workflows/payment-activities';

type Db = Pick<Pool | PoolClient, 'query'>;

export type PaymentMode = 'account' | 'card';

export interface SavedCard {
  paymentMethodId: string;
  provider: string;
  brand: string;
  last4: string;
  createdAt: string;
}

export interface DriverPayment {
  mode: PaymentMode;
  customerId: string | null;
  /** Newest first; the first one pays. */
  cards: SavedCard[];
}

/** null: no such driver. */
export async function loadDriverPayment(db: Db, driverId: string): Promise<DriverPayment | null> {
  const { rows } = await db.query<{ payment_mode: PaymentMode; payment_customer_id: string | null }>('SELECT payment_mode, payment_customer_id FROM drivers WHERE id = $1', [driverId]);
  if (!rows[0]) return null;
  const cards = await db.query<{ provider_id: string; provider: string; brand: string; last4: string; created_at: Date }>(
    'SELECT provider_id, provider, brand, last4, created_at FROM driver_payment_methods WHERE driver_id = $1 ORDER BY created_at DESC, provider_id',
    [driverId],
  );
  return {
    mode: rows[0].payment_mode,
    customerId: rows[0].payment_customer_id,
    cards: cards.rows.map((c) => ({ paymentMethodId: c.provider_id, provider: c.provider, brand: c.brand, last4: c.last4, createdAt: c.created_at.toISOString() })),
  };
}

/** Keeps the first customer stored (two concurrent first cards create one customer each at the provider; one is used). */
export async function storeCustomerId(db: Db, driverId: string, customerId: string): Promise<string> {
  const { rows } = await db.query<{ payment_customer_id: string }>(
    'UPDATE drivers SET payment_customer_id = COALESCE(payment_customer_id, $2) WHERE id = $1 RETURNING payment_customer_id',
    [driverId, customerId],
  );
  return rows[0].payment_customer_id;
}

export async function saveCard(db: Db, driverId: string, card: { paymentMethodId: string; provider: string; brand: string; last4: string }): Promise<SavedCard> {
  const { rows } = await db.query<{ created_at: Date }>(
    `INSERT INTO driver_payment_methods (provider_id, driver_id, provider, brand, last4) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (provider_id) DO UPDATE SET created_at = now() WHERE driver_payment_methods.driver_id = EXCLUDED.driver_id
     RETURNING created_at`,
    [card.paymentMethodId, driverId, card.provider, card.brand, card.last4],
  );
  return { ...card, createdAt: (rows[0]?.created_at ?? new Date()).toISOString() };
}

/** A driver's payment mode and cards as the API shows them; null: no such driver. */
export async function driverPayment(db: Db, driverId: string): Promise<{ paymentMode: PaymentMode; paymentMethods: SavedCard[] } | null> {
  const driver = await loadDriverPayment(db, driverId);
  return driver ? { paymentMode: driver.mode, paymentMethods: driver.cards } : null;
}

/** false: no such driver. */
export async function setPaymentMode(db: Db, driverId: string, mode: PaymentMode): Promise<boolean> {
  const { rowCount } = await db.query('UPDATE drivers SET payment_mode = $2 WHERE id = $1', [driverId, mode]);
  return rowCount === 1;
}

// ── A session's payment ────────────────────────────────────────────────────

interface PaymentRow {
  session_id: string;
  provider: string;
  reference: string | null;
  currency: string;
  brand: string | null;
  last4: string | null;
  status: ReceiptPayment['status'];
  authorized_minor: string;
  captured_minor: string;
  released_minor: string;
  refunded_minor: string;
  failure_reason: string | null;
}

export interface SessionPaymentRecord {
  sessionId: string;
  reference: string | null;
  currency: string;
  status: ReceiptPayment['status'];
  authorizedMinor: number;
  capturedMinor: number;
  refundedMinor: number;
  view: ReceiptPayment;
}

function toRecord(r: PaymentRow): SessionPaymentRecord {
  const money = (minor: string) => fromMinorUnits(Number(minor), r.currency);
  return {
    sessionId: r.session_id,
    reference: r.reference,
    currency: r.currency,
    status: r.status,
    authorizedMinor: Number(r.authorized_minor),
    capturedMinor: Number(r.captured_minor),
    refundedMinor: Number(r.refunded_minor),
    view: {
      provider: r.provider,
      status: r.status,
      method: { brand: r.brand, last4: r.last4 },
      reference: r.reference,
      currency: r.currency,
      authorized: money(r.authorized_minor),
      captured: money(r.captured_minor),
      released: money(r.released_minor),
      refunded: money(r.refunded_minor),
      failure_reason: r.failure_reason,
    },
  };
}

export async function loadSessionPayment(db: Db, sessionId: string): Promise<SessionPaymentRecord | null> {
  const { rows } = await db.query<PaymentRow>('SELECT * FROM session_payments WHERE session_id = $1', [sessionId]);
  return rows[0] ? toRecord(rows[0]) : null;
}

export async function loadSessionPaymentByReference(db: Db, reference: string): Promise<SessionPaymentRecord | null> {
  const { rows } = await db.query<PaymentRow>('SELECT * FROM session_payments WHERE reference = $1', [reference]);
  return rows[0] ? toRecord(rows[0]) : null;
}

/** The hold's outcome, written once: a retried activity finds the row and keeps it. */
export async function recordHold(
  db: Db,
  hold: { sessionId: string; driverId: string | null; provider: string; currency: string; brand: string; last4: string } & (
    | { status: 'authorized'; reference: string; amountMinor: number }
    | { status: 'declined'; reason: string }
  ),
): Promise<SessionPaymentRecord> {
  const { rows } = await db.query<PaymentRow>(
    `INSERT INTO session_payments (session_id, driver_id, provider, reference, currency, brand, last4, status, authorized_minor, failure_reason)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
     ON CONFLICT (session_id) DO UPDATE SET updated_at = session_payments.updated_at
     RETURNING *`,
    [
      hold.sessionId, hold.driverId, hold.provider, hold.status === 'authorized' ? hold.reference : null, hold.currency, hold.brand, hold.last4, hold.status,
      hold.status === 'authorized' ? hold.amountMinor : 0, hold.status === 'declined' ? hold.reason : null,
    ],
  );
  return toRecord(rows[0]);
}

/** Captured `capturedMinor` of the hold; the rest was released. Idempotent. */
export async function recordCapture(db: Db, sessionId: string, capturedMinor: number): Promise<SessionPaymentRecord> {
  const { rows } = await db.query<PaymentRow>(
    `UPDATE session_payments SET status = 'captured', captured_minor = $2, released_minor = authorized_minor - $2, failure_reason = NULL, updated_at = now()
      WHERE session_id = $1 RETURNING *`,
    [sessionId, capturedMinor],
  );
  return toRecord(rows[0]);
}

/** The whole hold went back. Idempotent. */
export async function recordRelease(db: Db, sessionId: string): Promise<SessionPaymentRecord> {
  const { rows } = await db.query<PaymentRow>(
    `UPDATE session_payments SET status = 'released', released_minor = authorized_minor, updated_at = now() WHERE session_id = $1 RETURNING *`,
    [sessionId],
  );
  return toRecord(rows[0]);
}


/** The capture failed for good: the operator follows up. The receipt stays issued, flagged. */
export async function recordPaymentFailure(db: Db, sessionId: string, reason: string): Promise<SessionPaymentRecord> {
  const { rows } = await db.query<PaymentRow>(
    `UPDATE session_payments SET status = 'failed', failure_reason = $2, updated_at = now() WHERE session_id = $1 AND status <> 'captured' RETURNING *`,
    [sessionId, reason],
  );
  const flag = JSON.stringify([paymentFailedFlag]);
  await db.query(
    `UPDATE receipts SET flags = flags || $2::jsonb, body = jsonb_set(body, '{flags}', (body->'flags') || $2::jsonb)
      WHERE session_id = $1 AND NOT flags ? $3`,
    [sessionId, flag, paymentFailedFlag],
  );
  return rows[0] ? toRecord(rows[0]) : (await loadSessionPayment(db, sessionId))!;
}

// ── Refunds ────────────────────────────────────────────────────────────────

export interface RefundRecord {
  sequence: number;
  amountMinor: number;
  reference: string | null;
  reason: string | null;
  createdAt: string;
}

/**
 * Locks the session's payment for a refund (FOR UPDATE: two refunds at once are numbered one
 * after the other and never pass what was captured); the caller records it in the same transaction.
 */
export async function lockPaymentForRefund(db: Db, sessionId: string): Promise<{ record: SessionPaymentRecord; nextSequence: number } | null> {
  const { rows } = await db.query<PaymentRow>('SELECT * FROM session_payments WHERE session_id = $1 FOR UPDATE', [sessionId]);
  if (!rows[0]) return null;
  const next = await db.query<{ n: number }>('SELECT COALESCE(max(sequence), 0)::int + 1 AS n FROM payment_refunds WHERE session_id = $1', [sessionId]);
  return { record: toRecord(rows[0]), nextSequence: next.rows[0].n };
}

export async function recordRefund(db: Db, sessionId: string, refund: { sequence: number; amountMinor: number; reference: string; reason: string | null }): Promise<SessionPaymentRecord> {
  await db.query('INSERT INTO payment_refunds (session_id, sequence, amount_minor, reference, reason) VALUES ($1, $2, $3, $4, $5)', [
    sessionId,
    refund.sequence,
    refund.amountMinor,
    refund.reference,
    refund.reason,
  ]);
  const { rows } = await db.query<PaymentRow>(
    'UPDATE session_payments SET refunded_minor = refunded_minor + $2, updated_at = now() WHERE session_id = $1 RETURNING *',
    [sessionId, refund.amountMinor],
  );
  return toRecord(rows[0]);
}

// ── Provider events (webhooks) ─────────────────────────────────────────────

/** false: this event was reconciled before (a replay). */
export async function claimWebhookEvent(db: Db, event: { id: string; type: string; sessionId: string | null }): Promise<boolean> {
  const { rowCount } = await db.query('INSERT INTO payment_webhook_events (event_id, type, session_id) VALUES ($1, $2, $3) ON CONFLICT (event_id) DO NOTHING', [
    event.id,
    event.type,
    event.sessionId,
  ]);
  return rowCount === 1;
}

/**
 * What the provider reported later (a capture or refund that completed asynchronously), folded
 * into the session's payment: amounts only grow, and a captured payment is never "released".
 */
export async function reconcilePayment(
  db: Db,
  reference: string,
  outcome: { kind: 'captured'; capturedMinor: number } | { kind: 'released' } | { kind: 'refunded'; refundedMinor: number },
): Promise<SessionPaymentRecord | null> {
  const sql = {
    captured: `UPDATE session_payments SET status = 'captured', captured_minor = GREATEST(captured_minor, LEAST($2::bigint, authorized_minor)),
                 released_minor = authorized_minor - GREATEST(captured_minor, LEAST($2::bigint, authorized_minor)), failure_reason = NULL, updated_at = now()
                WHERE reference = $1 AND status IN ('authorized', 'failed', 'captured') RETURNING *`,
    released: `UPDATE session_payments SET status = 'released', released_minor = authorized_minor, updated_at = now()
                WHERE reference = $1 AND status IN ('authorized', 'released') RETURNING *`,
    refunded: `UPDATE session_payments SET refunded_minor = GREATEST(refunded_minor, LEAST($2::bigint, captured_minor)), updated_at = now()
                WHERE reference = $1 RETURNING *`,
  }[outcome.kind];
  const params = outcome.kind === 'captured' ? [reference, outcome.capturedMinor] : outcome.kind === 'refunded' ? [reference, outcome.refundedMinor] : [reference];
  const { rows } = await db.query<PaymentRow>(sql, params);
  return rows[0] ? toRecord(rows[0]) : loadSessionPaymentByReference(db, reference);
}

/** Card payments for the operator, newest first: those that failed for good, or still on hold, or any. */
export async function listSessionPayments(db: Db, filter: { status?: ReceiptPayment['status']; limit: number }): Promise<Array<{ sessionId: string; updatedAt: string; payment: ReceiptPayment }>> {
  const { rows } = await db.query<PaymentRow & { updated_at: Date }>(
    'SELECT * FROM session_payments WHERE ($1::text IS NULL OR status = $1) ORDER BY updated_at DESC, session_id LIMIT $2',
    [filter.status ?? null, filter.limit],
  );
  return rows.map((r) => ({ sessionId: r.session_id, updatedAt: r.updated_at.toISOString(), payment: toRecord(r).view }));
}
