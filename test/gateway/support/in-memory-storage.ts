/**
 * The gateway's storage ports in memory, for handler unit tests that run without a socket or a
 * database. The decisions are the production rules (src/gateway/rules/*), so a handler test
 * exercises the same "which session", ConcurrentTx and ownership answers as PostgreSQL gives.
 */
import type { BootNotificationRequest } from '../../../src/ocpp/ocpp16-messages';
import type { EventDataType, ReportDataType } from '../../../src/ocpp/ocpp201-messages';
import { authorizationForStart, type RegisteredIdTag } from '../../../src/gateway/rules/id-tag-authorization';
import type { RegistrationStatus } from '../../../src/gateway/rules/registration';
import { isConflictSession, isFollowed, sessionForTransaction } from '../../../src/gateway/rules/transaction-session';
import type {
  ActiveSession,
  ConnectorStatusReport,
  ReportedStatus,
  ReportFrame,
  GatewayStorage,
  MeterSample,
  OutboxEntry,
  MeterSampleGroup,
  PendingSamples201,
  StartedTransaction,
  StartTransactionInput,
  StationCredentials,
  StationTransaction,
  StopTransactionInput,
  Transaction201,
} from '../../../src/gateway/storage/ports';
import type { RemoteStartRecord } from '../../../src/gateway/rules/transaction-events-201';

export interface SessionRecord {
  sessionId: string;
  stationId: string;
  connectorId: number;
  driverId: string | null;
  idTag: string;
  origin: 'app' | 'charger';
  status: string;
  active: boolean;
  transactionId: number | null;
  failureReason: string | null;
}

export interface TransactionRecord extends StartTransactionInput {
  transactionId: number;
  sessionId: string;
  stop?: Omit<StopTransactionInput, 'stationId' | 'transactionId' | 'samples'>;
}

export type StoredSample = MeterSample & { stationId: string; connectorId: number; transactionId: number | null; timestamp: string };

export class InMemoryStorage implements GatewayStorage {
  readonly credentialsById = new Map<string, StationCredentials>();
  readonly boots = new Map<string, BootNotificationRequest>();
  readonly heartbeats: string[] = [];
  readonly connectorStatuses: Array<{ stationId: string } & ConnectorStatusReport> = [];
  readonly diagnostics: Array<{ stationId: string; status: string; reported?: ReportedStatus }> = [];
  readonly firmware: Array<{ stationId: string; status: string; reported?: ReportedStatus }> = [];
  readonly stationEvents: Array<{ stationId: string; frame: ReportFrame; event: EventDataType }> = [];
  readonly securityEvents: Array<{ stationId: string; type: string; timestamp: string; techInfo?: string }> = [];
  readonly deviceModel: Array<{ stationId: string; frame: ReportFrame & { requestId: number }; variable: ReportDataType }> = [];
  readonly dataTransferLog: Array<{ stationId: string; vendorId: string; messageId?: string; data?: string; status: string }> = [];
  readonly idTagsByKey = new Map<string, RegisteredIdTag>();
  readonly sessionRows: SessionRecord[] = [];
  readonly transactionRows: TransactionRecord[] = [];
  readonly samples: StoredSample[] = [];
  readonly outboxEntries: OutboxEntry[] = [];
  private nextOutboxId = 1;
  private nextTransactionId = 1;
  private nextSession = 1;
  private epoch = 0;

  /** A station known to the network, as the operator registered it. */
  /** Stations with a firmware update running (firmware_updates rows not finished). */
  readonly firmwareUpdating = new Set<string>();

  addStation(stationId: string, registrationStatus: RegistrationStatus = 'Accepted'): this {
    this.credentialsById.set(stationId, { passwordHash: null, registrationStatus });
    return this;
  }

  addIdTag(idTag: string, tag: Partial<RegisteredIdTag> = {}): this {
    this.idTagsByKey.set(idTag.toLowerCase(), { status: 'Accepted', expired: false, driverId: null, ...tag });
    return this;
  }

  /** An app start waiting for its StartTransaction. */
  addAppSession(s: Pick<SessionRecord, 'sessionId' | 'stationId' | 'connectorId' | 'idTag'> & { driverId?: string }): this {
    this.sessionRows.push({ driverId: null, ...s, origin: 'app', status: 'starting', active: true, transactionId: null, failureReason: null });
    return this;
  }

  stations: GatewayStorage['stations'] = {
    credentials: async (id) => this.credentialsById.get(id) ?? null,
    registerPending: async (id, passwordHash) => {
      if (!this.credentialsById.has(id)) this.credentialsById.set(id, { passwordHash, registrationStatus: 'Pending' });
    },
    registrationStatus: async (id) => this.credentialsById.get(id)?.registrationStatus ?? null,
    recordBoot: async (id, boot) => {
      const station = this.credentialsById.get(id);
      if (!station) throw new Error(`station ${id} does not exist`);
      this.boots.set(id, boot);
      return station.registrationStatus;
    },
    recordHeartbeat: async (id) => {
      this.heartbeats.push(id);
      return this.credentialsById.get(id)?.registrationStatus ?? null;
    },
    recordConnectorStatus: async (stationId, report) => void this.connectorStatuses.push({ stationId, ...report }),
    recordDiagnosticsStatus: async (stationId, status, reported) => void this.diagnostics.push(reported ? { stationId, status, reported } : { stationId, status }),
    recordFirmwareStatus: async (stationId, status, reported) => void this.firmware.push(reported ? { stationId, status, reported } : { stationId, status }),
    firmwareUpdateInProgress: async (stationId) => this.firmwareUpdating.has(stationId),
    recordDataTransfer: async (stationId, d) => void this.dataTransferLog.push({ stationId, ...d }),
  };

  reports: GatewayStorage['reports'] = {
    recordEvents: async (stationId, frame, events) => void this.stationEvents.push(...events.map((event) => ({ stationId, frame, event }))),
    recordSecurityEvent: async (stationId, event) => void this.securityEvents.push({ stationId, ...event }),
    recordDeviceModel: async (stationId, frame, variables) => void this.deviceModel.push(...variables.map((variable) => ({ stationId, frame, variable }))),
  };

  routes: GatewayStorage['routes'] = {
    newEpoch: async () => ++this.epoch,
    markOnline: async () => true,
    markOffline: async () => true,
    markGatewayOffline: async () => undefined,
    recordConnectionEvent: async () => undefined,
  };

  idTags: GatewayStorage['idTags'] = { find: async (idTag) => this.idTagsByKey.get(idTag.toLowerCase()) ?? null };

  sessions: GatewayStorage['sessions'] = {
    ofStation: async (stationId): Promise<ActiveSession[]> =>
      this.sessionRows.filter((s) => s.active && s.stationId === stationId).map((s) => ({ sessionId: s.sessionId, connectorId: s.connectorId })),
    onConnector: async (stationId, connectorId) => this.activeOn(stationId, connectorId)?.sessionId ?? null,
  };

  transactions: GatewayStorage['transactions'] = {
    start: (input) => this.start(input),
    stop: async (input) => {
      const row = this.transactionRows.find((t) => t.transactionId === input.transactionId && t.stationId === input.stationId);
      const { samples, stationId: _s, transactionId: _t, ...stop } = input;
      if (row) row.stop ??= stop;
      if (samples) this.store(input.stationId, row?.connectorId ?? 0, row ? row.transactionId : null, samples);
      return row ? this.ofStation(row) : null;
    },
    recordMeterValues: async (stationId, connectorId, transactionId, groups, readings) => {
      const row = this.transactionRows.find((t) => t.transactionId === transactionId && t.stationId === stationId);
      this.store(stationId, connectorId, row ? row.transactionId : null, groups);
      const tx = row ? this.ofStation(row) : null;
      if (!tx?.followed) return tx && { ...tx, outboxEntry: null };
      const event = { sessionId: tx.sessionId, stationId, connectorId, transactionId: tx.transactionId, readings };
      const entry = { id: this.nextOutboxId++, sessionId: tx.sessionId, event };
      this.outboxEntries.push(entry);
      return { ...tx, outboxEntry: entry };
    },
    recordLateSamples: async (stationId, connectorId, transactionId, groups) => {
      const row = this.transactionRows.find((t) => t.transactionId === transactionId && t.stationId === stationId);
      this.store(stationId, connectorId, row ? row.transactionId : null, groups);
    },
  };

  /** OCPP 2.0.1 transactions by `${stationId} ${chargerTransactionId}`, their seqNos and held samples. */
  readonly transactions201Rows = new Map<string, Transaction201>();
  readonly events201 = new Map<string, Map<number, PendingSamples201 | null>>();

  transactions201: GatewayStorage['transactions201'] = {
    record: async (stationId, chargerTransactionId, event, fold, pending) => {
      const key = `${stationId} ${chargerTransactionId}`;
      let tx = this.transactions201Rows.get(key);
      if (!tx) {
        tx = { stationId, chargerTransactionId, transactionId: null, state: {}, started: null, startedForwarded: false, stopped: null, stoppedForwarded: false, followed: true };
        this.transactions201Rows.set(key, tx);
        this.events201.set(key, new Map());
      }
      const seen = this.events201.get(key)!;
      if (seen.has(event.seqNo)) return { duplicate: true, transaction: { ...tx } };
      tx.state = fold(tx.state);
      seen.set(event.seqNo, pending);
      return { duplicate: false, transaction: { ...tx } };
    },
    remoteStart: async (stationId, remoteStartId): Promise<RemoteStartRecord | null> => {
      const r = this.remoteStarts.find((s) => s.remoteStartId === remoteStartId && s.stationId === stationId);
      return r ? { evseId: r.evseId, idToken: r.idToken } : null;
    },
    pending: async (stationId, chargerTransactionId) =>
      [...(this.events201.get(`${stationId} ${chargerTransactionId}`) ?? new Map<number, PendingSamples201 | null>()).values()]
        .filter((p): p is PendingSamples201 => p !== null)
        .sort((a, b) => a.seqNo - b.seqNo),
    applied: async (stationId, chargerTransactionId, seqNos) => {
      const seen = this.events201.get(`${stationId} ${chargerTransactionId}`);
      for (const n of seqNos) seen?.set(n, null);
    },
    update: async (stationId, chargerTransactionId, progress) => {
      const tx = this.transactions201Rows.get(`${stationId} ${chargerTransactionId}`)!;
      const taken = [...this.transactions201Rows.values()].some((other) => other !== tx && other.transactionId === progress.transactionId);
      if (!taken) tx.transactionId ??= progress.transactionId ?? null;
      if (tx.transactionId !== null) this.chargerTransactionIdOf.set(tx.transactionId, { stationId, chargerTransactionId });
      tx.started = progress.started ?? tx.started;
      tx.startedForwarded ||= progress.startedForwarded ?? false;
      tx.stopped = progress.stopped ?? tx.stopped;
      tx.stoppedForwarded ||= progress.stoppedForwarded ?? false;
      tx.followed = progress.followed ?? tx.followed;
      return { ...tx };
    },
  };

  outbox: GatewayStorage['outbox'] = {
    pending: async (sessionIds, limit) => this.outboxEntries.filter((e) => sessionIds.includes(e.sessionId)).slice(0, limit),
    remove: async (ids) => {
      for (const id of ids) {
        const i = this.outboxEntries.findIndex((e) => e.id === id);
        if (i >= 0) this.outboxEntries.splice(i, 1);
      }
    },
    waitingSessions: async () => [...new Set(this.outboxEntries.map((e) => e.sessionId))],
  };

  /** OCPP 2.0.1: the station's transaction ids, by ours. */
  readonly chargerTransactionIdOf = new Map<number, { stationId: string; chargerTransactionId: string }>();

  chargerTransactionIds: GatewayStorage['chargerTransactionIds'] = {
    ofTransaction: async (stationId, transactionId) => {
      const id = this.chargerTransactionIdOf.get(transactionId);
      return id?.stationId === stationId ? id.chargerTransactionId : null;
    },
    runningOnEvse: async (stationId, evseId) => {
      const row = [...this.transactionRows].reverse().find((t) => t.stationId === stationId && t.connectorId === evseId && !t.stop);
      return row ? await this.chargerTransactionIds.ofTransaction(stationId, row.transactionId) : null;
    },
  };

  /** OCPP 2.0.1: remote starts and request ids issued. */
  readonly remoteStarts: Array<{ remoteStartId: number; stationId: string; evseId: number | null; idToken: string }> = [];
  readonly requests: Array<{ requestId: number; stationId: string; kind: string }> = [];
  commands201: GatewayStorage['commands201'] = {
    recordRemoteStart: async (stationId, evseId, idToken) => {
      const remoteStartId = this.remoteStarts.length + 1;
      this.remoteStarts.push({ remoteStartId, stationId, evseId, idToken });
      return remoteStartId;
    },
    recordRequest: async (stationId, kind) => {
      const requestId = this.requests.length + 1;
      this.requests.push({ requestId, stationId, kind });
      return requestId;
    },
  };

  session(sessionId: string): SessionRecord | undefined {
    return this.sessionRows.find((s) => s.sessionId === sessionId);
  }

  private activeOn(stationId: string, connectorId: number): SessionRecord | undefined {
    return this.sessionRows.find((s) => s.active && s.stationId === stationId && s.connectorId === connectorId);
  }

  private inAnotherTransaction(idTag: string, exceptSessionId?: string): boolean {
    return this.sessionRows.some((s) => s.active && s.idTag.toLowerCase() === idTag.toLowerCase() && s.transactionId !== null && s.sessionId !== exceptSessionId);
  }

  private async start(input: StartTransactionInput): Promise<StartedTransaction> {
    const tag = this.idTagsByKey.get(input.idTag.toLowerCase()) ?? null;
    const replay = this.transactionRows.find(
      (t) => t.stationId === input.stationId && t.connectorId === input.connectorId && t.idTag.toLowerCase() === input.idTag.toLowerCase() && t.meterStart === input.meterStart && t.timestamp === input.timestamp,
    );
    if (replay) {
      const s = this.session(replay.sessionId)!;
      const { info } = await authorizationForStart(tag, async () => this.inAnotherTransaction(input.idTag, s.sessionId));
      return { transactionId: replay.transactionId, sessionId: s.sessionId, stationInitiated: s.origin === 'charger', replay: true, conflict: isConflictSession(s), driverId: s.driverId, idTagInfo: info };
    }
    const { info, driverId } = await authorizationForStart(tag, async () => this.inAnotherTransaction(input.idTag));
    const active = this.activeOn(input.stationId, input.connectorId);
    const decision = sessionForTransaction(active ? { sessionId: active.sessionId, transactionId: active.transactionId, driverId: active.driverId } : null);
    const transactionId = this.nextTransactionId++;
    let session: SessionRecord;
    if (decision.kind === 'awaited') session = active!;
    else {
      const conflict = decision.kind === 'conflict';
      session = { sessionId: `s${this.nextSession++}`, stationId: input.stationId, connectorId: input.connectorId, driverId, idTag: input.idTag, origin: 'charger', status: conflict ? 'failed' : 'charging', active: !conflict, transactionId: null, failureReason: conflict ? decision.failureReason : null };
      this.sessionRows.push(session);
    }
    session.transactionId = transactionId;
    this.transactionRows.push({ ...input, transactionId, sessionId: session.sessionId });
    return { transactionId, sessionId: session.sessionId, stationInitiated: decision.kind === 'station_started', replay: false, conflict: decision.kind === 'conflict', driverId: session.driverId ?? driverId, idTagInfo: info };
  }

  private ofStation(row: TransactionRecord): StationTransaction {
    const s = this.session(row.sessionId)!;
    return { transactionId: row.transactionId, sessionId: row.sessionId, connectorId: row.connectorId, followed: isFollowed(s) };
  }

  private store(stationId: string, connectorId: number, transactionId: number | null, groups: MeterSampleGroup[]): void {
    for (const g of groups) for (const v of g.samples) this.samples.push({ stationId, connectorId, transactionId, timestamp: g.timestamp, ...v });
  }
}
