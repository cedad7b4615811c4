-- Up Migration
-- Firmware updates, rollouts and diagnostics requests: each is a Temporal workflow; these rows
-- are what the API reads (status, history, outcome), written by the workflows' activities.

CREATE TABLE firmware_rollouts (
  id               TEXT PRIMARY KEY,
  station_ids      TEXT[] NOT NULL,
  location         TEXT NOT NULL,
  max_concurrent   INTEGER NOT NULL CHECK (max_concurrent > 0),
  -- running → finished; results: [{ stationId, updateId, outcome }] as the stations' updates end.
  status           TEXT NOT NULL DEFAULT 'running',
  results          JSONB NOT NULL DEFAULT '[]',
  -- The update each station gets: { retrieveDate, retries, retryIntervalS, expectedVersion }.
  parameters       JSONB NOT NULL DEFAULT '{}',
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at      TIMESTAMPTZ
);

CREATE TABLE firmware_updates (
  id                 TEXT PRIMARY KEY,
  station_id         TEXT NOT NULL REFERENCES chargers (id) ON DELETE CASCADE,
  rollout_id         TEXT REFERENCES firmware_rollouts (id) ON DELETE SET NULL,
  location           TEXT NOT NULL,
  retrieve_date      TIMESTAMPTZ NOT NULL,
  retries            INTEGER,
  retry_interval_s   INTEGER,
  expected_version   TEXT,
  -- requested → a firmware status (Downloading …) while it runs; outcome once it ended.
  status             TEXT NOT NULL,
  outcome            TEXT,
  detail             TEXT,
  -- [{ at, status, detail? }] in the order the workflow saw them.
  history            JSONB NOT NULL DEFAULT '[]',
  created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at        TIMESTAMPTZ
);
CREATE INDEX firmware_updates_by_station ON firmware_updates (station_id, created_at DESC);
CREATE INDEX firmware_updates_by_rollout ON firmware_updates (rollout_id) WHERE rollout_id IS NOT NULL;

CREATE TABLE diagnostics_requests (
  id                 TEXT PRIMARY KEY,
  station_id         TEXT NOT NULL REFERENCES chargers (id) ON DELETE CASCADE,
  -- SHA-256 of the one-time upload token; the token itself is only in the upload URL.
  upload_token_hash  BYTEA NOT NULL UNIQUE,
  upload_expires_at  TIMESTAMPTZ NOT NULL,
  status             TEXT NOT NULL,
  outcome            TEXT,
  detail             TEXT,
  file_name          TEXT,
  history            JSONB NOT NULL DEFAULT '[]',
  created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at        TIMESTAMPTZ
);
CREATE INDEX diagnostics_requests_by_station ON diagnostics_requests (station_id, created_at DESC);

-- The uploaded file, one per request: written once (the token is spent by the same statement's transaction).
CREATE TABLE diagnostics_files (
  request_id         TEXT PRIMARY KEY REFERENCES diagnostics_requests (id) ON DELETE CASCADE,
  file_name          TEXT NOT NULL,
  content_type       TEXT NOT NULL,
  size_bytes         INTEGER NOT NULL,
  content            BYTEA NOT NULL,
  uploaded_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE diagnostics_files;
DROP TABLE diagnostics_requests;
DROP TABLE firmware_updates;
DROP TABLE firmware_rollouts;
