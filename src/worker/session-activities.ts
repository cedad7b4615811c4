/**
 * The workflows' activities that need no charger: routing lookups, the tariff snapshot, the
 * sessions index row, the receipt, and the availability a station took. They run on the session worker.
 * Every write is idempotent, because Temporal retries activities.
 */
import type { Pool } from '../db/pool';
import { inTransaction } from '../db/transaction';
import type { Logger } from '../logger';
import { gatewayTaskQueue } from '../ocpp/charger-commands';
import { loadTariffSnapshotForCharger } from '../tariffs/tariff-repository';
import type { Receipt } from '../../workflows/session-messages';
import type { SessionActivities } from '../../workflows/session-activities';
import { closeSession, recordSessionStatus } from '../sessions/session-rows';
import { recordAvailabilityRequest } from '../stations/availability-store';

export type { SessionActivities };

export interface SessionActivityDeps {
  pool: Pool;
  logger: Logger;
}

export function createSessionActivities({ pool, logger }: SessionActivityDeps): SessionActivities {
  return {
    async lookupChargerRoute(stationId) {
      const { rows } = await pool.query<{ online: boolean; gateway_id: string | null; connection_epoch: number | null }>(
        'SELECT online, gateway_id, connection_epoch FROM chargers WHERE id = $1',
        [stationId],
      );
      const row = rows[0];
      const gatewayId = row?.online ? row.gateway_id : null;
      return {
        stationId,
        online: Boolean(row?.online && gatewayId),
        gatewayId,
        taskQueue: gatewayId ? gatewayTaskQueue(gatewayId) : null,
        connectionEpoch: row?.connection_epoch ?? null,
      };
    },

    loadTariff(stationId, at) {
      return loadTariffSnapshotForCharger(pool, stationId, at);
    },

    recordSessionStatus(update) {
      return recordSessionStatus(pool, update);
    },

    async issueReceipt(receipt) {
      const { inserted, stored } = await inTransaction(pool, async (db) => {
        const insert = await db.query(
          `INSERT INTO receipts (session_id, transaction_id, station_id, connector_id, driver_id, status, stop_reason, currency,
                                 meter_start, meter_stop, energy_kwh, rate_per_kwh, total_cost, soc, start_time, end_time,
                                 flags, line_items, body)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
           ON CONFLICT (session_id) DO NOTHING`,
          [
            receipt.session_id, receipt.transaction_id, receipt.station_id, receipt.connector_id, receipt.driver_id, receipt.status,
            receipt.stop_reason, receipt.currency, receipt.meter_start, receipt.meter_stop, receipt.energy_kwh_exact,
            receipt.rate_per_kwh_exact, receipt.total_cost_exact, receipt.soc, receipt.start_time, receipt.end_time,
            JSON.stringify(receipt.flags), JSON.stringify(receipt.line_items), JSON.stringify(receipt),
          ],
        );
        await closeSession(db, receipt.session_id, receipt.status, receipt.failure_reason);
        const { rows } = await db.query<{ body: Receipt }>('SELECT body FROM receipts WHERE session_id = $1', [receipt.session_id]);
        return { inserted: insert.rowCount === 1, stored: rows[0].body };
      });
      if (!inserted) logger.info({ sessionId: receipt.session_id }, 'receipt already issued; returning the stored one');
      return stored;
    },

    recordAvailabilityRequest(request) {
      return recordAvailabilityRequest(pool, request);
    },
  };
}
