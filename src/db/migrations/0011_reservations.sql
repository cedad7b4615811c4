-- Up Migration
-- Reservations (OCPP 1.6 §3.12, §5.13 ReserveNow, §5.1 CancelReservation). `id` is the OCPP
-- reservationId (an integer the central system issues). A row is `requested` until the charger
-- answers ReserveNow; `accepted` while it holds the connector; then `used` (a transaction started
-- on it), `cancelled` or `expired`; or it never held: `rejected`, `faulted`, `occupied`,
-- `unavailable` (the charger's answer) or `failed` (no answer / CALLERROR).
-- PostgreSQL, not timing, decides "one active reservation per driver and per connector".
-- The fee is the tariff's as it was when the reservation was made (a later change never reprices it).
CREATE SEQUENCE reservation_id_seq AS INTEGER START 1;
CREATE TABLE reservations (
  id                    INTEGER PRIMARY KEY DEFAULT nextval('reservation_id_seq'),
  station_id            TEXT NOT NULL REFERENCES chargers (id) ON DELETE CASCADE,
  -- 0: the charge point as a whole (§5.13: any connector; ReserveConnectorZeroSupported).
  connector_id          INTEGER NOT NULL CHECK (connector_id >= 0),
  driver_id             TEXT REFERENCES drivers (id) ON DELETE SET NULL,
  id_tag                TEXT NOT NULL,
  expiry_date           TIMESTAMPTZ NOT NULL,
  status                TEXT NOT NULL DEFAULT 'requested'
                        CHECK (status IN ('requested', 'accepted', 'used', 'cancelled', 'expired', 'rejected', 'faulted', 'occupied', 'unavailable', 'failed')),
  active                BOOLEAN GENERATED ALWAYS AS (status IN ('requested', 'accepted')) STORED,
  detail                TEXT,
  requested_by          TEXT NOT NULL CHECK (requested_by IN ('driver', 'operator')),
  -- What the charger answered to CancelReservation (null: none sent; 'pending': not delivered yet).
  cancel_status         TEXT,
  cancelled_by          TEXT CHECK (cancelled_by IN ('driver', 'operator')),
  session_id            TEXT REFERENCES sessions (id) ON DELETE SET NULL,
  currency              CHAR(3),
  tariff_id             TEXT,
  tariff_version        INTEGER,
  fee_fixed             NUMERIC(18, 6) CHECK (fee_fixed >= 0),
  fee_per_minute        NUMERIC(18, 6) CHECK (fee_per_minute >= 0),
  fee_if_unused         BOOLEAN NOT NULL DEFAULT TRUE,
  accepted_at           TIMESTAMPTZ,
  ended_at              TIMESTAMPTZ,
  created_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
ALTER SEQUENCE reservation_id_seq OWNED BY reservations.id;
CREATE UNIQUE INDEX reservations_one_active_per_driver ON reservations (driver_id) WHERE active AND driver_id IS NOT NULL;
CREATE UNIQUE INDEX reservations_one_active_per_connector ON reservations (station_id, connector_id) WHERE active;
-- A reservation pays its fee at most once: on the session that used it, or on its own receipt.
CREATE UNIQUE INDEX reservations_one_per_session ON reservations (session_id) WHERE session_id IS NOT NULL;
CREATE INDEX reservations_by_driver ON reservations (driver_id, created_at DESC);

-- The receipt of a reservation that expired unused (when its tariff charges for that): once per reservation.
CREATE TABLE reservation_receipts (
  reservation_id  INTEGER PRIMARY KEY REFERENCES reservations (id) ON DELETE CASCADE,
  currency        CHAR(3) NOT NULL,
  total           NUMERIC(18, 6) NOT NULL,
  body            JSONB NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Tariffs may charge for reservations: a fixed fee and/or a price per whole minute held;
-- `reservation_fee_if_unused` false: a reservation that expires unused costs nothing.
ALTER TABLE tariffs
  ADD COLUMN reservation_fee             NUMERIC(18, 6) CHECK (reservation_fee >= 0),
  ADD COLUMN reservation_fee_per_minute  NUMERIC(18, 6) CHECK (reservation_fee_per_minute >= 0),
  ADD COLUMN reservation_fee_if_unused   BOOLEAN NOT NULL DEFAULT TRUE;

-- The reservation fee prices sessions too: a change to it is a new tariff version.
CREATE OR REPLACE FUNCTION tariffs_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.name, NEW.currency, NEW.rate_per_kwh, NEW.price_per_minute, NEW.session_fee, NEW.idle_fee_per_minute,
      NEW.idle_grace_minutes, NEW.min_price, NEW.max_price, NEW.tax_rate, NEW.prices_include_tax, NEW.rounding, NEW.time_of_use,
      NEW.reservation_fee, NEW.reservation_fee_per_minute, NEW.reservation_fee_if_unused)
     IS DISTINCT FROM
     (OLD.name, OLD.currency, OLD.rate_per_kwh, OLD.price_per_minute, OLD.session_fee, OLD.idle_fee_per_minute,
      OLD.idle_grace_minutes, OLD.min_price, OLD.max_price, OLD.tax_rate, OLD.prices_include_tax, OLD.rounding, OLD.time_of_use,
      OLD.reservation_fee, OLD.reservation_fee_per_minute, OLD.reservation_fee_if_unused)
  THEN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
  ELSE
    NEW.version := OLD.version;
  END IF;
  RETURN NEW;
END $$;

-- Down Migration
CREATE OR REPLACE FUNCTION tariffs_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.name, NEW.currency, NEW.rate_per_kwh, NEW.price_per_minute, NEW.session_fee, NEW.idle_fee_per_minute,
      NEW.idle_grace_minutes, NEW.min_price, NEW.max_price, NEW.tax_rate, NEW.prices_include_tax, NEW.rounding, NEW.time_of_use)
     IS DISTINCT FROM
     (OLD.name, OLD.currency, OLD.rate_per_kwh, OLD.price_per_minute, OLD.session_fee, OLD.idle_fee_per_minute,
      OLD.idle_grace_minutes, OLD.min_price, OLD.max_price, OLD.tax_rate, OLD.prices_include_tax, OLD.rounding, OLD.time_of_use)
  THEN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
  ELSE
    NEW.version := OLD.version;
  END IF;
  RETURN NEW;
END $$;
ALTER TABLE tariffs DROP COLUMN reservation_fee, DROP COLUMN reservation_fee_per_minute, DROP COLUMN reservation_fee_if_unused;
DROP TABLE reservation_receipts;
DROP TABLE reservations;
