/**
 * Prometheus metrics, one registry per process, served at /metrics by the API and by the gateway (its own port).
 * Defined once here so the gateway, the worker and the API count into the same names.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry });

export const ocppMessages = new Counter({
  name: 'csms_ocpp_messages_total',
  help: 'OCPP messages received from chargers, by action and result (ok, or the OCPP error code)',
  labelNames: ['action', 'result'] as const,
  registers: [registry],
});

export const chargerCommandLatency = new Histogram({
  name: 'csms_charger_command_seconds',
  help: 'Round trip of commands sent to chargers, by action and result',
  labelNames: ['action', 'result'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});

export const connectedChargers = new Gauge({
  name: 'csms_connected_chargers',
  help: 'Chargers with a live connection to this gateway process',
  registers: [registry],
});

export const activeSessions = new Gauge({
  name: 'csms_active_sessions',
  help: 'Sessions not yet completed, failed or interrupted (from PostgreSQL at scrape time)',
  registers: [registry],
});

export const apiRequestLatency = new Histogram({
  name: 'csms_api_request_seconds',
  help: 'API request latency by route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15],
  registers: [registry],
});
