-- Up Migration
-- How a station is wired, so a power limit in W and a current limit in A can be converted
-- (OCPP 1.6 smart charging: chargingRateUnit W or A, a current limit per phase). `phases`: the
-- phases connected (1 or 3); `nominal_voltage_v`: phase-to-neutral voltage. Defaults are a
-- European three-phase 230 V connection; the operator sets them per station.
ALTER TABLE chargers
  ADD COLUMN phases SMALLINT NOT NULL DEFAULT 3 CHECK (phases IN (1, 3)),
  ADD COLUMN nominal_voltage_v INTEGER NOT NULL DEFAULT 230 CHECK (nominal_voltage_v BETWEEN 100 AND 480);

-- Down Migration
ALTER TABLE chargers DROP COLUMN phases, DROP COLUMN nominal_voltage_v;
