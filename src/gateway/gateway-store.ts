/**
 * Everything the gateway reads and writes in PostgreSQL, named in domain words so the OCPP
 * handlers never spell out SQL.
 */
import type { Pool, PoolClient } from 'pg';
import type { IdTagStatus } from '../ocpp/charger-commands';
import { newSessionId } from '../sessions/session-id';
import { inTransaction } from '../db/transaction';
import { withDefaults, type MeterValue } from './meter-readings';

export type RegistrationStatus = 'Accepted' | 'Pending' | 'Rejected';

export interface IdTagInfo {
  status: IdTagStatus;
  expiryDate?: string;
  parentIdTag?: string;
}

export interface ActiveSession {
  sessionId: string;
  connectorId: number;
}

export interface BootInfo {
  chargePointVendor: string;
  chargePointModel: string;
  chargePointSerialNumber?: string;
  chargeBoxSerialNumber?: string;
  firmwareVersion?: string;
  iccid?: string;
  imsi?: string;
  meterType?: string;
  meterSerialNumber?: string;
}

export interface StatusReport {
  connectorId: number;
  status: string;
  errorCode: string;
  info?: string;
  vendorId?: string;
  vendorErrorCode?: string;
  timestamp?: string;
}

export interface StartTransactionInput {
  stationId: string;
  connectorId: number;
  idTag: string;
  meterStart: number;
  timestamp: string;
  reservationId?: number;
}

export interface StartedTransaction {
  transactionId: number;
  sessionId: string;
  /** True when the session was created for this transaction (origin 'charger'), also on a replay, so a re-forward can create the workflow. */
  stationInitiated: boolean;
  /** Replay of an already stored StartTransaction. */
  replay: boolean;
  /** The connector already had an active session with another transaction: this one is tied to a failed, inactive session row. */
  conflict: boolean;
  driverId: string | null;
  idTagInfo: IdTagInfo;
}

export interface StopTransactionInput {
  stationId: string;
  transactionId: number;
  meterStop: number;
  timestamp: string;
  reason?: string;
  idTag?: string;
  transactionData?: MeterValue[];
}

export interface StoredTransaction {
  transactionId: number;
  sessionId: string;
  connectorId: number;
  stationId: string;
}

export type TransactionRow = StoredTransaction & { active: boolean; failed: boolean };

interface PendingMeterValues {
  stationId: string;
  connectorId: number;
  transactionId: number;
  meterValue: MeterValue[];
  resolve(tx: TransactionRow | null): void;
  reject(err: unknown): void;
}

const UNIQUE_VIOLATION = '23505';
const CONFLICT_REASON = 'connector already in transaction';

export class GatewayStore {
  constructor(private readonly pool: Pool) {}

  async chargerCredentials(stationId: string): Promise<{ passwordHash: string | null; registrationStatus: RegistrationStatus } | null> {
    const { rows } = await this.pool.query('SELECT password_hash, registration_status FROM chargers WHERE id = $1', [stationId]);
    if (rows.length === 0) return null;
    return { passwordHash: rows[0].password_hash, registrationStatus: rows[0].registration_status };
  }

  /** Inserts an auto-registered charger as Pending (no-op when it already exists). */
  async registerPendingCharger(stationId: string, passwordHash: string): Promise<void> {
    await this.pool.query(`INSERT INTO chargers (id, password_hash, registration_status) VALUES ($1, $2, 'Pending') ON CONFLICT (id) DO NOTHING`, [stationId, passwordHash]);
  }

  async newConnectionEpoch(): Promise<number> {
    const { rows } = await this.pool.query(`SELECT nextval('connection_epoch_seq')::bigint AS epoch`);
    return Number(rows[0].epoch);
  }

  /** Routes the charger to this gateway, unless a newer connection (higher epoch) already holds it. */
  async markOnline(stationId: string, gatewayId: string, epoch: number): Promise<boolean> {
    const res = await this.pool.query(
      `UPDATE chargers SET online = true, gateway_id = $2, connection_epoch = $3, connected_at = now()
        WHERE id = $1 AND (connection_epoch IS NULL OR connection_epoch < $3)`,
      [stationId, gatewayId, epoch],
    );
    return (res.rowCount ?? 0) > 0;
  }

  /** Offline only if this connection is still the one routed to; its connectors' status becomes Unknown. */
  async markOffline(stationId: string, epoch: number): Promise<boolean> {
    return inTransaction(this.pool, async (db) => {
      const res = await db.query(
        `UPDATE chargers SET online = false, disconnected_at = now() WHERE id = $1 AND connection_epoch = $2 AND online`,
        [stationId, epoch],
      );
      const changed = (res.rowCount ?? 0) > 0;
      if (changed) await db.query(`UPDATE connectors SET status = 'Unknown', updated_at = now() WHERE station_id = $1`, [stationId]);
      return changed;
    });
  }

  /** Every charger this gateway still routes to goes offline (gateway shutdown). */
  async markGatewayOffline(gatewayId: string): Promise<void> {
    await this.pool.query(`UPDATE chargers SET online = false, disconnected_at = now() WHERE gateway_id = $1 AND online`, [gatewayId]);
  }

  async recordConnectionEvent(e: { stationId: string; gatewayId: string; epoch: number; event: 'connected' | 'disconnected' | 'replaced' | 'auth_failed'; reason?: string; remoteAddress?: string }): Promise<void> {
    await this.pool.query(
      `INSERT INTO connection_events (station_id, gateway_id, connection_epoch, event, reason, remote_address) VALUES ($1, $2, $3, $4, $5, $6)`,
      [e.stationId, e.gatewayId, e.epoch, e.event, e.reason ?? null, e.remoteAddress ?? null],
    );
  }

  async activeSessions(stationId: string): Promise<ActiveSession[]> {
    const { rows } = await this.pool.query('SELECT id, connector_id FROM sessions WHERE station_id = $1 AND active ORDER BY connector_id', [stationId]);
    return rows.map((r) => ({ sessionId: r.id, connectorId: r.connector_id }));
  }

  async activeSessionOn(stationId: string, connectorId: number): Promise<string | null> {
    const { rows } = await this.pool.query('SELECT id FROM sessions WHERE station_id = $1 AND connector_id = $2 AND active', [stationId, connectorId]);
    return rows[0]?.id ?? null;
  }

  /** Stores what the charger reports about itself; returns its registration status. */
  async recordBoot(stationId: string, boot: BootInfo): Promise<RegistrationStatus> {
    const { rows } = await this.pool.query(
      `UPDATE chargers SET vendor = $2, model = $3, serial_number = $4, charge_box_serial_number = $5, firmware_version = $6,
              iccid = $7, imsi = $8, meter_type = $9, meter_serial_number = $10, booted_at = now()
        WHERE id = $1 RETURNING registration_status`,
      [
        stationId,
        boot.chargePointVendor,
        boot.chargePointModel,
        boot.chargePointSerialNumber ?? null,
        boot.chargeBoxSerialNumber ?? null,
        boot.firmwareVersion ?? null,
        boot.iccid ?? null,
        boot.imsi ?? null,
        boot.meterType ?? null,
        boot.meterSerialNumber ?? null,
      ],
    );
    if (rows.length === 0) throw new Error(`charger ${stationId} does not exist`);
    return rows[0].registration_status;
  }

  /** Returns the charger's registration status as stored now (the operator may have changed it). */
  async recordHeartbeat(stationId: string): Promise<RegistrationStatus | null> {
    const { rows } = await this.pool.query('UPDATE chargers SET last_heartbeat_at = now() WHERE id = $1 RETURNING registration_status', [stationId]);
    return rows[0]?.registration_status ?? null;
  }

  async registrationStatus(stationId: string): Promise<RegistrationStatus | null> {
    const { rows } = await this.pool.query('SELECT registration_status FROM chargers WHERE id = $1', [stationId]);
    return rows[0]?.registration_status ?? null;
  }

  async recordStatus(stationId: string, s: StatusReport): Promise<void> {
    const values = [stationId, s.connectorId, s.status, s.errorCode, s.info ?? null, s.vendorId ?? null, s.vendorErrorCode ?? null, s.timestamp ?? null];
    await inTransaction(this.pool, async (db) => {
      await db.query(
        `INSERT INTO status_notifications (station_id, connector_id, status, error_code, info, vendor_id, vendor_error_code, timestamp)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        values,
      );
      await db.query(
        `INSERT INTO connectors (station_id, connector_id, status, error_code, info, vendor_id, vendor_error_code, status_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8::timestamptz, now()), now())
         ON CONFLICT (station_id, connector_id) DO UPDATE SET status = EXCLUDED.status, error_code = EXCLUDED.error_code, info = EXCLUDED.info,
           vendor_id = EXCLUDED.vendor_id, vendor_error_code = EXCLUDED.vendor_error_code, status_at = EXCLUDED.status_at, updated_at = now()`,
        values,
      );
    });
  }

  async recordDiagnosticsStatus(stationId: string, status: string): Promise<void> {
    await this.pool.query('UPDATE chargers SET diagnostics_status = $2, diagnostics_status_at = now() WHERE id = $1', [stationId, status]);
  }

  async recordFirmwareStatus(stationId: string, status: string): Promise<void> {
    await this.pool.query('UPDATE chargers SET firmware_status = $2, firmware_status_at = now() WHERE id = $1', [stationId, status]);
  }

  async recordDataTransfer(stationId: string, d: { vendorId: string; messageId?: string; data?: string; status: string }): Promise<void> {
    await this.pool.query('INSERT INTO data_transfers (station_id, vendor_id, message_id, data, status) VALUES ($1, $2, $3, $4, $5)', [
      stationId,
      d.vendorId,
      d.messageId ?? null,
      d.data ?? null,
      d.status,
    ]);
  }

  /**
   * idTag is CiString20: matched case-insensitively (lower() on both sides; migration 0003).
   * Unknown → Invalid; Blocked → Blocked; Expired, or expiry_date passed → Expired; Invalid → Invalid;
   * for a StartTransaction (`forStart`), an Accepted tag already in an active session that has a
   * transaction (other than `exceptSessionId`) → ConcurrentTx. OCPP 1.6 (§7.2 AuthorizationStatus):
   * ConcurrentTx is "only relevant for a StartTransaction.req": Authorize, which a charger also
   * sends to check the card that stops a transaction, never gets it.
   */
  async idTagInfo(idTag: string, options: { forStart?: boolean; exceptSessionId?: string; db?: Pool | PoolClient } = {}): Promise<{ info: IdTagInfo; driverId: string | null }> {
    const db = options.db ?? this.pool;
    const { rows } = await db.query(
      `SELECT status, expiry_date, parent_id_tag, driver_id, (expiry_date IS NOT NULL AND expiry_date <= now()) AS expired FROM id_tags WHERE lower(id_tag) = lower($1)`,
      [idTag],
    );
    if (rows.length === 0) return { info: { status: 'Invalid' }, driverId: null };
    const row = rows[0];
    const info: IdTagInfo = { status: row.status };
    if (row.expiry_date) info.expiryDate = new Date(row.expiry_date).toISOString();
    if (row.parent_id_tag) info.parentIdTag = row.parent_id_tag;
    if (row.status === 'Accepted' && row.expired) info.status = 'Expired';
    if (info.status === 'Accepted' && options.forStart) {
      const concurrent = await db.query(
        `SELECT 1 FROM sessions WHERE active AND lower(id_tag) = lower($1) AND transaction_id IS NOT NULL AND id <> COALESCE($2, '') LIMIT 1`,
        [idTag, options.exceptSessionId ?? null],
      );
      if (concurrent.rows.length > 0) info.status = 'ConcurrentTx';
    }
    return { info, driverId: row.driver_id ?? null };
  }

  /**
   * Issues (or, for a replay, finds) the transaction and ties it to a session:
   * - replay (same charger, connector, id tag, meterStart, timestamp): the stored transaction;
   * - an active session on the connector waiting for its transaction (app start): that session;
   * - an active session on the connector that already has a transaction: the new transaction is
   *   still stored (the charger did start it) but tied to a new session row that is inactive and
   *   'failed', and is not forwarded to any session;
   * - otherwise (RFID start at the charger): a new active session with origin 'charger'.
   */
  async startTransaction(input: StartTransactionInput): Promise<StartedTransaction> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await inTransaction(this.pool, (db) => this.startTransactionOnce(db, input));
      } catch (err) {
        // A concurrent insert of the same replay key or of an active session on the connector: decide again.
        if ((err as { code?: string }).code === UNIQUE_VIOLATION && attempt < 3) continue;
        throw err;
      }
    }
  }

  private async startTransactionOnce(db: PoolClient, input: StartTransactionInput): Promise<StartedTransaction> {
    const replay = await db.query(
      `SELECT t.id, t.session_id, s.driver_id, s.origin, s.status, s.active, s.failure_reason FROM transactions t JOIN sessions s ON s.id = t.session_id
        WHERE t.station_id = $1 AND t.connector_id = $2 AND lower(t.id_tag) = lower($3) AND t.meter_start = $4 AND t.start_timestamp = $5`,
      [input.stationId, input.connectorId, input.idTag, input.meterStart, input.timestamp],
    );
    if (replay.rows.length > 0) {
      const r = replay.rows[0];
      const { info } = await this.idTagInfo(input.idTag, { forStart: true, exceptSessionId: r.session_id, db });
      return {
        transactionId: r.id,
        sessionId: r.session_id,
        stationInitiated: r.origin === 'charger',
        replay: true,
        conflict: !r.active && r.status === 'failed' && String(r.failure_reason ?? '').startsWith(CONFLICT_REASON),
        driverId: r.driver_id ?? null,
        idTagInfo: info,
      };
    }

    const { info, driverId } = await this.idTagInfo(input.idTag, { forStart: true, db });
    const active = await db.query(
      'SELECT id, transaction_id, driver_id FROM sessions WHERE station_id = $1 AND connector_id = $2 AND active FOR UPDATE',
      [input.stationId, input.connectorId],
    );
    let sessionId: string;
    let stationInitiated = false;
    let conflict = false;
    let sessionDriverId = driverId;
    if (active.rows.length > 0 && active.rows[0].transaction_id === null) {
      sessionId = active.rows[0].id;
      sessionDriverId = active.rows[0].driver_id ?? driverId;
    } else if (active.rows.length > 0) {
      conflict = true;
      sessionId = newSessionId();
      await db.query(
        `INSERT INTO sessions (id, station_id, connector_id, driver_id, id_tag, origin, status, active, failure_reason)
         VALUES ($1, $2, $3, $4, $5, 'charger', 'failed', false, $6)`,
        [sessionId, input.stationId, input.connectorId, driverId, input.idTag, `${CONFLICT_REASON} ${active.rows[0].transaction_id}`],
      );
    } else {
      stationInitiated = true;
      sessionId = newSessionId();
      await db.query(
        `INSERT INTO sessions (id, station_id, connector_id, driver_id, id_tag, origin, status, active)
         VALUES ($1, $2, $3, $4, $5, 'charger', 'charging', true)`,
        [sessionId, input.stationId, input.connectorId, driverId, input.idTag],
      );
    }
    const tx = await db.query(
      `INSERT INTO transactions (session_id, station_id, connector_id, id_tag, meter_start, start_timestamp, reservation_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [sessionId, input.stationId, input.connectorId, input.idTag, input.meterStart, input.timestamp, input.reservationId ?? null],
    );
    const transactionId: number = tx.rows[0].id;
    await db.query('UPDATE sessions SET transaction_id = $2, updated_at = now() WHERE id = $1', [sessionId, transactionId]);
    return { transactionId, sessionId, stationInitiated, replay: false, conflict, driverId: sessionDriverId, idTagInfo: info };
  }

  async transaction(transactionId: number): Promise<(StoredTransaction & { active: boolean; failed: boolean }) | null> {
    const { rows } = await this.pool.query(
      `SELECT t.id, t.session_id, t.connector_id, t.station_id, s.active, s.status FROM transactions t JOIN sessions s ON s.id = t.session_id WHERE t.id = $1`,
      [transactionId],
    );
    if (rows.length === 0) return null;
    const r = rows[0];
    return { transactionId: r.id, sessionId: r.session_id, connectorId: r.connector_id, stationId: r.station_id, active: r.active, failed: r.status === 'failed' && !r.active };
  }

  /** Stores every sampled value; a replayed frame stores nothing twice. */
  async recordMeterValues(stationId: string, connectorId: number, transactionId: number | null, meterValue: MeterValue[], db: Pool | PoolClient = this.pool): Promise<void> {
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const mv of meterValue) {
      for (const raw of mv.sampledValue) {
        const v = withDefaults(raw);
        const base = params.length;
        params.push(stationId, connectorId, transactionId, mv.timestamp, v.measurand, v.phase ?? null, v.unit, v.context, v.location ?? null, v.format, v.value);
        tuples.push(`(${Array.from({ length: 11 }, (_, i) => `$${base + i + 1}`).join(', ')})`);
      }
    }
    if (tuples.length === 0) return;
    await db.query(
      `INSERT INTO meter_samples (station_id, connector_id, transaction_id, timestamp, measurand, phase, unit, context, location, format, value)
       VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`,
      params,
    );
  }

  /**
   * MeterValues with a transaction id: finds the transaction (as `transaction()`) and stores every
   * sampled value, filed under the transaction only if it is this charger's (else without it); a
   * replayed frame stores nothing twice. Returns the transaction as found, or null.
   *
   * Concurrent calls are written together (group commit): while `maxMeterFlushes` statements are in
   * flight, frames queue and the next statement takes them all, so one commit (one WAL flush) and one
   * round trip cover many chargers' frames. Each caller still resolves only after its samples are
   * committed; a statement that fails is retried frame by frame, so one bad frame fails only itself.
   */
  recordTransactionMeterValues(stationId: string, connectorId: number, transactionId: number, meterValue: MeterValue[]): Promise<TransactionRow | null> {
    return new Promise((resolve, reject) => {
      this.meterQueue.push({ stationId, connectorId, transactionId, meterValue, resolve, reject });
      this.flushMeterValues();
    });
  }

  private readonly meterQueue: PendingMeterValues[] = [];
  private meterFlushes = 0;
  private static readonly maxMeterFlushes = 4;
  private static readonly maxFramesPerFlush = 200;

  private flushMeterValues(): void {
    while (this.meterQueue.length > 0 && this.meterFlushes < GatewayStore.maxMeterFlushes) {
      const batch = this.meterQueue.splice(0, GatewayStore.maxFramesPerFlush);
      this.meterFlushes++;
      void this.writeMeterValues(batch)
        .catch(async () => {
          for (const item of batch) await this.writeMeterValues([item]).catch(item.reject);
        })
        .finally(() => {
          this.meterFlushes--;
          this.flushMeterValues();
        });
    }
  }

  /** One statement for the frames of `batch`; resolves each frame's caller when it has committed. */
  private async writeMeterValues(batch: PendingMeterValues[]): Promise<void> {
    const params: unknown[] = [batch.map((b) => b.transactionId)];
    const tuples: string[] = [];
    for (const item of batch) {
      params.push(item.stationId, item.connectorId, item.transactionId);
      const c = params.length - 2;
      for (const mv of item.meterValue) {
        for (const raw of mv.sampledValue) {
          const v = withDefaults(raw);
          const base = params.length;
          params.push(mv.timestamp, v.measurand, v.phase ?? null, v.unit, v.context, v.location ?? null, v.format, v.value);
          tuples.push(
            `($${c}, $${c + 1}::int, (SELECT id FROM tx WHERE id = $${c + 2}::bigint AND station_id = $${c}), ${Array.from({ length: 8 }, (_, i) => `$${base + i + 1}`).join(', ')})`,
          );
        }
      }
    }
    const tx = `SELECT t.id, t.session_id, t.connector_id, t.station_id, s.active, s.status FROM transactions t JOIN sessions s ON s.id = t.session_id WHERE t.id = ANY($1::bigint[])`;
    const { rows } = await this.pool.query(
      tuples.length === 0
        ? tx
        : `WITH tx AS (${tx}), stored AS (
             INSERT INTO meter_samples (station_id, connector_id, transaction_id, timestamp, measurand, phase, unit, context, location, format, value)
             VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING
           )
           SELECT * FROM tx`,
      params,
    );
    const found = new Map<number, TransactionRow>();
    for (const r of rows) {
      found.set(Number(r.id), { transactionId: r.id, sessionId: r.session_id, connectorId: r.connector_id, stationId: r.station_id, active: r.active, failed: r.status === 'failed' && !r.active });
    }
    for (const item of batch) item.resolve(found.get(item.transactionId) ?? null);
  }

  /** Records the stop (the first stop reported wins; a replay changes nothing) and its transactionData samples. */
  async stopTransaction(input: StopTransactionInput): Promise<StoredTransaction | null> {
    return inTransaction(this.pool, async (db) => {
      const { rows } = await db.query(
        `UPDATE transactions SET meter_stop = COALESCE(meter_stop, $2), stop_timestamp = COALESCE(stop_timestamp, $3),
                stop_reason = COALESCE(stop_reason, $4), stop_id_tag = COALESCE(stop_id_tag, $5),
                transaction_data = COALESCE(transaction_data, $6), stopped_at = COALESCE(stopped_at, now())
          WHERE id = $1 AND station_id = $7 RETURNING id, session_id, connector_id, station_id`,
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
      const found = rows[0];
      const connectorId: number = found?.connector_id ?? 0;
      // transactionData of a transaction this charger does not have is kept, but not filed under that id.
      if (input.transactionData?.length) await this.recordMeterValues(input.stationId, connectorId, found ? input.transactionId : null, input.transactionData, db);
      if (!found) return null;
      return { transactionId: found.id, sessionId: found.session_id, connectorId: found.connector_id, stationId: found.station_id };
    });
  }
}
