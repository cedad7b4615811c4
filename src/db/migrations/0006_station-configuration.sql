-- Up Migration
-- Station configuration: what the operator declares (desired_configuration) and what the last
-- reconciliation found on each station (station_configuration).

-- The operator's desired values, for all stations, a group (by the vendor and/or model the station
-- reported at boot) or one station; the most specific entry for a key wins. Values are validated
-- by the API against the OCPP 1.6 key table before they are stored.
CREATE TABLE desired_configuration (
  id          BIGSERIAL PRIMARY KEY,
  scope       TEXT NOT NULL CHECK (scope IN ('all', 'group', 'station')),
  vendor      TEXT,
  model       TEXT,
  station_id  TEXT REFERENCES chargers (id) ON DELETE CASCADE ON UPDATE CASCADE,
  key         TEXT NOT NULL CHECK (length(key) BETWEEN 1 AND 50),
  value       TEXT NOT NULL CHECK (length(value) <= 500),
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (
    (scope = 'all' AND vendor IS NULL AND model IS NULL AND station_id IS NULL)
    OR (scope = 'group' AND station_id IS NULL AND (vendor IS NOT NULL OR model IS NOT NULL))
    OR (scope = 'station' AND station_id IS NOT NULL AND vendor IS NULL AND model IS NULL)
  )
);
-- One entry per key and target: declaring it again replaces the value.
CREATE UNIQUE INDEX desired_configuration_target
  ON desired_configuration (scope, COALESCE(vendor, ''), COALESCE(model, ''), COALESCE(station_id, ''), key);

-- One row per station, written by the reconciliation workflow (its only writer).
CREATE TABLE station_configuration (
  station_id                  TEXT PRIMARY KEY REFERENCES chargers (id) ON DELETE CASCADE ON UPDATE CASCADE,
  -- From the station's SupportedFeatureProfiles / NumberOfConnectors; NULL: never read.
  supported_feature_profiles  TEXT[],
  number_of_connectors        INTEGER,
  -- The station's keys as last read: [{ "key", "value", "readonly" }].
  keys                        JSONB,
  -- What the last run could not set: [{ "key", "desired", "actual", "outcome", "detail", "source" }].
  drift                       JSONB NOT NULL DEFAULT '[]',
  last_result                 TEXT CHECK (last_result IN ('in_sync', 'drift', 'unreachable')),
  last_trigger                TEXT,
  last_workflow_id            TEXT,
  reconciled_at               TIMESTAMPTZ
);
