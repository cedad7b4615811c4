import type { Config } from '../../config/config';
import type { Logger } from '../../logger';
import type { SessionEventSink } from '../../sessions/session-events';
import type { DataTransferRegistry } from '../data-transfer-registry';
import type { GatewayStore } from '../gateway-store';
import type { Registration } from '../registration';

/** What every OCPP handler gets: the charger it talks to and the gateway's dependencies. */
export interface HandlerContext {
  stationId: string;
  /** The live connection's registration status (src/gateway/registration.ts); BootNotification and Heartbeat update it. */
  registration: Registration;
  config: Config;
  store: GatewayStore;
  sessionEvents: SessionEventSink;
  dataTransfers: DataTransferRegistry;
  logger: Logger;
}

/** Handles one action's (already schema-validated) request; persists first, then forwards, then answers. */
export type OcppHandler = (ctx: HandlerContext, params: any) => Promise<object>;
