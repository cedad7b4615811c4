/** StationRegistry in PostgreSQL: the chargers row a station reports into, its connectors and its logs. */
import type { Pool } from 'pg';
import { inTransaction } from '../../db/transaction';
import type { RegistrationStatus } from '../rules/registration';
import type { ConnectorStatusReport, ReportedStatus, StationBoot, StationCredentials, StationRegistry } from './ports';

export class PgStationRegistry implements StationRegistry {
  constructor(private readonly pool: Pool) {}

  async credentials(stationId: string): Promise<StationCredentials | null> {
    const { rows } = await this.pool.query('SELECT password_hash, registration_status FROM chargers WHERE id = $1', [stationId]);
    if (rows.length === 0) return null;
    return { passwordHash: rows[0].password_hash, registrationStatus: rows[0].registration_status };
  }

  async registerPending(stationId: string, passwordHash: string): Promise<void> {
    await this.pool.query(`INSERT INTO chargers (id, password_hash, registration_status) VALUES ($1, $2, 'Pending') ON CONFLICT (id) DO NOTHING`, [stationId, passwordHash]);
  }

  async registrationStatus(stationId: string): Promise<RegistrationStatus | null> {
    const { rows } = await this.pool.query('SELECT registration_status FROM chargers WHERE id = $1', [stationId]);
    return rows[0]?.registration_status ?? null;
  }

  async recordBoot(stationId: string, boot: StationBoot): Promise<RegistrationStatus> {
    const { rows } = await this.pool.query(
      `UPDATE chargers SET vendor = $2, model = $3, serial_number = $4, charge_box_serial_number = $5, firmware_version = $6,
              iccid = $7, imsi = $8, meter_type = $9, meter_serial_number = $10, boot_reason = $11, booted_at = now()
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
        boot.reason ?? null,
      ],
    );
    if (rows.length === 0) throw new Error(`station ${stationId} does not exist`);
    return rows[0].registration_status;
  }

  async recordHeartbeat(stationId: string): Promise<RegistrationStatus | null> {
    const { rows } = await this.pool.query('UPDATE chargers SET last_heartbeat_at = now() WHERE id = $1 RETURNING registration_status', [stationId]);
    return rows[0]?.registration_status ?? null;
  }

  async recordConnectorStatus(stationId: string, s: ConnectorStatusReport): Promise<void> {
    const values = [stationId, s.connectorId, s.status, s.errorCode, s.info ?? null, s.vendorId ?? null, s.vendorErrorCode ?? null, s.timestamp ?? null];
    await inTransaction(this.pool, async (db) => {
      await db.query(
        `INSERT INTO status_notifications (station_id, connector_id, status, error_code, info, vendor_id, vendor_error_code, timestamp, evse_connector_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
        [...values, s.evseConnectorId ?? null],
      );
      await db.query(
        `INSERT INTO connectors (station_id, connector_id, status, error_code, info, vendor_id, vendor_error_code, status_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, COALESCE($8::timestamptz, now()), now())
         ON CONFLICT (station_id, connector_id) DO UPDATE SET status = EXCLUDED.status, error_code = EXCLUDED.error_code, info = EXCLUDED.info,
           vendor_id = EXCLUDED.vendor_id, vendor_error_code = EXCLUDED.vendor_error_code, status_at = EXCLUDED.status_at, updated_at = now()`,
        values,
      );
      // A ChangeAvailability the station answered Scheduled is done once it reports the new state
      // (Unavailable for Inoperative, anything else for Operative; OCPP 1.6 §5.2).
      await db.query(
        `UPDATE connector_availability SET scheduled = FALSE
          WHERE station_id = $1 AND connector_id = $2 AND scheduled AND (requested = 'Inoperative') = ($3 = 'Unavailable')`,
        [stationId, s.connectorId, s.status],
      );
    });
  }

  async recordDiagnosticsStatus(stationId: string, status: string, reported?: ReportedStatus): Promise<void> {
    await this.pool.query(
      `UPDATE chargers SET diagnostics_status = $2, diagnostics_status_at = now(), log_status_reported = $3, log_request_id = $4 WHERE id = $1`,
      [stationId, status, reported?.status ?? null, reported?.requestId ?? null],
    );
  }

  async recordFirmwareStatus(stationId: string, status: string, reported?: ReportedStatus): Promise<void> {
    await this.pool.query(
      `UPDATE chargers SET firmware_status = $2, firmware_status_at = now(), firmware_status_reported = $3, firmware_request_id = $4 WHERE id = $1`,
      [stationId, status, reported?.status ?? null, reported?.requestId ?? null],
    );
  }

  async firmwareUpdateInProgress(stationId: string): Promise<boolean> {
    // firmware_updates is the worker's table (src/worker/station-activities.ts); the gateway only reads it.
    const { rows } = await this.pool.query('SELECT 1 FROM firmware_updates WHERE station_id = $1 AND finished_at IS NULL LIMIT 1', [stationId]);
    return rows.length > 0;
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
}
