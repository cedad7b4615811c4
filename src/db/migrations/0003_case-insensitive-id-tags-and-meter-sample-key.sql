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

-- A meter sample's replay key includes its format and unit: a Raw and a SignedData sample of one
-- measurand at one timestamp (or one value in two units) are two samples, not a replay. The
-- INSERTs into meter_samples use ON CONFLICT DO NOTHING without a target, so they follow this index.
DROP INDEX meter_samples_replay_key;
CREATE UNIQUE INDEX meter_samples_replay_key ON meter_samples
  (charger_id, connector_id, COALESCE(transaction_id, -1), timestamp, measurand, COALESCE(phase, ''), COALESCE(location, ''), context,
   COALESCE(format, ''), COALESCE(unit, ''));

-- Down Migration
-- The narrower key keeps the first stored of the samples it cannot tell apart.
DELETE FROM meter_samples WHERE id IN (
  SELECT id FROM (
    SELECT id, row_number() OVER (
      PARTITION BY charger_id, connector_id, COALESCE(transaction_id, -1), timestamp, measurand, COALESCE(phase, ''), COALESCE(location, ''), context
      ORDER BY id) AS n
    FROM meter_samples) AS ranked
  WHERE n > 1);
DROP INDEX meter_samples_replay_key;
CREATE UNIQUE INDEX meter_samples_replay_key ON meter_samples
  (charger_id, connector_id, COALESCE(transaction_id, -1), timestamp, measurand, COALESCE(phase, ''), COALESCE(location, ''), context);
DROP INDEX transactions_replay_key;
CREATE UNIQUE INDEX transactions_replay_key ON transactions (charger_id, connector_id, id_tag, meter_start, start_timestamp);
DROP INDEX sessions_active_by_id_tag;
DROP INDEX id_tags_id_tag_lower_key;
