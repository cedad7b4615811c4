/** The gateway's storage in PostgreSQL. */
import type { Pool } from 'pg';
import { PgActiveSessions, PgConnectionRoutes } from './pg-connection-routes';
import { PgIdTagRegister } from './pg-id-tags';
import { PgChargerTransactionIds } from './pg-charger-transaction-ids';
import { PgSessionOutbox } from './pg-session-outbox';
import { PgStationRegistry } from './pg-stations';
import { PgTransactionLedger } from './pg-transactions';
import type { GatewayStorage } from './ports';

export function createPgGatewayStorage(pool: Pool): GatewayStorage {
  return {
    stations: new PgStationRegistry(pool),
    routes: new PgConnectionRoutes(pool),
    idTags: new PgIdTagRegister(pool),
    sessions: new PgActiveSessions(pool),
    transactions: new PgTransactionLedger(pool),
    outbox: new PgSessionOutbox(pool),
    chargerTransactionIds: new PgChargerTransactionIds(pool),
  };
}
