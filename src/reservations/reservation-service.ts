/**
 * Reservations as the API sees them (ReservationPort in src/api/deps.ts). PostgreSQL decides
 * "one active reservation per driver and per connector" (partial unique indexes) before anything
 * is sent; then a reservation workflow (workflows/reservation.ts) sends ReserveNow and the API
 * waits, update-with-start, for the charger's answer. What happened afterwards is read from the row.
 */
import { WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateStage, type Client } from '@temporalio/client';
import type { Config } from '../config/config';
import type { Pool } from '../db/pool';
import { isPgError, pgErrorCodes } from '../db/transaction';
import type { Logger } from '../logger';
import { StationIdKey } from '../temporal/search-attributes';
import { loadTariffSnapshotForCharger } from '../tariffs/tariff-repository';
import { reservation } from '../../workflows/reservation';
import { awaitReservationAnswerUpdate, cancelReservationUpdate, reservationWorkflowId, type ReservationInput } from '../../workflows/reservation-messages';
import { isClosedWorkflowError, within } from '../sessions/session-service';
import { ReservationError } from './reservation-error';
import { reservationSelect, reservationView, type ReservationRow, type ReservationView } from './reservation-rows';

export interface ReservationServiceDeps {
  client: Client;
  pool: Pool;
  config: Config;
  logger: Logger;
  /** StationId search attribute on the workflows (off for servers without it registered). */
  searchAttributes?: boolean;
}

export interface ReservationRequest {
  stationId: string;
  /** 0: the charge point as a whole (§5.13); absent: the lowest free connector of the station (Available, operative, no session, no reservation). */
  connectorId?: number;
  expiryDate: string;
  driverId: string | null;
  idTag: string;
  requestedBy: 'driver' | 'operator';
  /** How long to wait for the charger's answer to ReserveNow. */
  waitMs: number;
}

export interface ReservationListFilter {
  driverId?: string | null;
  stationId?: string;
  active?: boolean;
  limit: number;
}

export class ReservationService {
  constructor(private readonly deps: ReservationServiceDeps) {}

  async create(req: ReservationRequest): Promise<{ reservation: ReservationView; answered: boolean }> {
    const { pool, client, config, logger } = this.deps;
    await this.assertStation(req.stationId, req.connectorId);
    const tariff = await loadTariffSnapshotForCharger(pool, req.stationId, new Date().toISOString());
    let reservationId: number | undefined;
    let connectorId = req.connectorId;
    // "Any connector": another request may take the chosen one first; choose again.
    for (let attempt = 1; reservationId === undefined; attempt++) {
      connectorId = req.connectorId ?? (await this.freeConnector(req.stationId));
      try {
        const { rows } = await pool.query<{ id: number }>(
          `INSERT INTO reservations (station_id, connector_id, driver_id, id_tag, expiry_date, requested_by, currency, tariff_id, tariff_version,
                                     fee_fixed, fee_per_minute, fee_if_unused)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
          [
            req.stationId, connectorId, req.driverId, req.idTag, req.expiryDate, req.requestedBy, tariff?.currency ?? null, tariff?.tariffId ?? null,
            tariff?.version ?? null, tariff?.reservationFee ?? null, tariff?.reservationFeePerMinute ?? null, tariff?.reservationFeeIfUnused ?? true,
          ],
        );
        reservationId = rows[0].id;
      } catch (err) {
        if (isPgError(err, pgErrorCodes.uniqueViolation, 'reservations_one_active_per_driver')) {
          throw new ReservationError('driver_has_reservation', `driver ${req.driverId} already has an active reservation; cancel it first`);
        }
        if (isPgError(err, pgErrorCodes.uniqueViolation, 'reservations_one_active_per_connector')) {
          if (req.connectorId === undefined && attempt < 3) continue;
          throw new ReservationError('connector_reserved', `connector ${connectorId} of station ${req.stationId} already has an active reservation`);
        }
        throw err;
      }
    }
    const parent = await pool.query<{ parent_id_tag: string | null }>('SELECT parent_id_tag FROM id_tags WHERE lower(id_tag) = lower($1)', [req.idTag]);
    const parentIdTag = parent.rows[0]?.parent_id_tag ?? undefined;
    const input: ReservationInput = {
      reservationId,
      stationId: req.stationId,
      connectorId: connectorId!,
      idTag: req.idTag,
      ...(parentIdTag ? { parentIdTag } : {}),
      expiryDate: req.expiryDate,
      holdMs: Math.max(0, Date.parse(req.expiryDate) - Date.now()),
      policy: { commandTimeoutMs: config.SESSION_COMMAND_TIMEOUT_MS, commandMaxAttempts: 1 },
      cancelRetryMs: config.RESERVATION_CANCEL_RETRY_MS,
    };
    const start = new WithStartWorkflowOperation(reservation, {
      workflowId: reservationWorkflowId(reservationId),
      taskQueue: config.TEMPORAL_TASK_QUEUE,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
      ...(this.deps.searchAttributes === false ? {} : { typedSearchAttributes: [{ key: StationIdKey, value: req.stationId }] }),
    });
    let answered: unknown;
    try {
      const update = await client.workflow.startUpdateWithStart(awaitReservationAnswerUpdate, { startWorkflowOperation: start, waitForStage: WorkflowUpdateStage.ACCEPTED });
      answered = await within(update.result(), req.waitMs);
    } catch (err) {
      // Without a workflow nothing would ever end the row: free the driver and the connector now.
      const started = await start.workflowHandle().then(() => true, () => false);
      if (!started) await pool.query(`UPDATE reservations SET status = 'failed', detail = 'could not start the reservation workflow', ended_at = now() WHERE id = $1 AND status = 'requested'`, [reservationId]);
      throw err;
    }
    logger.info({ reservationId, stationId: req.stationId, connectorId }, 'reservation requested');
    return { reservation: (await this.get(reservationId))!, answered: answered !== undefined };
  }

  async get(reservationId: number): Promise<ReservationView | null> {
    const { rows } = await this.deps.pool.query<ReservationRow>(`${reservationSelect} WHERE r.id = $1`, [reservationId]);
    return rows[0] ? reservationView(rows[0]) : null;
  }

  async list(filter: ReservationListFilter): Promise<ReservationView[]> {
    const { rows } = await this.deps.pool.query<ReservationRow>(
      `${reservationSelect}
        WHERE ($1::text IS NULL OR r.driver_id = $1) AND ($2::text IS NULL OR r.station_id = $2) AND ($3::boolean IS NULL OR r.active = $3)
        ORDER BY r.created_at DESC, r.id DESC LIMIT $4`,
      [filter.driverId ?? null, filter.stationId ?? null, filter.active ?? null, filter.limit],
    );
    return rows.map(reservationView);
  }

  /** Cancels a held reservation: recorded at once, CancelReservation sent (an offline charger gets it when it is back). */
  async cancel(reservationId: number, by: 'driver' | 'operator', waitMs: number): Promise<ReservationView> {
    const current = await this.get(reservationId);
    if (!current) throw new ReservationError('not_found', `reservation ${reservationId} does not exist`);
    if (current.status !== 'accepted') {
      throw new ReservationError('reservation_not_active', `reservation ${reservationId} is ${current.status}${current.status === 'requested' ? ' (the charger has not answered yet)' : ''}: nothing to cancel`);
    }
    const handle = this.deps.client.workflow.getHandle(reservationWorkflowId(reservationId));
    try {
      const update = await handle.startUpdate(cancelReservationUpdate, { args: [{ by }], waitForStage: WorkflowUpdateStage.ACCEPTED });
      await within(update.result(), waitMs);
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError || isClosedWorkflowError(err)) {
        const now = await this.get(reservationId);
        throw new ReservationError('reservation_not_active', `reservation ${reservationId} is ${now?.status ?? 'gone'}: nothing to cancel`);
      }
      throw err;
    }
    const after = (await this.get(reservationId))!;
    // A start that reached PostgreSQL first used the reservation: nothing was cancelled (accepted: the cancel is still being recorded).
    if (after.status !== 'cancelled' && after.status !== 'accepted') throw new ReservationError('reservation_not_active', `reservation ${reservationId} is ${after.status}: nothing to cancel`);
    return after;
  }

  private async assertStation(stationId: string, connectorId: number | undefined): Promise<void> {
    const { rows } = await this.deps.pool.query<{ online: boolean; registration_status: string; known_connectors: number[]; inoperative: number[] }>(
      `SELECT c.online, c.registration_status,
              COALESCE((SELECT array_agg(k.connector_id) FROM connectors k WHERE k.station_id = c.id AND k.connector_id > 0), '{}') AS known_connectors,
              COALESCE((SELECT array_agg(a.connector_id) FROM connector_availability a WHERE a.station_id = c.id AND a.requested = 'Inoperative'), '{}') AS inoperative
         FROM chargers c WHERE c.id = $1`,
      [stationId],
    );
    const station = rows[0];
    if (!station) throw new ReservationError('unknown_station', `station ${stationId} is not known`);
    if (connectorId !== undefined && connectorId > 0 && station.known_connectors.length > 0 && !station.known_connectors.includes(connectorId)) {
      throw new ReservationError('unknown_connector', `station ${stationId} has no connector ${connectorId}`);
    }
    if (!station.online) throw new ReservationError('station_offline', `station ${stationId} is offline: it cannot be asked to hold a connector`);
    if (station.registration_status !== 'Accepted') throw new ReservationError('station_not_accepted', `station ${stationId} is ${station.registration_status}: the network has not accepted it`);
    if (station.inoperative.includes(0)) throw new ReservationError('connector_inoperative', `station ${stationId} was made Inoperative (ChangeAvailability on connector 0)`);
    if (connectorId !== undefined && station.inoperative.includes(connectorId)) {
      throw new ReservationError('connector_inoperative', `connector ${connectorId} of station ${stationId} was made Inoperative (ChangeAvailability)`);
    }
  }

  private async freeConnector(stationId: string): Promise<number> {
    const { rows } = await this.deps.pool.query<{ connector_id: number }>(
      `SELECT k.connector_id FROM connectors k
         LEFT JOIN connector_availability a ON a.station_id = k.station_id AND a.connector_id = k.connector_id
        WHERE k.station_id = $1 AND k.connector_id > 0 AND k.status = 'Available' AND a.requested IS DISTINCT FROM 'Inoperative'
          AND NOT EXISTS (SELECT 1 FROM sessions s WHERE s.active AND s.station_id = k.station_id AND s.connector_id = k.connector_id)
          AND NOT EXISTS (SELECT 1 FROM reservations r WHERE r.active AND r.station_id = k.station_id AND r.connector_id = k.connector_id)
        ORDER BY k.connector_id LIMIT 1`,
      [stationId],
    );
    if (!rows[0]) throw new ReservationError('no_connector_available', `station ${stationId} has no free connector (Available, operative, without a session or a reservation)`);
    return rows[0].connector_id;
  }
}
