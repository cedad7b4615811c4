-- Up Migration
-- What an OCPP 2.0.1 station reports about itself beyond its connectors' status: its events
-- (NotifyEvent), its security events (SecurityEventNotification) and its device model
-- (NotifyReport). Stored as reported; shown by the operator API (/v1/operator/stations/{id}/events,
-- /security-events, /device-model).

-- NotifyEvent: one row per eventData element. A NotifyEvent the station sends again (it never saw
-- the answer) stores nothing twice: an event is its eventId at its timestamp.
CREATE TABLE station_events (
  id                       BIGSERIAL PRIMARY KEY,
  station_id               TEXT NOT NULL REFERENCES chargers (id) ON DELETE CASCADE ON UPDATE CASCADE,
  event_id                 INTEGER NOT NULL,
  timestamp                TIMESTAMPTZ NOT NULL,
  trigger                  TEXT NOT NULL,
  cause                    INTEGER,
  actual_value             TEXT NOT NULL,
  tech_code                TEXT,
  tech_info                TEXT,
  cleared                  BOOLEAN,
  -- The station's transaction id (a string, ocpp201_transactions.charger_transaction_id).
  transaction_id           TEXT,
  variable_monitoring_id   INTEGER,
  event_notification_type  TEXT NOT NULL,
  component_name           TEXT NOT NULL,
  component_instance       TEXT,
  evse_id                  INTEGER,
  evse_connector_id        INTEGER,
  variable_name            TEXT NOT NULL,
  variable_instance        TEXT,
  -- The NotifyEvent message it came in.
  generated_at             TIMESTAMPTZ NOT NULL,
  seq_no                   INTEGER NOT NULL,
  received_at              TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX station_events_replay_key ON station_events (station_id, event_id, timestamp);
CREATE INDEX station_events_newest ON station_events (station_id, timestamp DESC, id DESC);

-- SecurityEventNotification (A04): type is the security event's name (Part 2 appendix, e.g.
-- FirmwareUpdated, InvalidCsmsCertificate), or the vendor's own.
CREATE TABLE station_security_events (
  id           BIGSERIAL PRIMARY KEY,
  station_id   TEXT NOT NULL REFERENCES chargers (id) ON DELETE CASCADE ON UPDATE CASCADE,
  type         TEXT NOT NULL,
  timestamp    TIMESTAMPTZ NOT NULL,
  tech_info    TEXT,
  received_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX station_security_events_replay_key ON station_security_events (station_id, type, timestamp, COALESCE(tech_info, ''));
CREATE INDEX station_security_events_newest ON station_security_events (station_id, timestamp DESC, id DESC);

-- The device model (NotifyReport reportData): one row per variable of a component, as the last
-- report that named it told it. `attributes` is its variableAttribute array (type Actual / Target /
-- MinSet / MaxSet, value, mutability, persistent, constant), `characteristics` its
-- variableCharacteristics (dataType, unit, limits, valuesList, supportsMonitoring) or NULL.
CREATE TABLE station_device_model (
  station_id          TEXT NOT NULL REFERENCES chargers (id) ON DELETE CASCADE ON UPDATE CASCADE,
  component_name      TEXT NOT NULL,
  component_instance  TEXT,
  evse_id             INTEGER,
  evse_connector_id   INTEGER,
  variable_name       TEXT NOT NULL,
  variable_instance   TEXT,
  attributes          JSONB NOT NULL,
  characteristics     JSONB,
  -- The report that told it last (GetBaseReport's requestId) and when the station generated it.
  request_id          INTEGER NOT NULL,
  generated_at        TIMESTAMPTZ NOT NULL,
  updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX station_device_model_key ON station_device_model
  (station_id, component_name, COALESCE(component_instance, ''), COALESCE(evse_id, -1), COALESCE(evse_connector_id, -1),
   variable_name, COALESCE(variable_instance, ''));

-- Firmware and log status of a 2.0.1 station in its own words, with the requestId of the
-- UpdateFirmware / GetLog it belongs to. firmware_status / diagnostics_status keep holding the
-- status in the words the firmware-update and diagnostics workflows follow (1.6's), and their
-- *_status_at when it was reported.
ALTER TABLE chargers ADD COLUMN firmware_status_reported TEXT;
ALTER TABLE chargers ADD COLUMN firmware_request_id INTEGER;
ALTER TABLE chargers ADD COLUMN log_status_reported TEXT;
ALTER TABLE chargers ADD COLUMN log_request_id INTEGER;

-- 2.0.1's StatusNotification names the connector of the EVSE too; connectors.connector_id is the
-- EVSE id (one connector per EVSE), the log keeps both.
ALTER TABLE status_notifications ADD COLUMN evse_connector_id INTEGER;

-- Down Migration
ALTER TABLE status_notifications DROP COLUMN evse_connector_id;
ALTER TABLE chargers DROP COLUMN log_request_id;
ALTER TABLE chargers DROP COLUMN log_status_reported;
ALTER TABLE chargers DROP COLUMN firmware_request_id;
ALTER TABLE chargers DROP COLUMN firmware_status_reported;
DROP TABLE station_device_model;
DROP TABLE station_security_events;
DROP TABLE station_events;
