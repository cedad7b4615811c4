/**
 * Starts the real API (startApi on a random port) against a fresh PostgreSQL database, and
 * calls it over real HTTP with fetch.
 */
import { Client, Connection } from '@temporalio/client';
import { loadConfig, Config } from '../../../src/config/config';
import { createLogger } from '../../../src/logger';
import { startApi, RunningApi } from '../../../src/api/server';
import type { ApiDeps, ChargerCommandPort, DiagnosticsPort, FirmwarePort, ReservationPort, SessionPort, SitePort } from '../../../src/api/deps';
import { ReservationService } from '../../../src/reservations/reservation-service';
import { SiteService } from '../../../src/sites/site-service';
import { ScriptedSiteLoadManager } from './scripted-sites';
import type { Pool } from '../../../src/db/pool';
import { createTestDatabase, TestDatabase } from '../../support/database';
import { ScriptedChargerCommands, ScriptedSessions } from './scripted-sessions';
import { ScriptedDiagnostics, ScriptedFirmware } from './scripted-station-operations';

export const operatorToken = 'operator-token-for-tests-0123456789';

export interface ApiResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface TestApi {
  url: string;
  db: TestDatabase;
  config: Config;
  call(method: string, path: string, options?: { token?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<ApiResponse>;
  /** Creates a driver through the operator API and returns their token. */
  createDriver(driverId: string, idTags?: string[]): Promise<string>;
  close(): Promise<void>;
}

export interface TestApiOptions {
  /** Default: scripted stand-ins (support/scripted-sessions.ts). */
  sessions?: SessionPort;
  chargerCommands?: ChargerCommandPort;
  /** Default: stand-ins (support/scripted-station-operations.ts). */
  firmware?: FirmwarePort;
  diagnostics?: DiagnosticsPort;
  /** Default: the real service on `temporalClient` (its refusals before any workflow are all the default can answer). */
  reservations?: ReservationPort;
  /** Default: the real site service with a stand-in load manager (support/scripted-sites.ts). */
  sites?: SitePort;
  /** Default: a client of an address where nothing listens (readiness reports Temporal down). */
  temporalClient?: Client;
  env?: Record<string, string>;
  sseHeartbeatMs?: number;
  db?: TestDatabase;
  clock?: () => Date;
  /** The pool the API uses; default the test database's. */
  pool?: Pool;
  /** Wakes a station's local-list sync; default: signal-with-start on temporalClient. */
  localListWaker?: ApiDeps['localListWaker'];
  /** Card payments; default none (their routes answer 503). */
  payments?: ApiDeps['payments'];
}

export async function startTestApi(options: TestApiOptions = {}): Promise<TestApi> {
  const db = options.db ?? (await createTestDatabase());
  const config = loadConfig({
    API_HOST: '127.0.0.1',
    API_PORT: '0',
    OPERATOR_TOKEN: operatorToken,
    LOG_LEVEL: 'silent',
    API_START_WAIT_MS: '5000',
    API_STOP_WAIT_MS: '5000',
    ...options.env,
  });
  const logger = createLogger(config);
  let deadConnection: Connection | undefined;
  let temporalClient = options.temporalClient;
  if (!temporalClient) {
    // No retry interceptors: calls fail at once instead of retrying past the test's end.
    deadConnection = Connection.lazy({ address: '127.0.0.1:1', connectTimeout: 500, interceptors: [] });
    temporalClient = new Client({ connection: deadConnection });
  }
  // Every answer is checked against the OpenAPI document; close() fails the test file on a breach.
  const violations = new Set<string>();
  const api: RunningApi = await startApi({
    config,
    pool: options.pool ?? db.pool,
    logger,
    sessions: options.sessions ?? new ScriptedSessions(db.pool),
    chargerCommands: options.chargerCommands ?? new ScriptedChargerCommands(),
    firmware: options.firmware ?? new ScriptedFirmware(options.pool ?? db.pool),
    diagnostics: options.diagnostics ?? new ScriptedDiagnostics(options.pool ?? db.pool),
    reservations: options.reservations ?? new ReservationService({ client: temporalClient, pool: options.pool ?? db.pool, config, logger, searchAttributes: false }),
    sites: options.sites ?? new SiteService({ pool: options.pool ?? db.pool, loadManager: new ScriptedSiteLoadManager() }),
    temporalClient,
    localListWaker: options.localListWaker,
    payments: options.payments,
    sseHeartbeatMs: options.sseHeartbeatMs,
    clock: options.clock,
    onContractViolation: (v) => violations.add(v),
  });

  const call: TestApi['call'] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = { ...opts.headers };
    const token = opts.token === undefined ? operatorToken : opts.token;
    if (token) headers.authorization = `Bearer ${token}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] ??= 'application/json';
    }
    const res = await fetch(api.url + path, { method, headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  };

  return {
    url: api.url,
    db,
    config,
    call,
    async createDriver(driverId, idTags = [`${driverId.toUpperCase()}-TAG`.slice(0, 20)]) {
      const res = await call('POST', '/v1/operator/drivers', { body: { driverId, name: driverId, idTags } });
      if (res.status !== 201) throw new Error(`creating driver ${driverId}: ${res.status} ${res.text}`);
      return res.json.token as string;
    },
    async close() {
      await api.close();
      await deadConnection?.close();
      if (!options.db) await db.drop();
      if (violations.size > 0) throw new Error(`answers that break the OpenAPI document:\n  ${[...violations].join('\n  ')}`);
    },
  };
}
