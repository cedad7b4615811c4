/** ChargerTransactionIds in PostgreSQL: ocpp201_transactions (migration 0014), filled by the TransactionEvent handler. */
import type { Pool } from 'pg';
import type { ChargerTransactionIds } from './ports';

export class PgChargerTransactionIds implements ChargerTransactionIds {
  constructor(private readonly pool: Pool) {}

  async ofTransaction(stationId: string, transactionId: number): Promise<string | null> {
    const { rows } = await this.pool.query('SELECT charger_transaction_id FROM ocpp201_transactions WHERE station_id = $1 AND transaction_id = $2', [stationId, transactionId]);
    return rows[0]?.charger_transaction_id ?? null;
  }

  /** Running: our transaction has not stopped (as the API's profile store reads it, src/api/stores/station-profile-store.ts). */
  async runningOnEvse(stationId: string, evseId: number): Promise<string | null> {
    const { rows } = await this.pool.query(
      `SELECT o.charger_transaction_id FROM ocpp201_transactions o JOIN transactions t ON t.id = o.transaction_id
        WHERE o.station_id = $1 AND t.station_id = $1 AND t.connector_id = $2 AND t.stopped_at IS NULL
        ORDER BY t.created_at DESC LIMIT 1`,
      [stationId, evseId],
    );
    return rows[0]?.charger_transaction_id ?? null;
  }
}
