/** The gateway's storage in PostgreSQL. */
import type { Pool } from 'pg';
import { PgActiveSessions, PgConnectionRoutes } from './pg-connection-routes';
import { PgChargerTransactionIds } from './pg-charger-transaction-ids';
import { PgIdTagRegister } from './pg-id-tags';
import { PgOcpp201CommandRecords } from './pg-ocpp201-commands';
import { PgSessionOutbox } from './pg-session-outbox';
import { PgStationReports } from './pg-station-reports';
import { PgStationRegistry } from './pg-stations';
import { PgTransactionEvents201 } from './pg-transaction-events-201';
import { PgTransactionLedger } from './pg-transactions';
import type { GatewayStorage } from './ports';

export function createPgGatewayStorage(pool: Pool): GatewayStorage {
  return {
    stations: new PgStationRegistry(pool),
    reports: new PgStationReports(pool),
    routes: new PgConnectionRoutes(pool),
    idTags: new PgIdTagRegister(pool),
    sessions: new PgActiveSessions(pool),
    transactions: new PgTransactionLedger(pool),
    outbox: new PgSessionOutbox(pool),
    transactions201: new PgTransactionEvents201(pool),
    chargerTransactionIds: new PgChargerTransactionIds(pool),
    commands201: new PgOcpp201CommandRecords(pool),
  };
}
