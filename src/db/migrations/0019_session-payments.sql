-- Up Migration
-- The card payment of a session, as its workflow's saga moved it: the hold (authorized), then
-- captured (the exact bill; the rest released), released (nothing to bill, or the session never
-- started), declined (no hold: the session did not start) or failed (the capture failed for good:
-- the operator follows up). Amounts are integer minor units of `currency`, as the provider takes
-- them; `reference` is the provider's id of the hold (a Stripe PaymentIntent).
CREATE TABLE session_payments (
  session_id        TEXT PRIMARY KEY REFERENCES sessions (id),
  driver_id         TEXT,
  provider          TEXT NOT NULL,
  reference         TEXT UNIQUE,
  currency          CHAR(3) NOT NULL,
  brand             TEXT,
  last4             TEXT,
  status            TEXT NOT NULL CHECK (status IN ('declined', 'authorized', 'captured', 'released', 'failed')),
  authorized_minor  BIGINT NOT NULL DEFAULT 0 CHECK (authorized_minor >= 0),
  captured_minor    BIGINT NOT NULL DEFAULT 0 CHECK (captured_minor >= 0 AND captured_minor <= authorized_minor),
  released_minor    BIGINT NOT NULL DEFAULT 0 CHECK (released_minor >= 0),
  refunded_minor    BIGINT NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0 AND refunded_minor <= captured_minor),
  failure_reason    TEXT,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX session_payments_by_status ON session_payments (status) WHERE status IN ('authorized', 'failed');

-- Refunds an operator made, numbered per session (the number is in the provider's idempotency key).
CREATE TABLE payment_refunds (
  session_id    TEXT NOT NULL REFERENCES session_payments (session_id),
  sequence      INTEGER NOT NULL CHECK (sequence >= 1),
  amount_minor  BIGINT NOT NULL CHECK (amount_minor > 0),
  reference     TEXT,
  reason        TEXT,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (session_id, sequence)
);

-- Provider events already reconciled: a replayed webhook is recognised and refused.
CREATE TABLE payment_webhook_events (
  event_id     TEXT PRIMARY KEY,
  type         TEXT NOT NULL,
  session_id   TEXT,
  received_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE payment_webhook_events;
DROP TABLE payment_refunds;
DROP TABLE session_payments;
