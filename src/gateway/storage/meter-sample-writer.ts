/**
 * Writes meter samples. A MeterValues frame with a transaction id is written by group commit:
 * while `maxInFlight` statements run, frames queue and the next statement takes them all, so
 * one commit (one WAL flush) and one round trip cover many stations' frames. Each caller still
 * resolves only after its samples are committed; a statement that fails is retried frame by
 * frame, so one bad frame fails only itself. The same statement looks the transaction up, so a
 * frame costs one round trip in all.
 *
 * The same statement writes the session outbox (src/db/migrations/0005_session-outbox.sql): for a
 * frame whose transaction a session follows, the readings its workflow is to be told. So once a
 * frame is acknowledged its readings are durable for the session too, and the answer to the
 * station never waits for Temporal.
 */
import type { Pool, PoolClient } from 'pg';
import type { MeterReading, TransactionMeterValuesEvent } from '../../../workflows/session-messages';
import { isFollowedSql } from '../rules/transaction-session';
import { transactionOfStation, transactionRowsSql, type TransactionRow } from './transaction-rows';
import type { MeterSampleGroup, RecordedFrame } from './ports';

type Db = Pick<Pool | PoolClient, 'query'>;

const sampleColumns = 'station_id, connector_id, transaction_id, timestamp, measurand, phase, unit, context, location, format, value';

const placeholders = (from: number, count: number): string => Array.from({ length: count }, (_, i) => `$${from + i + 1}`).join(', ');

/** Stores every sample (a replayed frame stores nothing twice), under `transactionId` as given. */
export async function insertSamples(db: Db, stationId: string, connectorId: number, transactionId: number | null, groups: MeterSampleGroup[]): Promise<void> {
  const params: unknown[] = [];
  const tuples: string[] = [];
  for (const group of groups) {
    for (const v of group.samples) {
      const base = params.length;
      params.push(stationId, connectorId, transactionId, group.timestamp, v.measurand, v.phase ?? null, v.unit, v.context, v.location ?? null, v.format, v.value);
      tuples.push(`(${placeholders(base, 11)})`);
    }
  }
  if (tuples.length === 0) return;
  await db.query(`INSERT INTO meter_samples (${sampleColumns}) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`, params);
}

/** A frame's outbox event as stored: the session id is its transaction's. */
const outboxEventOf = (frame: QueuedFrame): Omit<TransactionMeterValuesEvent, 'sessionId'> => ({
  stationId: frame.stationId,
  connectorId: frame.connectorId,
  transactionId: frame.transactionId,
  readings: frame.readings,
});

interface QueuedFrame {
  stationId: string;
  connectorId: number;
  transactionId: number;
  groups: MeterSampleGroup[];
  readings: MeterReading[];
  resolve(tx: RecordedFrame | null): void;
  reject(err: unknown): void;
}

export class MeterSampleWriter {
  private readonly queue: QueuedFrame[] = [];
  private inFlight = 0;

  constructor(
    private readonly pool: Pool,
    private readonly limits = { maxInFlight: 4, maxFramesPerStatement: 200 },
  ) {}

  /** Samples claiming a transaction the station does not have are kept without it; resolves to the station's transaction, or null. */
  write(stationId: string, connectorId: number, transactionId: number, groups: MeterSampleGroup[], readings: MeterReading[]): Promise<RecordedFrame | null> {
    return new Promise((resolve, reject) => {
      this.queue.push({ stationId, connectorId, transactionId, groups, readings, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.inFlight < this.limits.maxInFlight) {
      const batch = this.queue.splice(0, this.limits.maxFramesPerStatement);
      this.inFlight++;
      void this.writeBatch(batch)
        .catch(async () => {
          for (const frame of batch) await this.writeBatch([frame]).catch(frame.reject);
        })
        .finally(() => {
          this.inFlight--;
          this.flush();
        });
    }
  }

  /** One statement for the frames of `batch`; resolves each frame's caller when it has committed. */
  private async writeBatch(batch: QueuedFrame[]): Promise<void> {
    const params: unknown[] = [batch.map((b) => b.transactionId)];
    const tuples: string[] = [];
    const outbox: string[] = [];
    for (const frame of batch) {
      params.push(frame.stationId, frame.connectorId, frame.transactionId);
      const c = params.length - 2;
      // Filed under the transaction only if it is this station's.
      const transaction = `(SELECT id FROM tx WHERE id = $${c + 2}::bigint AND station_id = $${c})`;
      for (const group of frame.groups) {
        for (const v of group.samples) {
          const base = params.length;
          params.push(group.timestamp, v.measurand, v.phase ?? null, v.unit, v.context, v.location ?? null, v.format, v.value);
          tuples.push(`($${c}, $${c + 1}::int, ${transaction}, ${placeholders(base, 8)})`);
        }
      }
      // The session id is the transaction's, added when the entry is read (SessionOutbox.pending).
      params.push(JSON.stringify(outboxEventOf(frame)));
      outbox.push(`(${outbox.length}, $${c + 2}::bigint, $${c}, $${params.length}::jsonb)`);
    }
    const ctes = [`tx AS (${transactionRowsSql} WHERE t.id = ANY($1::bigint[]))`];
    if (tuples.length > 0) ctes.push(`stored AS (INSERT INTO meter_samples (${sampleColumns}) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING)`);
    ctes.push(`outbox AS (
      INSERT INTO session_outbox (session_id, event)
      SELECT tx.session_id, f.event FROM (VALUES ${outbox.join(', ')}) AS f(ord, transaction_id, station_id, event)
      JOIN tx ON tx.id = f.transaction_id AND tx.station_id = f.station_id
      WHERE ${isFollowedSql('tx')}
      ORDER BY f.ord
      RETURNING id)`);
    const { rows } = await this.pool.query<TransactionRow & { outbox_ids: string[] }>(
      `WITH ${ctes.join(', ')} SELECT tx.*, (SELECT coalesce(array_agg(id ORDER BY id), '{}') FROM outbox) AS outbox_ids FROM tx`,
      params,
    );
    const byId = new Map(rows.map((r) => [Number(r.id), r]));
    const transactions = batch.map((frame) => transactionOfStation(byId.get(frame.transactionId), frame.stationId));
    // The entries' ids follow the frames' order (one INSERT … SELECT … ORDER BY draws them in it),
    // one per frame of a followed transaction; should the counts ever differ, the forwarder reads them instead.
    const ids = (rows[0]?.outbox_ids ?? []).map(Number);
    const followed = transactions.filter((tx) => tx?.followed).length;
    let next = 0;
    batch.forEach((frame, i) => {
      const tx = transactions[i];
      const id = tx?.followed && ids.length === followed ? ids[next++] : undefined;
      frame.resolve(tx && { ...tx, outboxEntry: id === undefined ? null : { id, sessionId: tx.sessionId, event: { sessionId: tx.sessionId, ...outboxEventOf(frame) } } });
    });
  }
}
