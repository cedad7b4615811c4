-- Up Migration
-- MeterValues the gateway has acknowledged to a charger but not yet delivered to the session
-- workflow. A row is written by the same statement that stores the frame's samples, so a frame
-- is acknowledged only once both are committed; the gateway's forwarder signals the workflow
-- and then deletes the row (src/gateway/forwarding/session-outbox-forwarder.ts). Rows left by a
-- gateway that died are delivered by the next one. `event` is the TransactionMeterValuesEvent.
CREATE TABLE session_outbox (
  id          BIGSERIAL PRIMARY KEY,
  session_id  TEXT NOT NULL,
  event       JSONB NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- No index beyond the key: rows live for about a second, are deleted by id, and are read by
-- session only after a failure or a restart; one index fewer to write for every frame.

-- Down Migration
DROP TABLE session_outbox;
