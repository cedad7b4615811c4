/** Ocpp201CommandRecords in PostgreSQL: remote starts and request ids (migrations 0014, 0017). */
import type { Pool } from 'pg';
import type { Ocpp201CommandRecords, Ocpp201RequestKind } from './ports';

export class PgOcpp201CommandRecords implements Ocpp201CommandRecords {
  constructor(private readonly pool: Pool) {}

  async recordRemoteStart(stationId: string, evseId: number | null, idToken: string): Promise<number> {
    const { rows } = await this.pool.query(
      'INSERT INTO ocpp201_remote_starts (station_id, evse_id, id_token) VALUES ($1, $2, $3) RETURNING remote_start_id',
      [stationId, evseId, idToken],
    );
    return rows[0].remote_start_id;
  }

  async recordRequest(stationId: string, kind: Ocpp201RequestKind): Promise<number> {
    const { rows } = await this.pool.query('INSERT INTO ocpp201_requests (station_id, kind) VALUES ($1, $2) RETURNING request_id', [stationId, kind]);
    return rows[0].request_id;
  }
}
