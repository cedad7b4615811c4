/** What every message handler gets, whatever the protocol version: the station it talks to and the gateway's ports. */
import type { Logger } from '../../logger';
import type { SessionEventSink } from '../../sessions/session-events';
import type { StationEventSink } from '../../stations/station-events';
import type { DataTransferRegistry } from '../data-transfer-registry';
import type { SessionOutboxDelivery } from '../forwarding/session-outbox-forwarder';
import type { Registration } from '../rules/registration';
import type { GatewayStorage } from '../storage/ports';

export interface HandlerContext {
  stationId: string;
  /** The live connection's registration status (src/gateway/rules/registration.ts); BootNotification and Heartbeat update it. */
  registration: Registration;
  storage: GatewayStorage;
  sessionEvents: SessionEventSink;
  /** MeterValues reach their session through the outbox, after the station's answer. */
  sessionOutbox: SessionOutboxDelivery;
  /** Station-level events (configuration due after a boot; firmware and diagnostics notifications); forwarded after storing, failures only logged. */
  stationEvents: StationEventSink;
  dataTransfers: DataTransferRegistry;
  /** Heartbeat interval (and BootNotification retry interval) the station is told. */
  heartbeatIntervalS: number;
  logger: Logger;
}

/** Handles one (already schema-validated) request: persists first, then forwards (or leaves it to the outbox), then answers. */
export type Handler<Request, Response> = (ctx: HandlerContext, request: Request) => Promise<Response>;
