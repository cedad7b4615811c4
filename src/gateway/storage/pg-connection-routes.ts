/** ConnectionRoutes and ActiveSessions in PostgreSQL: chargers' routing columns, connection_events, active sessions. */
import type { Pool } from 'pg';
import { inTransaction } from '../../db/transaction';
import type { ActiveSession, ActiveSessions, ConnectionEventKind, ConnectionRoutes } from './ports';

export class PgConnectionRoutes implements ConnectionRoutes {
  constructor(private readonly pool: Pool) {}

  async newEpoch(): Promise<number> {
    const { rows } = await this.pool.query(`SELECT nextval('connection_epoch_seq')::bigint AS epoch`);
    return Number(rows[0].epoch);
  }

  async markOnline(stationId: string, gatewayId: string, epoch: number, ocppVersion: '1.6' | '2.0.1'): Promise<boolean> {
    const res = await this.pool.query(
      `UPDATE chargers SET online = true, gateway_id = $2, connection_epoch = $3, connected_at = now(), ocpp_version = $4
        WHERE id = $1 AND (connection_epoch IS NULL OR connection_epoch < $3)`,
      [stationId, gatewayId, epoch, ocppVersion],
    );
    return (res.rowCount ?? 0) > 0;
  }

  async markOffline(stationId: string, epoch: number): Promise<boolean> {
    return inTransaction(this.pool, async (db) => {
      const res = await db.query(`UPDATE chargers SET online = false, disconnected_at = now() WHERE id = $1 AND connection_epoch = $2 AND online`, [stationId, epoch]);
      const changed = (res.rowCount ?? 0) > 0;
      if (changed) await db.query(`UPDATE connectors SET status = 'Unknown', updated_at = now() WHERE station_id = $1`, [stationId]);
      return changed;
    });
  }

  async markGatewayOffline(gatewayId: string): Promise<void> {
    await this.pool.query(`UPDATE chargers SET online = false, disconnected_at = now() WHERE gateway_id = $1 AND online`, [gatewayId]);
  }

  async recordConnectionEvent(e: { stationId: string; gatewayId: string; epoch: number; event: ConnectionEventKind; reason?: string; remoteAddress?: string }): Promise<void> {
    await this.pool.query(
      `INSERT INTO connection_events (station_id, gateway_id, connection_epoch, event, reason, remote_address) VALUES ($1, $2, $3, $4, $5, $6)`,
      [e.stationId, e.gatewayId, e.epoch, e.event, e.reason ?? null, e.remoteAddress ?? null],
    );
  }
}

export class PgActiveSessions implements ActiveSessions {
  constructor(private readonly pool: Pool) {}

  async ofStation(stationId: string): Promise<ActiveSession[]> {
    const { rows } = await this.pool.query('SELECT id, connector_id FROM sessions WHERE station_id = $1 AND active ORDER BY connector_id', [stationId]);
    return rows.map((r) => ({ sessionId: r.id, connectorId: r.connector_id }));
  }

  async onConnector(stationId: string, connectorId: number): Promise<string | null> {
    const { rows } = await this.pool.query('SELECT id FROM sessions WHERE station_id = $1 AND connector_id = $2 AND active', [stationId, connectorId]);
    return rows[0]?.id ?? null;
  }
}
