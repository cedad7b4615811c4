/** TransactionLedger in PostgreSQL: transactions, their sessions' rows (through src/sessions/session-rows.ts) and meter samples. */
import type { Pool, PoolClient } from 'pg';
import type { MeterReading } from '../../../workflows/session-messages';
import { inTransaction, isPgError, pgErrorCodes } from '../../db/transaction';
import { attachTransaction, insertStationSession } from '../../sessions/session-rows';
import { newSessionId } from '../../sessions/session-id';
import { authorizationForStart } from '../rules/id-tag-authorization';
import { isConflictSession, sessionForTransaction } from '../rules/transaction-session';
import { findIdTag, idTagInAnotherTransaction } from './pg-id-tags';
import { insertSamples, MeterSampleWriter } from './meter-sample-writer';
import { transactionOfStation, type TransactionRow } from './transaction-rows';
import type { MeterSampleGroup, RecordedFrame, StartedTransaction, StartTransactionInput, StationTransaction, StopTransactionInput, TransactionLedger } from './ports';

export class PgTransactionLedger implements TransactionLedger {
  private readonly writer: MeterSampleWriter;

  constructor(private readonly pool: Pool) {
    this.writer = new MeterSampleWriter(pool);
  }

  async start(input: StartTransactionInput): Promise<StartedTransaction> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(this.pool, (db) => this.startOnce(db, input));
      } catch (err) {
        // A concurrent insert of the same replay key or of an active session on the connector: decide again.
        if (isPgError(err, pgErrorCodes.uniqueViolation) && attempt < 3) continue;
        throw err;
      }
    }
  }

  private async startOnce(db: PoolClient, input: StartTransactionInput): Promise<StartedTransaction> {
    const replay = await this.replayOf(db, input);
    if (replay) return replay;
    const { info, driverId } = await authorizationForStart(await findIdTag(db, input.idTag, input.stationId), () => idTagInAnotherTransaction(db, input.idTag));
    const { rows } = await db.query('SELECT id, transaction_id, driver_id FROM sessions WHERE station_id = $1 AND connector_id = $2 AND active FOR UPDATE', [
      input.stationId,
      input.connectorId,
    ]);
    const decision = sessionForTransaction(rows[0] ? { sessionId: rows[0].id, transactionId: rows[0].transaction_id, driverId: rows[0].driver_id } : null);
    const row = { stationId: input.stationId, connectorId: input.connectorId, driverId, idTag: input.idTag };
    let sessionId: string;
    let sessionDriverId = driverId;
    if (decision.kind === 'awaited') {
      sessionId = decision.sessionId;
      sessionDriverId = decision.driverId ?? driverId;
    } else {
      sessionId = newSessionId();
      await insertStationSession(db, { ...row, sessionId, ...(decision.kind === 'conflict' ? { failureReason: decision.failureReason } : {}) });
    }
    const tx = await db.query(
      `INSERT INTO transactions (session_id, station_id, connector_id, id_tag, meter_start, start_timestamp, reservation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [sessionId, input.stationId, input.connectorId, input.idTag, input.meterStart, input.timestamp, input.reservationId ?? null],
    );
    const transactionId: number = tx.rows[0].id;
    await attachTransaction(db, sessionId, transactionId);
    return {
      transactionId,
      sessionId,
      stationInitiated: decision.kind === 'station_started',
      replay: false,
      conflict: decision.kind === 'conflict',
      driverId: sessionDriverId,
      idTagInfo: info,
    };
  }

  /** The stored transaction with the same replay key (station, connector, id tag, meterStart, timestamp), answered again. */
  private async replayOf(db: PoolClient, input: StartTransactionInput): Promise<StartedTransaction | null> {
    const { rows } = await db.query(
      `SELECT t.id, t.session_id, s.driver_id, s.origin, s.status, s.active, s.failure_reason FROM transactions t JOIN sessions s ON s.id = t.session_id
        WHERE t.station_id = $1 AND t.connector_id = $2 AND lower(t.id_tag) = lower($3) AND t.meter_start = $4 AND t.start_timestamp = $5`,
      [input.stationId, input.connectorId, input.idTag, input.meterStart, input.timestamp],
    );
    const r = rows[0];
    if (!r) return null;
    const { info } = await authorizationForStart(await findIdTag(db, input.idTag, input.stationId), () => idTagInAnotherTransaction(db, input.idTag, r.session_id));
    return {
      transactionId: r.id,
      sessionId: r.session_id,
      stationInitiated: r.origin === 'charger',
      replay: true,
      conflict: isConflictSession({ active: r.active, status: r.status, failureReason: r.failure_reason }),
      driverId: r.driver_id ?? null,
      idTagInfo: info,
    };
  }

  async stop(input: StopTransactionInput): Promise<StationTransaction | null> {
    return inTransaction(this.pool, async (db) => {
      const { rows } = await db.query<TransactionRow>(
        `UPDATE transactions t SET meter_stop = COALESCE(t.meter_stop, $2), stop_timestamp = COALESCE(t.stop_timestamp, $3),
                stop_reason = COALESCE(t.stop_reason, $4), stop_id_tag = COALESCE(t.stop_id_tag, $5),
                transaction_data = COALESCE(t.transaction_data, $6), stopped_at = COALESCE(t.stopped_at, now())
           FROM sessions s
          WHERE t.id = $1 AND t.station_id = $7 AND s.id = t.session_id
          RETURNING t.id, t.session_id, t.connector_id, t.station_id, s.active, s.status`,
        [
          input.transactionId,
          input.meterStop,
          input.timestamp,
          input.reason ?? 'Local',
          input.idTag ?? null,
          input.transactionData ? JSON.stringify(input.transactionData) : null,
          input.stationId,
        ],
      );
      const found = transactionOfStation(rows[0], input.stationId);
      // transactionData of a transaction this station does not have is kept, but not filed under that id.
      if (input.samples?.length) await insertSamples(db, input.stationId, found?.connectorId ?? 0, found ? input.transactionId : null, input.samples);
      return found;
    });
  }

  recordMeterValues(stationId: string, connectorId: number, transactionId: number | null, samples: MeterSampleGroup[], readings: MeterReading[]): Promise<RecordedFrame | null> {
    if (transactionId === null) return insertSamples(this.pool, stationId, connectorId, null, samples).then(() => null);
    return this.writer.write(stationId, connectorId, transactionId, samples, readings);
  }

  async recordLateSamples(stationId: string, connectorId: number, transactionId: number, samples: MeterSampleGroup[]): Promise<void> {
    // Filed under the transaction only if it is this station's, as every sample is.
    const { rows } = await this.pool.query('SELECT 1 FROM transactions WHERE id = $1 AND station_id = $2', [transactionId, stationId]);
    await insertSamples(this.pool, stationId, connectorId, rows.length > 0 ? transactionId : null, samples);
  }
}
