-- Up Migration
-- Tariffs as charging networks price: per kWh (with time-of-use periods in the station's time
-- zone), per minute of charging, an idle fee after charging finished (with a grace period), a
-- session fee, minimum and maximum price, tax entered net or gross, and a rounding rule.
-- Money is NUMERIC (time-of-use prices are exact decimal strings inside JSONB), never float.
-- Every change to what a tariff charges bumps its version; each version is kept in
-- tariff_versions, so a receipt's (tariff_id, tariff_version) always finds what it was billed by.

ALTER TABLE tariffs
  ADD COLUMN version              INTEGER NOT NULL DEFAULT 1 CHECK (version >= 1),
  ADD COLUMN price_per_minute     NUMERIC(18, 6) CHECK (price_per_minute >= 0),
  ADD COLUMN session_fee          NUMERIC(18, 6) CHECK (session_fee >= 0),
  ADD COLUMN idle_fee_per_minute  NUMERIC(18, 6) CHECK (idle_fee_per_minute >= 0),
  ADD COLUMN idle_grace_minutes   INTEGER CHECK (idle_grace_minutes >= 0),
  ADD COLUMN min_price            NUMERIC(18, 6) CHECK (min_price >= 0),
  ADD COLUMN max_price            NUMERIC(18, 6) CHECK (max_price >= 0),
  ADD COLUMN tax_rate             NUMERIC(9, 6) CHECK (tax_rate >= 0),
  ADD COLUMN prices_include_tax   BOOLEAN NOT NULL DEFAULT FALSE,
  ADD COLUMN rounding             TEXT NOT NULL DEFAULT 'per_line' CHECK (rounding IN ('per_line', 'total')),
  -- [{ "name"?, "days"?: ["mon", …], "from": "07:00", "to": "22:00", "energyPricePerKwh": "0.40" }]
  ADD COLUMN time_of_use          JSONB NOT NULL DEFAULT '[]',
  ADD COLUMN updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  ADD CONSTRAINT tariffs_min_not_above_max CHECK (min_price IS NULL OR max_price IS NULL OR min_price <= max_price);

CREATE TABLE tariff_versions (
  tariff_id   TEXT NOT NULL,
  version     INTEGER NOT NULL,
  -- The tariff row as it was (to_jsonb: NUMERIC stays exact in JSONB).
  tariff      JSONB NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (tariff_id, version)
);

-- A change to anything that prices a session is a new version (the default flag is not).
CREATE FUNCTION tariffs_bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (NEW.name, NEW.currency, NEW.rate_per_kwh, NEW.price_per_minute, NEW.session_fee, NEW.idle_fee_per_minute,
      NEW.idle_grace_minutes, NEW.min_price, NEW.max_price, NEW.tax_rate, NEW.prices_include_tax, NEW.rounding, NEW.time_of_use)
     IS DISTINCT FROM
     (OLD.name, OLD.currency, OLD.rate_per_kwh, OLD.price_per_minute, OLD.session_fee, OLD.idle_fee_per_minute,
      OLD.idle_grace_minutes, OLD.min_price, OLD.max_price, OLD.tax_rate, OLD.prices_include_tax, OLD.rounding, OLD.time_of_use)
  THEN
    NEW.version := OLD.version + 1;
    NEW.updated_at := now();
  ELSE
    NEW.version := OLD.version;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER tariffs_version BEFORE UPDATE ON tariffs FOR EACH ROW EXECUTE FUNCTION tariffs_bump_version();

CREATE FUNCTION tariffs_keep_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO tariff_versions (tariff_id, version, tariff) VALUES (NEW.id, NEW.version, to_jsonb(NEW))
    ON CONFLICT (tariff_id, version) DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER tariffs_history AFTER INSERT OR UPDATE ON tariffs FOR EACH ROW EXECUTE FUNCTION tariffs_keep_version();

INSERT INTO tariff_versions (tariff_id, version, tariff) SELECT id, version, to_jsonb(t) FROM tariffs t;

-- Down Migration
DROP TRIGGER IF EXISTS tariffs_history ON tariffs;
DROP TRIGGER IF EXISTS tariffs_version ON tariffs;
DROP FUNCTION IF EXISTS tariffs_keep_version();
DROP FUNCTION IF EXISTS tariffs_bump_version();
DROP TABLE IF EXISTS tariff_versions;
ALTER TABLE tariffs
  DROP CONSTRAINT IF EXISTS tariffs_min_not_above_max,
  DROP COLUMN version, DROP COLUMN price_per_minute, DROP COLUMN session_fee, DROP COLUMN idle_fee_per_minute,
  DROP COLUMN idle_grace_minutes, DROP COLUMN min_price, DROP COLUMN max_price, DROP COLUMN tax_rate,
  DROP COLUMN prices_include_tax, DROP COLUMN rounding, DROP COLUMN time_of_use, DROP COLUMN updated_at;
