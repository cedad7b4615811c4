/**
 * Chargers ("stations" to the app) as the API shows and manages them: registration with a
 * hashed password, removal, and the station view with connectors, live status and the
 * tariff that applies (the charger's own, else the default).
 */
import type { Pool } from '../../db/pool';
import { conflict, notFound } from '../http/api-error';
import { inTransaction, isPgError, pgErrorCodes } from './transaction';
import { getTariff, listTariffs, type Tariff } from './tariff-store';
import { availabilityView, stationAvailabilityView, type AvailabilityRequest, type AvailabilityView } from '../../stations/connector-availability';
import type { StationElectrics } from '../../ocpp/charging-rate';

type Queryable = Pick<Pool, 'query'>;

export interface ConnectorView {
  connectorId: number;
  status: string;
  errorCode: string;
  info: string | null;
  statusAt: string | null;
  /** A session holds the connector (it may show Available until the charger reports otherwise). */
  busy: boolean;
  /** The active reservation holding the connector, if any. */
  reservationId: number | null;
  availability: AvailabilityView;
}

export interface StationView {
  stationId: string;
  online: boolean;
  registrationStatus: string;
  timeZone: string;
  vendor: string | null;
  model: string | null;
  firmwareVersion: string | null;
  /** The OCPP version its current (or last) connection negotiated; null: never connected. */
  ocppVersion: '1.6' | '2.0.1' | null;
  /** Why it last booted (OCPP 2.0.1's BootNotification reason); null for 1.6 stations. */
  bootReason: string | null;
  lastHeartbeatAt: string | null;
  connectedAt: string | null;
  disconnectedAt: string | null;
  /** The whole station (connector 0). */
  availability: AvailabilityView;
  connectors: ConnectorView[];
  tariff: Tariff | null;
  /** From the last configuration reconciliation (SupportedFeatureProfiles); null: never read. */
  featureProfiles: string[] | null;
  /** From the last configuration reconciliation (NumberOfConnectors); null: never read. */
  numberOfConnectors: number | null;
  configuration: StationConfigurationView | null;
  /** chargers.phases / nominal_voltage_v: how W and A convert in charging profiles. */
  electrics: StationElectrics;
  /** The operator's station profiles and their last outcome. */
  chargingProfiles: Array<{ purpose: string; status: string; detail: string | null }>;
  /** Its local authorization list as the station confirmed it (workflows/local-list-sync.ts). */
  localList: StationLocalListSummary;
}

export interface StationLocalListSummary {
  mode: 'unknown' | 'local_list' | 'cache_only';
  syncState: 'pending' | 'in_sync' | 'waiting_for_station' | 'failed' | 'cache_only';
  confirmedVersion: number | null;
  syncedAt: string | null;
}

/** The last configuration reconciliation: when, why, how it ended, and what it could not set. */
export interface StationConfigurationView {
  reconciledAt: string | null;
  trigger: string | null;
  result: string | null;
  workflowId: string | null;
  drift: Array<{ key: string; desired: string; actual: string | null; outcome: string; detail: string; source: string }>;
}

interface StationRow {
  id: string;
  online: boolean;
  registration_status: string;
  time_zone: string;
  vendor: string | null;
  model: string | null;
  firmware_version: string | null;
  ocpp_version: '1.6' | '2.0.1' | null;
  boot_reason: string | null;
  last_heartbeat_at: Date | null;
  connected_at: Date | null;
  disconnected_at: Date | null;
  /** The tariff that applies: the station's own, else the default. */
  tariff_id: string | null;
  connectors: Array<{ connector_id: number; status: string; error_code: string; info: string | null; status_at: string | null; busy: boolean; reservation_id: number | null } & AvailabilityColumns> | null;
  supported_feature_profiles: string[] | null;
  number_of_connectors: number | null;
  reconciled_at: Date | null;
  last_trigger: string | null;
  last_result: string | null;
  last_workflow_id: string | null;
  drift: StationConfigurationView['drift'] | null;
  phases: number;
  nominal_voltage_v: number;
  station_profiles: Array<{ purpose: string; status: string; detail: string | null }> | null;
  ll_mode: StationLocalListSummary['mode'] | null;
  ll_sync_state: StationLocalListSummary['syncState'] | null;
  ll_confirmed_version: number | null;
  ll_synced_at: Date | null;
  /** Connector 0: its reported status (when it ever reported one) and the station-wide request. */
  station_availability: ({ status: string | null } & AvailabilityColumns) | null;
}

interface AvailabilityColumns {
  requested: AvailabilityRequest['requested'] | null;
  scheduled: boolean | null;
  requested_at: string | null;
}

const requestOf = (a: AvailabilityColumns | null): AvailabilityRequest | null =>
  a?.requested ? { requested: a.requested, scheduled: !!a.scheduled, requestedAt: iso(a.requested_at) ?? '' } : null;

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

function toStation(row: StationRow, tariff: Tariff | null): StationView {
  return {
    stationId: row.id,
    online: row.online,
    registrationStatus: row.registration_status,
    timeZone: row.time_zone,
    vendor: row.vendor,
    model: row.model,
    firmwareVersion: row.firmware_version,
    ocppVersion: row.ocpp_version,
    bootReason: row.boot_reason,
    lastHeartbeatAt: iso(row.last_heartbeat_at),
    connectedAt: iso(row.connected_at),
    disconnectedAt: iso(row.disconnected_at),
    availability: stationAvailabilityView(
      requestOf(row.station_availability),
      row.station_availability?.status,
      (row.connectors ?? []).map((c) => c.status),
    ),
    connectors: (row.connectors ?? []).map((c) => ({
      connectorId: c.connector_id,
      status: c.status,
      errorCode: c.error_code,
      info: c.info,
      statusAt: iso(c.status_at),
      busy: c.busy,
      reservationId: c.reservation_id,
      availability: availabilityView(requestOf(c), c.status),
    })),
    tariff,
    featureProfiles: row.supported_feature_profiles,
    numberOfConnectors: row.number_of_connectors,
    electrics: { phases: row.phases === 1 ? 1 : 3, voltageV: row.nominal_voltage_v },
    chargingProfiles: (row.station_profiles ?? []).map((p) => ({ purpose: p.purpose, status: p.status, detail: p.detail })),
    configuration:
      row.last_result === null
        ? null
        : { reconciledAt: iso(row.reconciled_at), trigger: row.last_trigger, result: row.last_result, workflowId: row.last_workflow_id, drift: row.drift ?? [] },
    localList: { mode: row.ll_mode ?? 'unknown', syncState: row.ll_sync_state ?? 'pending', confirmedVersion: row.ll_confirmed_version, syncedAt: iso(row.ll_synced_at) },
  };
}

const stationSelect = `
  SELECT c.id, c.online, c.registration_status, c.time_zone, c.vendor, c.model, c.firmware_version, c.ocpp_version, c.boot_reason,
         c.last_heartbeat_at, c.connected_at, c.disconnected_at, c.phases, c.nominal_voltage_v,
         (SELECT json_agg(json_build_object('purpose', p.purpose, 'status', p.status, 'detail', p.detail) ORDER BY p.purpose)
            FROM station_charging_profiles p WHERE p.station_id = c.id) AS station_profiles,
         sc.supported_feature_profiles, sc.number_of_connectors, sc.reconciled_at, sc.last_trigger, sc.last_result, sc.last_workflow_id, sc.drift,
         ll.mode AS ll_mode, ll.sync_state AS ll_sync_state, ll.confirmed_version AS ll_confirmed_version, ll.synced_at AS ll_synced_at,
         (SELECT t.id FROM tariffs t
           WHERE t.id = c.tariff_id OR (c.tariff_id IS NULL AND t.is_default)
           ORDER BY (t.id = c.tariff_id) DESC LIMIT 1) AS tariff_id,
         (SELECT json_agg(json_build_object('connector_id', k.connector_id, 'status', k.status, 'error_code', k.error_code,
                                            'info', k.info, 'status_at', k.status_at,
                                            'busy', EXISTS (SELECT 1 FROM sessions s WHERE s.active AND s.station_id = k.station_id AND s.connector_id = k.connector_id),
                                            'reservation_id', (SELECT r.id FROM reservations r WHERE r.active AND r.station_id = k.station_id AND r.connector_id = k.connector_id),
                                            'requested', a.requested, 'scheduled', a.scheduled, 'requested_at', a.requested_at)
                          ORDER BY k.connector_id)
            FROM connectors k
            LEFT JOIN connector_availability a ON a.station_id = k.station_id AND a.connector_id = k.connector_id
           WHERE k.station_id = c.id AND k.connector_id > 0) AS connectors,
         (SELECT json_build_object('status', k0.status, 'requested', a0.requested, 'scheduled', a0.scheduled, 'requested_at', a0.requested_at)
            FROM (SELECT c.id AS station_id) AS me
            LEFT JOIN connectors k0 ON k0.station_id = me.station_id AND k0.connector_id = 0
            LEFT JOIN connector_availability a0 ON a0.station_id = me.station_id AND a0.connector_id = 0) AS station_availability
    FROM chargers c LEFT JOIN station_configuration sc ON sc.station_id = c.id
    LEFT JOIN station_local_lists ll ON ll.station_id = c.id`;

export async function listStations(db: Queryable): Promise<StationView[]> {
  const { rows } = await db.query<StationRow>(`${stationSelect} ORDER BY c.id`);
  // The full tariffs (every price component), read once by the one tariff mapping.
  const tariffs = new Map((await listTariffs(db)).map((t) => [t.id, t]));
  return rows.map((row) => toStation(row, row.tariff_id === null ? null : tariffs.get(row.tariff_id) ?? null));
}

export async function getStation(db: Queryable, stationId: string): Promise<StationView | null> {
  const { rows } = await db.query<StationRow>(`${stationSelect} WHERE c.id = $1`, [stationId]);
  const row = rows[0];
  if (!row) return null;
  return toStation(row, row.tariff_id === null ? null : await getTariff(db, row.tariff_id));
}

export async function stationExists(db: Queryable, stationId: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM chargers WHERE id = $1', [stationId]);
  return Boolean(rowCount);
}

/** The station's connectors (from 1), or null for an unknown station. */
export async function stationConnectorIds(db: Queryable, stationId: string): Promise<number[] | null> {
  const { rows } = await db.query<{ ids: number[] }>(
    `SELECT COALESCE(array_agg(k.connector_id ORDER BY k.connector_id) FILTER (WHERE k.connector_id > 0), '{}') AS ids
       FROM chargers c LEFT JOIN connectors k ON k.station_id = c.id WHERE c.id = $1 GROUP BY c.id`,
    [stationId],
  );
  return rows[0]?.ids ?? null;
}

export interface ChargerRegistration {
  stationId: string;
  passwordHash: string | null;
  tariffId: string | null;
  /** Connectors to list before the charger first reports them (status Unknown). */
  connectors: number;
  timeZone: string;
}

export async function registerCharger(pool: Pool, reg: ChargerRegistration): Promise<void> {
  try {
    await inTransaction(pool, async (db) => {
      await db.query(`INSERT INTO chargers (id, password_hash, tariff_id, time_zone, registration_status) VALUES ($1, $2, $3, $4, 'Accepted')`, [
        reg.stationId,
        reg.passwordHash,
        reg.tariffId,
        reg.timeZone,
      ]);
      for (let connectorId = 1; connectorId <= reg.connectors; connectorId++) {
        await db.query('INSERT INTO connectors (station_id, connector_id) VALUES ($1, $2)', [reg.stationId, connectorId]);
      }
    });
  } catch (err) {
    if (isPgError(err, pgErrorCodes.uniqueViolation, 'chargers_pkey')) throw conflict(`charger ${reg.stationId} is already registered`);
    if (isPgError(err, pgErrorCodes.foreignKeyViolation)) throw notFound(`tariff ${reg.tariffId}`);
    throw err;
  }
}

/** Changes the password, tariff, time zone or registration; an Accepted registration lets a Pending (auto-registered) charger in. */
export async function updateCharger(
  db: Queryable,
  stationId: string,
  changes: { passwordHash?: string; tariffId?: string | null; registrationStatus?: 'Accepted' | 'Rejected'; timeZone?: string },
): Promise<void> {
  try {
    const { rowCount } = await db.query(
      `UPDATE chargers SET password_hash = COALESCE($2, password_hash),
              tariff_id = CASE WHEN $3::boolean THEN $4 ELSE tariff_id END,
              registration_status = COALESCE($5, registration_status),
              time_zone = COALESCE($6, time_zone)
        WHERE id = $1`,
      [stationId, changes.passwordHash ?? null, changes.tariffId !== undefined, changes.tariffId ?? null, changes.registrationStatus ?? null, changes.timeZone ?? null],
    );
    if (!rowCount) throw notFound(`charger ${stationId}`);
  } catch (err) {
    if (isPgError(err, pgErrorCodes.foreignKeyViolation)) throw notFound(`tariff ${changes.tariffId}`);
    throw err;
  }
}

/** Refuses while a session is active on the charger: its bill would lose its station. */
export async function removeCharger(pool: Pool, stationId: string): Promise<void> {
  await inTransaction(pool, async (db) => {
    const locked = await db.query('SELECT 1 FROM chargers WHERE id = $1 FOR UPDATE', [stationId]);
    if (!locked.rowCount) throw notFound(`charger ${stationId}`);
    const active = await db.query('SELECT id FROM sessions WHERE active AND station_id = $1 LIMIT 1', [stationId]);
    if (active.rowCount) throw conflict(`charger ${stationId} has an active session (${active.rows[0].id}); stop it first`);
    await db.query('DELETE FROM chargers WHERE id = $1', [stationId]);
  });
}
