/** A handler's context without a socket: in-memory storage and outbox, a recording session layer, a silent logger. */
import { DataTransferRegistry } from '../../../src/gateway/data-transfer-registry';
import { SessionOutboxForwarder } from '../../../src/gateway/forwarding/session-outbox-forwarder';
import type { HandlerContext } from '../../../src/gateway/handlers/handler';
import type { RegistrationStatus } from '../../../src/gateway/rules/registration';
import { ignoredStationEvents } from '../../../src/stations/station-events';
import { RecordingSessionEvents, testLogger } from './gateway-harness';
import { InMemoryStorage } from './in-memory-storage';

export interface HandlerWorld {
  ctx: HandlerContext;
  storage: InMemoryStorage;
  events: RecordingSessionEvents;
  /** Resolves once the outbox has delivered what the handlers woke it for. */
  delivered(): Promise<void>;
}

export function handlerWorld(options: { stationId?: string; registration?: RegistrationStatus; storage?: InMemoryStorage } = {}): HandlerWorld {
  const stationId = options.stationId ?? 'CP_UNIT';
  const storage = options.storage ?? new InMemoryStorage().addStation(stationId, options.registration ?? 'Accepted');
  const events = new RecordingSessionEvents();
  const outbox = new SessionOutboxForwarder(storage.outbox, events, testLogger);
  const ctx: HandlerContext = {
    stationId,
    registration: { status: options.registration ?? 'Accepted' },
    storage,
    sessionEvents: events,
    sessionOutbox: outbox,
    stationEvents: ignoredStationEvents,
    dataTransfers: new DataTransferRegistry(),
    heartbeatIntervalS: 300,
    logger: testLogger,
  };
  return { ctx, storage, events, delivered: () => outbox.idle() };
}
