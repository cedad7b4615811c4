-- Up Migration
-- What the operator asked a station with ChangeAvailability (OCPP 1.6 §5.2), per connector;
-- connector 0 is the whole station. Only requests the station took (Accepted or Scheduled) are
-- kept: a Rejected one changed nothing. `scheduled`: the station answered Scheduled because a
-- transaction was running, so the change waits for that transaction to end; the gateway clears
-- it when the station's StatusNotification reports the change done. The effective availability
-- is not stored here: it is what the station reports (connectors.status).
CREATE TABLE connector_availability (
  station_id    TEXT NOT NULL REFERENCES chargers (id) ON DELETE CASCADE,
  connector_id  INTEGER NOT NULL CHECK (connector_id >= 0),
  requested     TEXT NOT NULL CHECK (requested IN ('Operative', 'Inoperative')),
  scheduled     BOOLEAN NOT NULL,
  requested_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (station_id, connector_id)
);

-- Down Migration
DROP TABLE connector_availability;
