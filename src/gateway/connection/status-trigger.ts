/**
 * A station that reconnects without booting may not report its connectors again, and going
 * offline left them Unknown: this long after connecting without a BootNotification, it is asked
 * for them (TriggerMessage StatusNotification), best effort. Its configuration is reconciled then
 * too (a boot starts its own reconciliation), as after a boot.
 */
import type { Logger } from '../../logger';
import type { ChargerCommandActivities } from '../../ocpp/charger-commands';
import type { StationEventSink } from '../../stations/station-events';
import type { StationClient } from './station-client';

export interface StatusTriggerDeps {
  delayMs: number;
  commands: Pick<ChargerCommandActivities, 'triggerMessage'>;
  stationEvents: StationEventSink;
  /** Still worth asking: the connection is still the station's current one and the gateway is not closing. */
  stillCurrent(): boolean;
  logger: Logger;
  track(what: string, work: Promise<unknown>): void;
}

export function requestStatusesUnlessBooted(client: StationClient, stationId: string, deps: StatusTriggerDeps): void {
  if (deps.delayMs <= 0) return;
  let booted = false;
  client.on('call', ({ outbound, payload }) => {
    if (!outbound && payload[2] === 'BootNotification') booted = true;
  });
  const timer = setTimeout(() => {
    if (booted || !deps.stillCurrent()) return;
    deps.track('status request', requestStatuses(stationId, deps));
    deps.track('configuration reconciliation', deps.stationEvents.stationConfigurationDue({ stationId, trigger: 'reconnect' }));
    deps.track('station charging profiles', deps.stationEvents.stationChargingProfilesDue({ stationId, trigger: 'reconnect' }));
    deps.track('local-list sync', deps.stationEvents.localListSyncDue({ stationId, trigger: 'reconnect' }));
  }, deps.delayMs);
  timer.unref();
  client.on('close', () => clearTimeout(timer));
}

async function requestStatuses(stationId: string, deps: StatusTriggerDeps): Promise<void> {
  try {
    const { status } = await deps.commands.triggerMessage({ stationId, requestedMessage: 'StatusNotification' });
    deps.logger.info({ stationId, status }, 'no BootNotification after connecting: asked the charger for StatusNotification');
  } catch (err) {
    deps.logger.warn({ err, stationId }, 'no BootNotification after connecting: could not ask the charger for StatusNotification');
  }
}
