-- Up Migration
-- The requestId of the 2.0.1 commands whose progress the station reports later under it:
-- UpdateFirmware (FirmwareStatusNotification), GetLog (LogStatusNotification), GetBaseReport
-- (NotifyReport). Issued by the gateway when it translates the command; a notification's
-- requestId finds the command it belongs to here.
CREATE SEQUENCE ocpp201_request_id_seq AS INTEGER;
CREATE TABLE ocpp201_requests (
  request_id    INTEGER PRIMARY KEY DEFAULT nextval('ocpp201_request_id_seq'),
  station_id    TEXT NOT NULL REFERENCES chargers (id) ON DELETE CASCADE ON UPDATE CASCADE,
  kind          TEXT NOT NULL CHECK (kind IN ('firmware', 'log', 'report')),
  requested_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
ALTER SEQUENCE ocpp201_request_id_seq OWNED BY ocpp201_requests.request_id;
CREATE INDEX ocpp201_requests_station ON ocpp201_requests (station_id, kind, request_id DESC);

-- Down Migration
DROP TABLE ocpp201_requests;
