/** A handler's context without a socket: in-memory storage, a recording session layer, a silent logger. */
import { DataTransferRegistry } from '../../../src/gateway/data-transfer-registry';
import type { HandlerContext } from '../../../src/gateway/handlers/handler';
import { noStationEvents } from '../../../src/stations/station-events';
import type { RegistrationStatus } from '../../../src/gateway/rules/registration';
import { RecordingSessionEvents, testLogger } from './gateway-harness';
import { InMemoryStorage } from './in-memory-storage';

export interface HandlerWorld {
  ctx: HandlerContext;
  storage: InMemoryStorage;
  events: RecordingSessionEvents;
}

export function handlerWorld(options: { stationId?: string; registration?: RegistrationStatus; storage?: InMemoryStorage } = {}): HandlerWorld {
  const stationId = options.stationId ?? 'CP_UNIT';
  const storage = options.storage ?? new InMemoryStorage().addStation(stationId, options.registration ?? 'Accepted');
  const events = new RecordingSessionEvents();
  const ctx: HandlerContext = {
    stationId,
    registration: { status: options.registration ?? 'Accepted' },
    storage,
    sessionEvents: events,
    stationEvents: noStationEvents,
    dataTransfers: new DataTransferRegistry(),
    heartbeatIntervalS: 300,
    logger: testLogger,
  };
  return { ctx, storage, events };
}
