/**
 * Stand-ins for the session layer's services, for testing the HTTP layer alone: status
 * mapping, driver isolation, SSE framing and clean-up. They keep the sessions table real
 * (a start inserts the row the real service's workflow would), so ownership checks run
 * against PostgreSQL. The whole stack (Temporal, gateway, simulated chargers) is exercised
 * in session-flow.stack.test.ts.
 */
import { randomBytes } from 'node:crypto';
import type { ChargerCommandPort, SessionPort, SocEnableStatus } from '../../../src/api/deps';
import type { Pool } from '../../../src/db/pool';
import { SessionError } from '../../../src/sessions/session-error';
import type { Receipt, SessionState, StartOutcome, StopRequest } from '../../../workflows/session-messages';

export { SessionError };

type StartRequest = Parameters<SessionPort['startSession']>[0];

export function stateFor(sessionId: string, req: { stationId: string; connectorId: number; driverId: string | null; idTag: string }, patch: Partial<SessionState> = {}): SessionState {
  return {
    sessionId,
    status: 'charging',
    stationId: req.stationId,
    connectorId: req.connectorId,
    driverId: req.driverId,
    idTag: req.idTag,
    origin: 'app',
    transactionId: 1,
    meterStartWh: 154200,
    lastEnergyWh: '154200',
    energyKwh: '0',
    costSoFar: '0',
    currency: 'EUR',
    ratePerKwh: '0.25',
    socPercent: null,
    powerW: null,
    startTime: '2026-11-24T10:00:00.000Z',
    lastReadingAt: null,
    endTime: null,
    chargerOnline: true,
    socReporting: { status: 'enabled' },
    limits: {},
    powerLimit: null,
    stopReason: null,
    failureReason: null,
    flags: [],
    ...patch,
  };
}

export function receiptFor(state: SessionState, patch: Partial<Receipt> = {}): Receipt {
  return {
    session_id: state.sessionId,
    transaction_id: state.transactionId,
    station_id: state.stationId,
    connector_id: state.connectorId,
    driver_id: state.driverId,
    status: 'completed',
    stop_reason: 'Remote',
    currency: 'EUR',
    meter_start: 154200,
    meter_stop: 156700,
    energy_kwh: 2.5,
    rate_per_kwh: 0.25,
    total_cost: 0.63,
    energy_kwh_exact: '2.5',
    rate_per_kwh_exact: '0.25',
    total_cost_exact: '0.63',
    soc: 74,
    start_time: state.startTime,
    end_time: '2026-11-24T10:30:00.000Z',
    flags: [],
    tariff_id: 'standard',
    tariff_version: 1,
    line_items: [{ component: 'energy', description: 'Energy', quantity: '2.5', unit: 'kWh', unit_price: '0.25', amount: '0.63' }],
    subtotal_exact: '0.63',
    tax_exact: '0.00',
    failure_reason: null,
    ...patch,
  };
}

export class ScriptedSessions implements SessionPort {
  readonly starts: StartRequest[] = [];
  readonly stops: Array<{ sessionId: string; req: StopRequest; waitMs: number }> = [];
  readonly states = new Map<string, SessionState>();
  readonly receipts = new Map<string, Receipt>();
  /** Throw this from the next start (a SessionError, or anything). */
  startFailure: Error | null = null;
  startOutcome: Omit<StartOutcome, 'status'> & { status?: StartOutcome['status'] } = { accepted: true };
  /** What a stop answers: the receipt (charger confirmed in time) or the stopping state. */
  stopAnswer: 'receipt' | 'stopping' | Error = 'receipt';
  private readonly watchers = new Map<string, Set<(s: SessionState) => void>>();
  private readonly finishers = new Map<string, Set<() => void>>();
  activeWatches = 0;

  constructor(private readonly pool: Pool) {}

  async startSession(req: StartRequest): Promise<{ sessionId: string; outcome: StartOutcome }> {
    this.starts.push(req);
    if (this.startFailure) {
      const failure = this.startFailure;
      this.startFailure = null;
      throw failure;
    }
    const sessionId = `sess_${randomBytes(6).toString('hex')}`;
    const accepted = this.startOutcome.accepted;
    const busy = await this.pool.query('SELECT 1 FROM sessions WHERE active AND station_id = $1 AND connector_id = $2', [req.stationId, req.connectorId]);
    if (busy.rowCount) throw new SessionError('connector_busy', `connector ${req.connectorId} of ${req.stationId} is busy`);
    await this.pool.query(
      `INSERT INTO sessions (id, station_id, connector_id, driver_id, id_tag, origin, status, active) VALUES ($1, $2, $3, $4, $5, 'app', $6, $7)`,
      [sessionId, req.stationId, req.connectorId, req.driverId, req.idTag, accepted ? 'awaiting_plug_in' : 'failed', accepted],
    );
    const status = this.startOutcome.status ?? (accepted ? 'awaiting_plug_in' : 'failed');
    this.states.set(sessionId, stateFor(sessionId, req, { status }));
    return { sessionId, outcome: { accepted, status, reason: this.startOutcome.reason, ...(this.startOutcome.refusal ? { refusal: this.startOutcome.refusal } : {}) } };
  }

  async stopSession(sessionId: string, req: StopRequest, waitMs: number): Promise<{ receipt: Receipt } | { state: SessionState }> {
    this.stops.push({ sessionId, req, waitMs });
    if (this.stopAnswer instanceof Error) throw this.stopAnswer;
    const state = this.states.get(sessionId);
    if (!state) throw new SessionError('not_found', `session ${sessionId} not found`);
    if (this.stopAnswer === 'stopping') {
      this.update(sessionId, { status: 'stopping' });
      return { state: this.states.get(sessionId)! };
    }
    const receipt = receiptFor(state);
    await this.complete(sessionId, receipt);
    return { receipt };
  }

  async getState(sessionId: string): Promise<SessionState | null> {
    return this.states.get(sessionId) ?? null;
  }

  async getReceipt(sessionId: string): Promise<Receipt | null> {
    return this.receipts.get(sessionId) ?? null;
  }

  async watch(sessionId: string, onState: (s: SessionState) => void, abort: AbortSignal): Promise<void> {
    const state = this.states.get(sessionId);
    if (!state) throw new SessionError('not_found', `session ${sessionId} not found`);
    onState(state);
    if (['completed', 'failed', 'interrupted'].includes(state.status)) return;
    this.activeWatches++;
    await new Promise<void>((resolve) => {
      const watchers = this.watchers.get(sessionId) ?? new Set();
      const finishers = this.finishers.get(sessionId) ?? new Set();
      this.watchers.set(sessionId, watchers.add(onState));
      const done = (): void => {
        watchers.delete(onState);
        finishers.delete(done);
        resolve();
      };
      this.finishers.set(sessionId, finishers.add(done));
      abort.addEventListener('abort', done, { once: true });
    });
    this.activeWatches--;
  }

  /** A change of state, as a meter value or status change would make. */
  update(sessionId: string, patch: Partial<SessionState>): void {
    const next = { ...this.states.get(sessionId)!, ...patch };
    this.states.set(sessionId, next);
    for (const w of this.watchers.get(sessionId) ?? []) w(next);
  }

  /** Resolves once the row is inactive: a request right after must see the connector free. */
  async complete(sessionId: string, receipt: Receipt = receiptFor(this.states.get(sessionId)!)): Promise<void> {
    this.receipts.set(sessionId, receipt);
    this.update(sessionId, { status: 'completed', endTime: receipt.end_time });
    const written = this.pool.query(`UPDATE sessions SET status = 'completed', active = FALSE WHERE id = $1`, [sessionId]);
    for (const finish of [...(this.finishers.get(sessionId) ?? [])]) finish();
    await written;
  }
}

export class ScriptedChargerCommands implements ChargerCommandPort {
  readonly calls: Array<{ command: string; args: unknown[] }> = [];
  soc = { supported: true, enabled: false, measurands: ['Energy.Active.Import.Register'], basis: 'GetConfiguration MeterValuesSampledData' };
  enableStatus: SocEnableStatus = 'accepted';
  failure: Error | null = null;

  private record(command: string, ...args: unknown[]): void {
    this.calls.push({ command, args });
    if (this.failure) throw this.failure;
  }
  async checkSoc(stationId: string) {
    this.record('checkSoc', stationId);
    return this.soc;
  }
  async enableSoc(stationId: string) {
    this.record('enableSoc', stationId);
    return { status: this.enableStatus };
  }
  async getConfiguration(stationId: string, keys?: string[]) {
    this.record('getConfiguration', stationId, keys);
    return { configurationKey: [{ key: 'HeartbeatInterval', readonly: false, value: '300' }], unknownKey: [] };
  }
  async changeConfiguration(stationId: string, key: string, value: string) {
    this.record('changeConfiguration', stationId, key, value);
    return { status: 'Accepted' as const };
  }
  async reset(stationId: string, type: 'Hard' | 'Soft') {
    this.record('reset', stationId, type);
    return { status: 'Accepted' };
  }
  async unlockConnector(stationId: string, connectorId: number) {
    this.record('unlockConnector', stationId, connectorId);
    return { status: 'Unlocked' };
  }
  async requestBootNotification(stationId: string) {
    this.record('requestBootNotification', stationId);
    return { status: 'Accepted' };
  }
  async changeAvailability(stationId: string, connectorId: number, type: string) {
    this.record('changeAvailability', stationId, connectorId, type);
    return { status: 'Accepted' as const };
  }
  async triggerMessage(stationId: string, requestedMessage: string, connectorId?: number) {
    this.record('triggerMessage', stationId, requestedMessage, connectorId);
    return { status: 'Accepted' as const };
  }
  async clearCache(stationId: string) {
    this.record('clearCache', stationId);
    return { status: 'Accepted' as const };
  }
  async getLocalListVersion(stationId: string) {
    this.record('getLocalListVersion', stationId);
    return { listVersion: 0 };
  }
  async dataTransfer(stationId: string, request: { vendorId: string; messageId?: string; data?: string }) {
    this.record('dataTransfer', stationId, request);
    return { status: 'UnknownVendorId' as const };
  }
  async setChargingProfile(stationId: string, request: unknown) {
    this.record('setChargingProfile', stationId, request);
    return { status: 'Accepted' as const };
  }
  async clearChargingProfile(stationId: string, request: unknown) {
    this.record('clearChargingProfile', stationId, request);
    return { status: 'Accepted' as const };
  }
  async getCompositeSchedule(stationId: string, request: { connectorId: number }) {
    this.record('getCompositeSchedule', stationId, request);
    return { status: 'Rejected' as const };
  }
  async getBaseReport(stationId: string, reportBase: string) {
    this.record('getBaseReport', stationId, reportBase);
    return { status: 'Accepted' as const, requestId: 1 };
  }
  async applyStationChargingProfiles(stationId: string, waitMs: number) {
    this.record('applyStationChargingProfiles', stationId, waitMs);
  }
}
