/**
 * What an OCPP 2.0.1 station reported about itself (migration 0016), as operators read it: its
 * events (NotifyEvent), security events (SecurityEventNotification), device model (NotifyReport)
 * and its last firmware / log status in its own words. The gateway writes these tables.
 */
import type { Pool } from '../../db/pool';

type Queryable = Pick<Pool, 'query'>;

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

export interface ComponentView {
  name: string;
  instance: string | null;
  evse: { id: number; connectorId: number | null } | null;
}

export interface StationEventView {
  eventId: number;
  timestamp: string;
  trigger: string;
  cause: number | null;
  actualValue: string;
  techCode: string | null;
  techInfo: string | null;
  cleared: boolean | null;
  transactionId: string | null;
  variableMonitoringId: number | null;
  eventNotificationType: string;
  component: ComponentView;
  variable: { name: string; instance: string | null };
  generatedAt: string;
  seqNo: number;
  receivedAt: string;
}

export interface SecurityEventView {
  type: string;
  timestamp: string;
  techInfo: string | null;
  receivedAt: string;
}

export interface DeviceModelVariableView {
  component: ComponentView;
  variable: { name: string; instance: string | null };
  attributes: unknown[];
  characteristics: unknown;
  requestId: number;
  generatedAt: string;
  updatedAt: string;
}

export interface ReportedStatusView {
  status: string;
  requestId: number | null;
  at: string | null;
}

const componentOf = (r: { component_name: string; component_instance: string | null; evse_id: number | null; evse_connector_id: number | null }): ComponentView => ({
  name: r.component_name,
  instance: r.component_instance,
  evse: r.evse_id === null ? null : { id: r.evse_id, connectorId: r.evse_connector_id },
});

/** Newest first (by the station's timestamp). */
export async function listStationEvents(db: Queryable, stationId: string, limit: number): Promise<StationEventView[]> {
  const { rows } = await db.query('SELECT * FROM station_events WHERE station_id = $1 ORDER BY timestamp DESC, id DESC LIMIT $2', [stationId, limit]);
  return rows.map((r) => ({
    eventId: r.event_id,
    timestamp: iso(r.timestamp)!,
    trigger: r.trigger,
    cause: r.cause,
    actualValue: r.actual_value,
    techCode: r.tech_code,
    techInfo: r.tech_info,
    cleared: r.cleared,
    transactionId: r.transaction_id,
    variableMonitoringId: r.variable_monitoring_id,
    eventNotificationType: r.event_notification_type,
    component: componentOf(r),
    variable: { name: r.variable_name, instance: r.variable_instance },
    generatedAt: iso(r.generated_at)!,
    seqNo: r.seq_no,
    receivedAt: iso(r.received_at)!,
  }));
}

/** Newest first (by the station's timestamp). */
export async function listSecurityEvents(db: Queryable, stationId: string, limit: number): Promise<SecurityEventView[]> {
  const { rows } = await db.query('SELECT * FROM station_security_events WHERE station_id = $1 ORDER BY timestamp DESC, id DESC LIMIT $2', [stationId, limit]);
  return rows.map((r) => ({ type: r.type, timestamp: iso(r.timestamp)!, techInfo: r.tech_info, receivedAt: iso(r.received_at)! }));
}

/** Every variable, ordered by component (name, instance, EVSE) then variable; `component` narrows to one component name. */
export async function listDeviceModel(db: Queryable, stationId: string, component?: string): Promise<DeviceModelVariableView[]> {
  const { rows } = await db.query(
    `SELECT * FROM station_device_model WHERE station_id = $1 AND ($2::text IS NULL OR component_name = $2)
      ORDER BY component_name, component_instance NULLS FIRST, evse_id NULLS FIRST, evse_connector_id NULLS FIRST, variable_name, variable_instance NULLS FIRST`,
    [stationId, component ?? null],
  );
  return rows.map((r) => ({
    component: componentOf(r),
    variable: { name: r.variable_name, instance: r.variable_instance },
    attributes: r.attributes,
    characteristics: r.characteristics,
    requestId: r.request_id,
    generatedAt: iso(r.generated_at)!,
    updatedAt: iso(r.updated_at)!,
  }));
}

/** The last FirmwareStatusNotification / LogStatusNotification of a 2.0.1 station as it sent them (null: none). */
export async function reportedStatuses(db: Queryable, stationId: string): Promise<{ firmware: ReportedStatusView | null; log: ReportedStatusView | null }> {
  const { rows } = await db.query(
    'SELECT firmware_status_reported, firmware_request_id, firmware_status_at, log_status_reported, log_request_id, diagnostics_status_at FROM chargers WHERE id = $1',
    [stationId],
  );
  const r = rows[0];
  if (!r) return { firmware: null, log: null };
  return {
    firmware: r.firmware_status_reported === null ? null : { status: r.firmware_status_reported, requestId: r.firmware_request_id, at: iso(r.firmware_status_at) },
    log: r.log_status_reported === null ? null : { status: r.log_status_reported, requestId: r.log_request_id, at: iso(r.diagnostics_status_at) },
  };
}
