-- Up Migration
-- The schema design.md lists: chargers, connectors, id tags, drivers and API tokens,
-- tariffs, sessions, transactions (with their id sequence), meter samples, receipts
-- and connection events. Money and energy are NUMERIC, never floating point.

CREATE TABLE tariffs (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  currency      CHAR(3) NOT NULL,
  rate_per_kwh  NUMERIC(18, 6) NOT NULL CHECK (rate_per_kwh >= 0),
  is_default    BOOLEAN NOT NULL DEFAULT FALSE,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- At most one default tariff.
CREATE UNIQUE INDEX tariffs_one_default ON tariffs (is_default) WHERE is_default;

CREATE TABLE chargers (
  id                   TEXT PRIMARY KEY,
  password_hash        TEXT,
  -- Accepted: may charge; Pending: auto-registered, waiting for an operator.
  registration_status  TEXT NOT NULL DEFAULT 'Accepted' CHECK (registration_status IN ('Accepted', 'Pending', 'Rejected')),
  tariff_id            TEXT REFERENCES tariffs (id) ON DELETE SET NULL,
  time_zone            TEXT NOT NULL DEFAULT 'UTC',
  vendor               TEXT,
  model                TEXT,
  serial_number        TEXT,
  charge_box_serial_number TEXT,
  firmware_version     TEXT,
  iccid                TEXT,
  imsi                 TEXT,
  meter_type           TEXT,
  meter_serial_number  TEXT,
  booted_at            TIMESTAMPTZ,
  last_heartbeat_at    TIMESTAMPTZ,
  diagnostics_status   TEXT,
  diagnostics_status_at TIMESTAMPTZ,
  firmware_status      TEXT,
  firmware_status_at   TIMESTAMPTZ,
  -- Routing: the gateway process that holds the live connection, and that connection's epoch.
  online               BOOLEAN NOT NULL DEFAULT FALSE,
  gateway_id           TEXT,
  connection_epoch     BIGINT,
  connected_at         TIMESTAMPTZ,
  disconnected_at      TIMESTAMPTZ,
  created_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE SEQUENCE connection_epoch_seq;

CREATE TABLE connectors (
  charger_id         TEXT NOT NULL REFERENCES chargers (id) ON DELETE CASCADE,
  connector_id       INTEGER NOT NULL CHECK (connector_id >= 0),
  status             TEXT NOT NULL DEFAULT 'Unknown',
  error_code         TEXT NOT NULL DEFAULT 'NoError',
  info               TEXT,
  vendor_id          TEXT,
  vendor_error_code  TEXT,
  -- When the charger says the status began, and when we stored it.
  status_at          TIMESTAMPTZ,
  updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (charger_id, connector_id)
);

CREATE TABLE status_notifications (
  id                 BIGSERIAL PRIMARY KEY,
  charger_id         TEXT NOT NULL REFERENCES chargers (id) ON DELETE CASCADE,
  connector_id       INTEGER NOT NULL,
  status             TEXT NOT NULL,
  error_code         TEXT NOT NULL,
  info               TEXT,
  vendor_id          TEXT,
  vendor_error_code  TEXT,
  timestamp          TIMESTAMPTZ,
  received_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE drivers (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE api_tokens (
  -- SHA-256 of the bearer token: tokens are long random strings, so a fast hash is enough.
  token_hash  TEXT PRIMARY KEY,
  role        TEXT NOT NULL CHECK (role IN ('driver', 'operator')),
  driver_id   TEXT REFERENCES drivers (id) ON DELETE CASCADE,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK ((role = 'driver') = (driver_id IS NOT NULL))
);

CREATE TABLE id_tags (
  id_tag         TEXT PRIMARY KEY CHECK (char_length(id_tag) BETWEEN 1 AND 20),
  status         TEXT NOT NULL DEFAULT 'Accepted' CHECK (status IN ('Accepted', 'Blocked', 'Expired', 'Invalid')),
  expiry_date    TIMESTAMPTZ,
  parent_id_tag  TEXT,
  driver_id      TEXT REFERENCES drivers (id) ON DELETE SET NULL,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  id                 TEXT PRIMARY KEY,
  charger_id         TEXT NOT NULL,
  connector_id       INTEGER NOT NULL,
  driver_id          TEXT,
  id_tag             TEXT,
  origin             TEXT NOT NULL CHECK (origin IN ('app', 'charger')),
  status             TEXT NOT NULL,
  active             BOOLEAN NOT NULL DEFAULT TRUE,
  transaction_id     INTEGER,
  failure_reason     TEXT,
  created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- One active session per connector, decided by the database, not by timing.
CREATE UNIQUE INDEX sessions_one_active_per_connector ON sessions (charger_id, connector_id) WHERE active;
CREATE INDEX sessions_by_driver ON sessions (driver_id, created_at DESC);

-- OCPP transaction ids are 32-bit integers issued by the central system.
CREATE SEQUENCE transaction_id_seq AS INTEGER START 1;
CREATE TABLE transactions (
  id                INTEGER PRIMARY KEY DEFAULT nextval('transaction_id_seq'),
  session_id        TEXT NOT NULL UNIQUE REFERENCES sessions (id),
  charger_id        TEXT NOT NULL,
  connector_id      INTEGER NOT NULL,
  id_tag            TEXT NOT NULL,
  meter_start       BIGINT NOT NULL,
  start_timestamp   TIMESTAMPTZ NOT NULL,
  reservation_id    INTEGER,
  meter_stop        BIGINT,
  stop_timestamp    TIMESTAMPTZ,
  stop_reason       TEXT,
  stop_id_tag       TEXT,
  transaction_data  JSONB,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  stopped_at        TIMESTAMPTZ
);
ALTER SEQUENCE transaction_id_seq OWNED BY transactions.id;
-- A replayed StartTransaction (the charger never saw our answer) maps to the same transaction.
CREATE UNIQUE INDEX transactions_replay_key ON transactions (charger_id, connector_id, id_tag, meter_start, start_timestamp);

CREATE TABLE meter_samples (
  id              BIGSERIAL PRIMARY KEY,
  charger_id      TEXT NOT NULL,
  connector_id    INTEGER NOT NULL,
  -- NULL for clock-aligned readings outside a transaction.
  transaction_id  INTEGER,
  timestamp       TIMESTAMPTZ NOT NULL,
  measurand       TEXT NOT NULL DEFAULT 'Energy.Active.Import.Register',
  phase           TEXT,
  unit            TEXT,
  context         TEXT NOT NULL DEFAULT 'Sample.Periodic',
  location        TEXT,
  format          TEXT,
  value           TEXT NOT NULL,
  received_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- A replayed MeterValues frame stores nothing twice.
CREATE UNIQUE INDEX meter_samples_replay_key ON meter_samples
  (charger_id, connector_id, COALESCE(transaction_id, -1), timestamp, measurand, COALESCE(phase, ''), COALESCE(location, ''), context);
CREATE INDEX meter_samples_by_transaction ON meter_samples (transaction_id, timestamp) WHERE transaction_id IS NOT NULL;

CREATE TABLE receipts (
  session_id      TEXT PRIMARY KEY REFERENCES sessions (id),
  transaction_id  INTEGER,
  charger_id      TEXT NOT NULL,
  connector_id    INTEGER NOT NULL,
  driver_id       TEXT,
  status          TEXT NOT NULL,
  stop_reason     TEXT,
  currency        CHAR(3) NOT NULL,
  meter_start     BIGINT,
  meter_stop      BIGINT,
  energy_kwh      NUMERIC(18, 6) NOT NULL,
  rate_per_kwh    NUMERIC(18, 6) NOT NULL,
  total_cost      NUMERIC(18, 6) NOT NULL,
  soc             NUMERIC(5, 1),
  start_time      TIMESTAMPTZ,
  end_time        TIMESTAMPTZ,
  flags           JSONB NOT NULL DEFAULT '[]',
  line_items      JSONB NOT NULL DEFAULT '[]',
  body            JSONB NOT NULL,
  issued_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE connection_events (
  id              BIGSERIAL PRIMARY KEY,
  charger_id      TEXT NOT NULL,
  gateway_id      TEXT NOT NULL,
  connection_epoch BIGINT NOT NULL,
  event           TEXT NOT NULL CHECK (event IN ('connected', 'disconnected', 'replaced', 'auth_failed')),
  reason          TEXT,
  remote_address  TEXT,
  at              TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX connection_events_by_charger ON connection_events (charger_id, at DESC);

CREATE TABLE data_transfers (
  id           BIGSERIAL PRIMARY KEY,
  charger_id   TEXT NOT NULL,
  vendor_id    TEXT NOT NULL,
  message_id   TEXT,
  data         TEXT,
  status       TEXT NOT NULL,
  received_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE data_transfers, connection_events, receipts, meter_samples, transactions, sessions,
  id_tags, api_tokens, drivers, status_notifications, connectors, chargers, tariffs CASCADE;
DROP SEQUENCE IF EXISTS connection_epoch_seq;
