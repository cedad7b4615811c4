-- Up Migration
-- One name for the charger from the wire to the database: station_id (the public API's
-- stationId; OCPP 2.0.1's ChargingStation). Indexes, keys and constraints follow the columns.
ALTER TABLE connectors RENAME COLUMN charger_id TO station_id;
ALTER TABLE status_notifications RENAME COLUMN charger_id TO station_id;
ALTER TABLE sessions RENAME COLUMN charger_id TO station_id;
ALTER TABLE transactions RENAME COLUMN charger_id TO station_id;
ALTER TABLE meter_samples RENAME COLUMN charger_id TO station_id;
ALTER TABLE receipts RENAME COLUMN charger_id TO station_id;
ALTER TABLE connection_events RENAME COLUMN charger_id TO station_id;
ALTER TABLE data_transfers RENAME COLUMN charger_id TO station_id;
ALTER INDEX connection_events_by_charger RENAME TO connection_events_by_station;

-- Down Migration
ALTER INDEX connection_events_by_station RENAME TO connection_events_by_charger;
ALTER TABLE data_transfers RENAME COLUMN station_id TO charger_id;
ALTER TABLE connection_events RENAME COLUMN station_id TO charger_id;
ALTER TABLE receipts RENAME COLUMN station_id TO charger_id;
ALTER TABLE meter_samples RENAME COLUMN station_id TO charger_id;
ALTER TABLE transactions RENAME COLUMN station_id TO charger_id;
ALTER TABLE sessions RENAME COLUMN station_id TO charger_id;
ALTER TABLE status_notifications RENAME COLUMN station_id TO charger_id;
ALTER TABLE connectors RENAME COLUMN station_id TO charger_id;
