/** A handler's context without a socket: in-memory storage and outbox, a recording session layer, a silent logger. */
import { DataTransferRegistry } from '../../../src/gateway/data-transfer-registry';
import { SessionOutboxForwarder } from '../../../src/gateway/forwarding/session-outbox-forwarder';
import type { HandlerContext } from '../../../src/gateway/handlers/handler';
import type { StationEventSink } from '../../../src/stations/station-events';
import type { RegistrationStatus } from '../../../src/gateway/rules/registration';
import { RecordingSessionEvents, testLogger } from './gateway-harness';
import { InMemoryStorage } from './in-memory-storage';

/** Records what reaches the station layer; `failing` makes every call throw (Temporal unreachable). */
export class RecordingStationEvents implements StationEventSink {
  readonly events: { kind: keyof StationEventSink; event: unknown }[] = [];
  failing = false;
  private record(kind: keyof StationEventSink, event: unknown): Promise<void> {
    if (this.failing) return Promise.reject(new Error(`station workflows unavailable (${kind})`));
    this.events.push({ kind, event });
    return Promise.resolve();
  }
  stationConfigurationDue = (e: unknown) => this.record('stationConfigurationDue', e);
  stationChargingProfilesDue = (e: unknown) => this.record('stationChargingProfilesDue', e);
  firmwareStatus = (e: unknown) => this.record('firmwareStatus', e);
  firmwareBoot = (e: unknown) => this.record('firmwareBoot', e);
  diagnosticsStatus = (e: unknown) => this.record('diagnosticsStatus', e);
  localListSyncDue = (e: unknown) => this.record('localListSyncDue', e);
}

export interface HandlerWorld {
  ctx: HandlerContext;
  storage: InMemoryStorage;
  events: RecordingSessionEvents;
  stationEvents: RecordingStationEvents;
  /** Resolves once the outbox has delivered what the handlers woke it for. */
  delivered(): Promise<void>;
}

export function handlerWorld(options: { stationId?: string; registration?: RegistrationStatus; storage?: InMemoryStorage } = {}): HandlerWorld {
  const stationId = options.stationId ?? 'CP_UNIT';
  const storage = options.storage ?? new InMemoryStorage().addStation(stationId, options.registration ?? 'Accepted');
  const events = new RecordingSessionEvents();
  const stationEvents = new RecordingStationEvents();
  const outbox = new SessionOutboxForwarder(storage.outbox, events, testLogger);
  const ctx: HandlerContext = {
    stationId,
    registration: { status: options.registration ?? 'Accepted' },
    storage,
    sessionEvents: events,
    stationEvents,
    sessionOutbox: outbox,
    dataTransfers: new DataTransferRegistry(),
    heartbeatIntervalS: 300,
    logger: testLogger,
  };
  return { ctx, storage, events, stationEvents, delivered: () => outbox.idle() };
}
