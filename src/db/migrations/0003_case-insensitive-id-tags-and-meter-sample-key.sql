-- Up Migration
-- OCPP 1.6 idTag is a CiString20: case-insensitive. "04A2BC" and "04a2bc" are one tag, stored in
-- the spelling it was registered with and looked up with lower() on both sides.
-- On a database that already holds two spellings of one tag this migration stops, naming them:
-- an operator decides which one stays.
DO $$
DECLARE
  clash TEXT;
BEGIN
  SELECT string_agg(tags, '; ') INTO clash
    FROM (SELECT string_agg(id_tag, ', ' ORDER BY id_tag) AS tags FROM id_tags GROUP BY lower(id_tag) HAVING count(*) > 1) AS dup;
  IF clash IS NOT NULL THEN
    RAISE EXCEPTION 'id tags that differ only in case (OCPP 1.6 idTag is case-insensitive): %', clash;
  END IF;
END $$;
CREATE UNIQUE INDEX id_tags_id_tag_lower_key ON id_tags (lower(id_tag));
-- Authorize/StartTransaction check for a concurrent transaction of the same tag.
CREATE INDEX sessions_active_by_id_tag ON sessions (lower(id_tag)) WHERE active;
-- A replayed StartTransaction is the same one whatever the case of its idTag.
DROP INDEX transactions_replay_key;
CREATE UNIQUE INDEX transactions_replay_key ON transactions (charger_id, connector_id, lower(id_tag), meter_start, start_timestamp);

-- Down Migration
DROP INDEX transactions_replay_key;
CREATE UNIQUE INDEX transactions_replay_key ON transactions (charger_id, connector_id, id_tag, meter_start, start_timestamp);
DROP INDEX sessions_active_by_id_tag;
DROP INDEX id_tags_id_tag_lower_key;
