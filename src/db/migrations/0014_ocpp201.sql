-- Up Migration
-- OCPP 2.0.1 chargers on the same endpoint. `ocpp_version` is the protocol the station's current
-- (or last) connection negotiated; NULL: it never connected.
ALTER TABLE chargers ADD COLUMN ocpp_version TEXT CHECK (ocpp_version IN ('1.6', '2.0.1'));
-- 2.0.1's BootNotification says why the station booted (PowerUp, RemoteReset, FirmwareUpdate, …).
ALTER TABLE chargers ADD COLUMN boot_reason TEXT;

-- A 2.0.1 transaction id is a string the station chooses; it is mapped once, per station, to
-- ours (transactions.id). `last_seq_no` is the highest TransactionEvent seqNo stored for it.
CREATE TABLE ocpp201_transactions (
  station_id              TEXT NOT NULL REFERENCES chargers (id) ON DELETE CASCADE ON UPDATE CASCADE,
  charger_transaction_id  TEXT NOT NULL CHECK (length(charger_transaction_id) BETWEEN 1 AND 36),
  transaction_id          INTEGER UNIQUE REFERENCES transactions (id),
  evse_id                 INTEGER,
  remote_start_id         INTEGER,
  last_seq_no             INTEGER,
  created_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (station_id, charger_transaction_id)
);

-- RequestStartTransaction's remoteStartId: issued by the gateway when it translates a remote
-- start, echoed by the station in the TransactionEvent that belongs to it (F01.FR.25/26).
CREATE SEQUENCE ocpp201_remote_start_id_seq AS INTEGER;
CREATE TABLE ocpp201_remote_starts (
  remote_start_id  INTEGER PRIMARY KEY DEFAULT nextval('ocpp201_remote_start_id_seq'),
  station_id       TEXT NOT NULL REFERENCES chargers (id) ON DELETE CASCADE ON UPDATE CASCADE,
  evse_id          INTEGER,
  id_token         TEXT NOT NULL,
  requested_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
ALTER SEQUENCE ocpp201_remote_start_id_seq OWNED BY ocpp201_remote_starts.remote_start_id;

-- Down Migration
DROP TABLE ocpp201_remote_starts;
DROP TABLE ocpp201_transactions;
ALTER TABLE chargers DROP COLUMN boot_reason;
ALTER TABLE chargers DROP COLUMN ocpp_version;
