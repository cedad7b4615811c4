-- Up Migration
-- The charging profiles an operator declares for a station (OCPP 1.6 smart charging): its maximum
-- (ChargePointMaxProfile) and its default per-transaction profile (TxDefaultProfile), both on
-- connector 0 with the CSMS's own ids and stack levels (src/ocpp/charging-profile-ids.ts). The
-- API writes the declaration; the stationChargingProfiles workflow applies it (after every change,
-- boot and reconnect: profiles do not survive a reboot on every charger) and records the outcome.
CREATE TABLE station_charging_profiles (
  station_id    TEXT NOT NULL REFERENCES chargers (id) ON DELETE CASCADE ON UPDATE CASCADE,
  purpose       TEXT NOT NULL CHECK (purpose IN ('ChargePointMaxProfile', 'TxDefaultProfile')),
  -- Kind, recurrency, validity and schedule as declared; NULL: removed, to be cleared on the station.
  declared      JSONB,
  -- Bumped by every declaration or removal, so a run's outcome is recorded only for what it sent.
  version       BIGINT NOT NULL DEFAULT 1,
  declared_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- The last run: the profile as sent (in the unit the station takes) and the station's answer.
  sent          JSONB,
  status        TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'applied', 'rejected', 'not_supported', 'invalid', 'call_error', 'unreachable')),
  detail        TEXT,
  applied_at    TIMESTAMPTZ,
  workflow_id   TEXT,
  PRIMARY KEY (station_id, purpose)
);

-- Down Migration
DROP TABLE station_charging_profiles;
