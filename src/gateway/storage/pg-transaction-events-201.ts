/** TransactionEvents201 in PostgreSQL: ocpp201_transactions (the id mapping and the folded state) and ocpp201_transaction_events (seqNos seen, samples held). */
import type { Pool } from 'pg';
import { inTransaction } from '../../db/transaction';
import type { RemoteStartRecord, Transaction201State } from '../rules/transaction-events-201';
import type { PendingSamples201, Transaction201, TransactionEvents201 } from './ports';

interface Row {
  station_id: string;
  charger_transaction_id: string;
  transaction_id: number | null;
  state: Transaction201State;
  started_event: Transaction201['started'];
  started_forwarded: boolean;
  stopped_event: Transaction201['stopped'];
  stopped_forwarded: boolean;
  followed: boolean;
}

const columns = 'station_id, charger_transaction_id, transaction_id, state, started_event, started_forwarded, stopped_event, stopped_forwarded, followed';

const transactionOf = (r: Row): Transaction201 => ({
  stationId: r.station_id,
  chargerTransactionId: r.charger_transaction_id,
  transactionId: r.transaction_id,
  state: r.state,
  started: r.started_event,
  startedForwarded: r.started_forwarded,
  stopped: r.stopped_event,
  stoppedForwarded: r.stopped_forwarded,
  followed: r.followed,
});

export class PgTransactionEvents201 implements TransactionEvents201 {
  constructor(private readonly pool: Pool) {}

  record(...[stationId, chargerTransactionId, event, fold, pending]: Parameters<TransactionEvents201['record']>): ReturnType<TransactionEvents201['record']> {
    return inTransaction(this.pool, async (db) => {
      // Created, or found and locked (DO UPDATE takes the row lock), in one round trip: one event of a transaction at a time.
      const { rows } = await db.query<Row>(
        `INSERT INTO ocpp201_transactions (station_id, charger_transaction_id) VALUES ($1, $2)
         ON CONFLICT (station_id, charger_transaction_id) DO UPDATE SET station_id = EXCLUDED.station_id RETURNING ${columns}`,
        [stationId, chargerTransactionId],
      );
      // Folded first: the fold may add to what is held (a change read against the state before it).
      const state = fold(rows[0].state);
      const noted = await db.query(
        `INSERT INTO ocpp201_transaction_events (station_id, charger_transaction_id, seq_no, event_type, offline, pending)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
        [stationId, chargerTransactionId, event.seqNo, event.eventType, event.offline, JSON.stringify(pending)],
      );
      if (noted.rowCount === 0) return { duplicate: true, transaction: transactionOf(rows[0]) };
      const updated = await db.query<Row>(
        `UPDATE ocpp201_transactions SET state = $3, last_seq_no = GREATEST(last_seq_no, $4), evse_id = COALESCE(evse_id, $5), remote_start_id = COALESCE(remote_start_id, $6)
          WHERE station_id = $1 AND charger_transaction_id = $2 RETURNING ${columns}`,
        [stationId, chargerTransactionId, JSON.stringify(state), event.seqNo, state.evseId ?? null, state.remoteStartId ?? null],
      );
      return { duplicate: false, transaction: transactionOf(updated.rows[0]) };
    });
  }

  async remoteStart(stationId: string, remoteStartId: number): Promise<RemoteStartRecord | null> {
    const { rows } = await this.pool.query<{ evse_id: number | null; id_token: string }>(
      'SELECT evse_id, id_token FROM ocpp201_remote_starts WHERE remote_start_id = $1 AND station_id = $2',
      [remoteStartId, stationId],
    );
    return rows[0] ? { evseId: rows[0].evse_id, idToken: rows[0].id_token } : null;
  }

  async pending(stationId: string, chargerTransactionId: string): Promise<PendingSamples201[]> {
    const { rows } = await this.pool.query<{ pending: PendingSamples201 }>(
      'SELECT pending FROM ocpp201_transaction_events WHERE station_id = $1 AND charger_transaction_id = $2 AND pending IS NOT NULL ORDER BY seq_no',
      [stationId, chargerTransactionId],
    );
    return rows.map((r) => r.pending);
  }

  async applied(stationId: string, chargerTransactionId: string, seqNos: number[]): Promise<void> {
    if (seqNos.length === 0) return;
    await this.pool.query('UPDATE ocpp201_transaction_events SET pending = NULL WHERE station_id = $1 AND charger_transaction_id = $2 AND seq_no = ANY($3::int[])', [
      stationId,
      chargerTransactionId,
      seqNos,
    ]);
  }

  async update(...[stationId, chargerTransactionId, progress]: Parameters<TransactionEvents201['update']>): Promise<Transaction201> {
    const { rows } = await this.pool.query<Row>(
      // Our transaction is one station transaction's only: a ledger start that found another's (a replay key alike) maps nothing.
      `UPDATE ocpp201_transactions o SET transaction_id = COALESCE(o.transaction_id, (SELECT $3::int WHERE NOT EXISTS (SELECT 1 FROM ocpp201_transactions x WHERE x.transaction_id = $3::int))),
              started_event = COALESCE($4, o.started_event), started_forwarded = o.started_forwarded OR $5,
              stopped_event = COALESCE($6, o.stopped_event), stopped_forwarded = o.stopped_forwarded OR $7,
              followed = COALESCE($8, o.followed)
        WHERE station_id = $1 AND charger_transaction_id = $2 RETURNING ${columns}`,
      [
        stationId,
        chargerTransactionId,
        progress.transactionId ?? null,
        progress.started ? JSON.stringify(progress.started) : null,
        progress.startedForwarded ?? false,
        progress.stopped ? JSON.stringify(progress.stopped) : null,
        progress.stoppedForwarded ?? false,
        progress.followed ?? null,
      ],
    );
    return transactionOf(rows[0]);
  }
}
