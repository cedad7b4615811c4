-- Up Migration
-- Local authorization lists (OCPP 1.6 §3.5, Local Auth List Management) and revocation that
-- reaches chargers.

-- Who may charge where. A station in no access group admits every driver's id tags (the
-- default); a station in one or more groups admits only the drivers of those groups. A
-- restriction to one station is a group with one station. Drivers, not tags, are members, so a
-- driver's new tag is admitted where the driver is.
CREATE TABLE station_access_groups (
  id          TEXT PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9._:-]{1,64}$'),
  name        TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE station_access_group_stations (
  group_id    TEXT NOT NULL REFERENCES station_access_groups (id) ON DELETE CASCADE,
  station_id  TEXT NOT NULL REFERENCES chargers (id) ON DELETE CASCADE ON UPDATE CASCADE,
  PRIMARY KEY (group_id, station_id)
);
CREATE INDEX station_access_group_stations_by_station ON station_access_group_stations (station_id);
CREATE TABLE station_access_group_drivers (
  group_id    TEXT NOT NULL REFERENCES station_access_groups (id) ON DELETE CASCADE,
  driver_id   TEXT NOT NULL REFERENCES drivers (id) ON DELETE CASCADE,
  PRIMARY KEY (group_id, driver_id)
);

-- Every revocation of an id tag (Accepted → Blocked/Expired/Invalid, or the tag removed, its
-- driver deleted), written by a trigger in the same transaction as the change, whoever makes
-- it. A station whose cache_cleared_through is below the newest seq is due a ClearCache.
CREATE TABLE id_tag_revocations (
  seq      BIGSERIAL PRIMARY KEY,
  id_tag   TEXT NOT NULL,
  reason   TEXT NOT NULL CHECK (reason IN ('status', 'removed')),
  at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE FUNCTION record_id_tag_revocation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.status = 'Accepted' THEN
      INSERT INTO id_tag_revocations (id_tag, reason) VALUES (OLD.id_tag, 'removed');
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.status = 'Accepted' AND NEW.status <> 'Accepted' THEN
    INSERT INTO id_tag_revocations (id_tag, reason) VALUES (NEW.id_tag, 'status');
  ELSIF OLD.status = 'Accepted' AND NEW.expiry_date IS NOT NULL AND NEW.expiry_date <= now()
        AND (OLD.expiry_date IS NULL OR OLD.expiry_date > now()) THEN
    INSERT INTO id_tag_revocations (id_tag, reason) VALUES (NEW.id_tag, 'status');
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER id_tags_revocation AFTER UPDATE OR DELETE ON id_tags
  FOR EACH ROW EXECUTE FUNCTION record_id_tag_revocation();

-- Per station, what the sync workflow (workflows/local-list-sync.ts, its only writer besides the
-- operator's resync request) knows: what the station has confirmed, and how the sync stands.
CREATE TABLE station_local_lists (
  station_id             TEXT PRIMARY KEY REFERENCES chargers (id) ON DELETE CASCADE ON UPDATE CASCADE,
  -- unknown: not asked yet; local_list: the station keeps one; cache_only: it answered
  -- NotSupported / NotImplemented / -1, so it is kept on its authorization cache alone.
  mode                   TEXT NOT NULL DEFAULT 'unknown' CHECK (mode IN ('unknown', 'local_list', 'cache_only')),
  -- The list version the station accepted last, and the entries it then holds
  -- ([{ idTag, idTagInfo }]); NULL: nothing confirmed yet.
  confirmed_version      INTEGER,
  confirmed_entries      JSONB NOT NULL DEFAULT '[]',
  sync_state             TEXT NOT NULL DEFAULT 'pending'
                         CHECK (sync_state IN ('pending', 'in_sync', 'waiting_for_station', 'failed', 'cache_only')),
  detail                 TEXT,
  -- Entries left off because the list is longer than the station's LocalAuthListMaxLength.
  left_out               INTEGER NOT NULL DEFAULT 0,
  max_list_length        INTEGER,
  max_per_message        INTEGER,
  -- The operator asked for a full list (POST …/local-list/resync); cleared when one is accepted.
  full_resync_requested  BOOLEAN NOT NULL DEFAULT FALSE,
  -- The newest id_tag_revocations.seq a ClearCache accepted after it covers.
  cache_cleared_through  BIGINT NOT NULL DEFAULT 0,
  workflow_id            TEXT,
  synced_at              TIMESTAMPTZ,
  updated_at             TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Down Migration
DROP TABLE station_local_lists;
DROP TRIGGER id_tags_revocation ON id_tags;
DROP FUNCTION record_id_tag_revocation();
DROP TABLE id_tag_revocations;
DROP TABLE station_access_group_drivers;
DROP TABLE station_access_group_stations;
DROP TABLE station_access_groups;
