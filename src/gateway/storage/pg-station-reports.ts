/**
 * StationReports in PostgreSQL (migration 0016): a 2.0.1 station's events, security events and
 * device model. Each message is one statement: its rows go in together or not at all.
 */
import type { Pool } from 'pg';
import type { EventDataType, ReportDataType } from '../../ocpp/ocpp201-messages';
import type { ReportFrame, StationReports } from './ports';

/** The key a device-model row is upserted by; a report naming one variable twice keeps the last. */
const variableKey = (v: ReportDataType): string =>
  JSON.stringify([v.component.name, v.component.instance ?? null, v.component.evse?.id ?? null, v.component.evse?.connectorId ?? null, v.variable.name, v.variable.instance ?? null]);

/** Only what the table stores (no customData). */
const attributeOf = ({ customData: _ignored, ...attribute }: ReportDataType['variableAttribute'][number]) => attribute;
const characteristicsOf = (c: ReportDataType['variableCharacteristics']) => {
  if (!c) return null;
  const { customData: _ignored, ...rest } = c;
  return rest;
};

export class PgStationReports implements StationReports {
  constructor(private readonly pool: Pool) {}

  async recordEvents(stationId: string, frame: ReportFrame, events: readonly EventDataType[]): Promise<void> {
    const rows = events.map((e) => ({
      event_id: e.eventId,
      timestamp: e.timestamp,
      trigger: e.trigger,
      cause: e.cause ?? null,
      actual_value: e.actualValue,
      tech_code: e.techCode ?? null,
      tech_info: e.techInfo ?? null,
      cleared: e.cleared ?? null,
      transaction_id: e.transactionId ?? null,
      variable_monitoring_id: e.variableMonitoringId ?? null,
      event_notification_type: e.eventNotificationType,
      component_name: e.component.name,
      component_instance: e.component.instance ?? null,
      evse_id: e.component.evse?.id ?? null,
      evse_connector_id: e.component.evse?.connectorId ?? null,
      variable_name: e.variable.name,
      variable_instance: e.variable.instance ?? null,
    }));
    await this.pool.query(
      `INSERT INTO station_events (station_id, generated_at, seq_no, event_id, timestamp, trigger, cause, actual_value, tech_code, tech_info, cleared,
              transaction_id, variable_monitoring_id, event_notification_type, component_name, component_instance, evse_id, evse_connector_id,
              variable_name, variable_instance)
       SELECT $1, $2, $3, r.event_id, r.timestamp, r.trigger, r.cause, r.actual_value, r.tech_code, r.tech_info, r.cleared,
              r.transaction_id, r.variable_monitoring_id, r.event_notification_type, r.component_name, r.component_instance, r.evse_id, r.evse_connector_id,
              r.variable_name, r.variable_instance
         FROM jsonb_to_recordset($4::jsonb) AS r(event_id INTEGER, timestamp TIMESTAMPTZ, trigger TEXT, cause INTEGER, actual_value TEXT, tech_code TEXT,
              tech_info TEXT, cleared BOOLEAN, transaction_id TEXT, variable_monitoring_id INTEGER, event_notification_type TEXT, component_name TEXT,
              component_instance TEXT, evse_id INTEGER, evse_connector_id INTEGER, variable_name TEXT, variable_instance TEXT)
       ON CONFLICT DO NOTHING`,
      [stationId, frame.generatedAt, frame.seqNo, JSON.stringify(rows)],
    );
  }

  async recordSecurityEvent(stationId: string, event: { type: string; timestamp: string; techInfo?: string }): Promise<void> {
    await this.pool.query('INSERT INTO station_security_events (station_id, type, timestamp, tech_info) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [
      stationId,
      event.type,
      event.timestamp,
      event.techInfo ?? null,
    ]);
  }

  async recordDeviceModel(stationId: string, frame: ReportFrame & { requestId: number }, variables: readonly ReportDataType[]): Promise<void> {
    const byKey = new Map<string, ReportDataType>();
    for (const v of variables) byKey.set(variableKey(v), v);
    if (byKey.size === 0) return;
    const rows = [...byKey.values()].map((v) => ({
      component_name: v.component.name,
      component_instance: v.component.instance ?? null,
      evse_id: v.component.evse?.id ?? null,
      evse_connector_id: v.component.evse?.connectorId ?? null,
      variable_name: v.variable.name,
      variable_instance: v.variable.instance ?? null,
      attributes: v.variableAttribute.map(attributeOf),
      characteristics: characteristicsOf(v.variableCharacteristics),
    }));
    await this.pool.query(
      `INSERT INTO station_device_model (station_id, request_id, generated_at, component_name, component_instance, evse_id, evse_connector_id,
              variable_name, variable_instance, attributes, characteristics)
       SELECT $1, $2, $3, r.component_name, r.component_instance, r.evse_id, r.evse_connector_id, r.variable_name, r.variable_instance,
              r.attributes, r.characteristics
         FROM jsonb_to_recordset($4::jsonb) AS r(component_name TEXT, component_instance TEXT, evse_id INTEGER, evse_connector_id INTEGER,
              variable_name TEXT, variable_instance TEXT, attributes JSONB, characteristics JSONB)
       ON CONFLICT (station_id, component_name, COALESCE(component_instance, ''), COALESCE(evse_id, -1), COALESCE(evse_connector_id, -1),
                    variable_name, COALESCE(variable_instance, ''))
       DO UPDATE SET attributes = EXCLUDED.attributes, characteristics = EXCLUDED.characteristics, request_id = EXCLUDED.request_id,
                     generated_at = EXCLUDED.generated_at, updated_at = now()`,
      [stationId, frame.requestId, frame.generatedAt, JSON.stringify(rows)],
    );
  }
}
