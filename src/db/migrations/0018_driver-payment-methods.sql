-- Up Migration
-- How a driver pays: 'account' (post-paid: fleets, RFID customers; the behaviour before card
-- payments) or 'card' (a hold on their saved card before each session, the exact bill captured
-- after it). The operator decides per driver. `payment_customer_id` is the driver's customer at
-- the payment provider (Stripe), created when they save their first card.
ALTER TABLE drivers
  ADD COLUMN payment_mode TEXT NOT NULL DEFAULT 'account' CHECK (payment_mode IN ('account', 'card')),
  ADD COLUMN payment_customer_id TEXT UNIQUE;

-- Cards a driver saved (created by their app with the provider's client SDK, attached to their
-- customer by POST /v1/me/payment-methods). The newest one pays.
CREATE TABLE driver_payment_methods (
  provider_id  TEXT PRIMARY KEY,
  driver_id    TEXT NOT NULL REFERENCES drivers (id) ON DELETE CASCADE,
  provider     TEXT NOT NULL,
  brand        TEXT NOT NULL,
  last4        TEXT NOT NULL CHECK (last4 ~ '^[0-9]{4}$'),
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX driver_payment_methods_by_driver ON driver_payment_methods (driver_id, created_at DESC);

-- Down Migration
DROP TABLE driver_payment_methods;
ALTER TABLE drivers DROP COLUMN payment_customer_id, DROP COLUMN payment_mode;
