-- Up Migration
-- OCPP 2.0.1 TransactionEvents (src/gateway/handlers/v201/transaction-event.ts). A station's
-- transaction reaches the ledger (transactions) once enough is known of it — its id token and a
-- start register, or its Ended — so its events are folded into `state` as they arrive, in
-- whatever order (src/gateway/rules/transaction-events-201.ts). What the ledger was given and
-- what the session was told is kept beside it, so a retried event finishes what an earlier
-- attempt left undone and nothing is done twice.
ALTER TABLE ocpp201_transactions
  ADD COLUMN state              JSONB NOT NULL DEFAULT '{}',
  -- The TransactionStartedEvent of the ledger's start (null: not started yet), and whether the session has it.
  ADD COLUMN started_event      JSONB,
  ADD COLUMN started_forwarded  BOOLEAN NOT NULL DEFAULT FALSE,
  -- The TransactionStoppedEvent of the ledger's stop (null: not stopped yet), and whether the session has it.
  ADD COLUMN stopped_event      JSONB,
  ADD COLUMN stopped_forwarded  BOOLEAN NOT NULL DEFAULT FALSE,
  -- False: the transaction is tied to a failed, inactive session (a conflict): nothing is forwarded.
  ADD COLUMN followed           BOOLEAN NOT NULL DEFAULT TRUE;

-- One row per (transaction, seqNo): a repeated seqNo is a replay. `pending` holds the event's
-- samples and readings until they are stored under the ledger's transaction (then NULL).
CREATE TABLE ocpp201_transaction_events (
  station_id              TEXT NOT NULL,
  charger_transaction_id  TEXT NOT NULL,
  seq_no                  INTEGER NOT NULL CHECK (seq_no >= 0),
  event_type              TEXT NOT NULL CHECK (event_type IN ('Started', 'Updated', 'Ended')),
  offline                 BOOLEAN NOT NULL DEFAULT FALSE,
  received_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
  pending                 JSONB,
  PRIMARY KEY (station_id, charger_transaction_id, seq_no),
  FOREIGN KEY (station_id, charger_transaction_id) REFERENCES ocpp201_transactions (station_id, charger_transaction_id) ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX ocpp201_transaction_events_pending ON ocpp201_transaction_events (station_id, charger_transaction_id) WHERE pending IS NOT NULL;

-- Down Migration
DROP TABLE ocpp201_transaction_events;
ALTER TABLE ocpp201_transactions
  DROP COLUMN state,
  DROP COLUMN started_event,
  DROP COLUMN started_forwarded,
  DROP COLUMN stopped_event,
  DROP COLUMN stopped_forwarded,
  DROP COLUMN followed;
