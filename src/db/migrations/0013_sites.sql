-- Up Migration
-- Site load management: a site is a set of stations behind one grid connection whose limit the
-- site's workflow shares among its charging sessions. `limit_kw` holds outside every window of
-- `limit_windows` ([{ "from": "HH:MM", "to": "HH:MM", "limitKw": "…" }], local time in
-- `time_zone`; the lowest applies where windows overlap). A station is in at most one site (the
-- primary key of site_stations); `max_power_kw` is the charger's own maximum (NULL: 32 A per
-- phase on its wiring).
CREATE TABLE sites (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL,
  time_zone      TEXT NOT NULL DEFAULT 'UTC',
  limit_kw       NUMERIC(10, 3) NOT NULL CHECK (limit_kw >= 0),
  limit_windows  JSONB NOT NULL DEFAULT '[]',
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE site_stations (
  station_id    TEXT PRIMARY KEY REFERENCES chargers (id) ON DELETE CASCADE ON UPDATE CASCADE,
  site_id       TEXT NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  max_power_kw  NUMERIC(8, 3) CHECK (max_power_kw > 0)
);
CREATE INDEX site_stations_by_site ON site_stations (site_id);

-- Down Migration
DROP TABLE site_stations;
DROP TABLE sites;
