/**
 * One identity, one live connection, routed by epoch. A new authenticated connection for a
 * station id replaces the old one, which is closed with code 1000 and reason "Replaced by a new
 * connection"; every connection gets a new (higher) epoch from PostgreSQL, routing moves to it
 * unless a newer one already holds the station, and the session layer sees no offline event for
 * a replacement. Sessions hear "connection lost / restored" only from the connection routed to.
 */
import type { Logger } from '../../logger';
import type { SessionEventSink } from '../../sessions/session-events';
import type { ActiveSessions, ConnectionRoutes } from '../storage/ports';
import type { LiveConnection, LiveConnections } from './live-connections';

export interface LifecycleDeps {
  gatewayId: string;
  connections: LiveConnections;
  routes: ConnectionRoutes;
  sessions: ActiveSessions;
  sessionEvents: SessionEventSink;
  logger: Logger;
  /** Background work that shutdown waits for; failures are logged, never thrown. */
  track(what: string, work: Promise<unknown>): void;
}

export class ConnectionLifecycle {
  constructor(private readonly deps: LifecycleDeps) {}

  /** Holds the new connection (replacing the station's previous one) and records its routing. */
  open(connection: Omit<LiveConnection, 'epoch'>): LiveConnection {
    const live: LiveConnection = { ...connection, epoch: this.deps.routes.newEpoch() };
    live.epoch.catch(() => undefined);
    const previous = this.deps.connections.add(live);
    live.client.on('close', ({ code, reason }) => this.deps.track('disconnect', this.onClosed(live, code, reason)));
    if (previous) this.deps.track('replacement', this.replace(previous));
    this.deps.track('connect', this.onConnected(live));
    return live;
  }

  /** Closes gracefully, or forcibly after 2 s. */
  async close(connection: LiveConnection, code: number, reason: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const graceful = connection.client.close({ code, reason }).catch(() => undefined);
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), 2000);
    });
    const outcome = await Promise.race([graceful, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') await connection.client.close({ force: true }).catch(() => undefined);
  }

  private async replace(previous: LiveConnection): Promise<void> {
    const { gatewayId, routes, logger } = this.deps;
    logger.info({ stationId: previous.stationId }, 'charger connection replaced by a new one');
    await this.close(previous, 1000, 'Replaced by a new connection');
    const epoch = await previous.epoch;
    await routes.recordConnectionEvent({ stationId: previous.stationId, gatewayId, epoch, event: 'replaced', remoteAddress: previous.remoteAddress });
  }

  private async onConnected(connection: LiveConnection): Promise<void> {
    const { gatewayId, routes, logger } = this.deps;
    const { stationId, remoteAddress } = connection;
    let epoch: number;
    try {
      epoch = await connection.epoch;
    } catch (err) {
      logger.error({ err, stationId }, 'could not record the connection: closing it');
      await this.close(connection, 1011, 'Central system unavailable');
      return;
    }
    const routed = await routes.markOnline(stationId, gatewayId, epoch, connection.version.ocppVersion);
    await routes.recordConnectionEvent({ stationId, gatewayId, epoch, event: 'connected', remoteAddress });
    logger.info({ stationId, epoch, routed }, 'charger connected');
    if (routed && this.deps.connections.isCurrent(connection)) await this.notifySessions(stationId, true, epoch);
  }

  private async onClosed(connection: LiveConnection, code?: number, reason?: string): Promise<void> {
    const { gatewayId, routes, logger } = this.deps;
    const { stationId, remoteAddress } = connection;
    const current = this.deps.connections.remove(connection);
    const epoch = await connection.epoch;
    const why = `${code ?? ''} ${reason ?? ''}`.trim() || undefined;
    await routes.recordConnectionEvent({ stationId, gatewayId, epoch, event: 'disconnected', reason: why, remoteAddress });
    logger.info({ stationId, epoch, code, reason }, 'charger disconnected');
    // A replaced connection leaves routing to its successor.
    if (!current) return;
    if (await routes.markOffline(stationId, epoch)) await this.notifySessions(stationId, false, epoch);
  }

  private async notifySessions(stationId: string, online: boolean, connectionEpoch: number): Promise<void> {
    const at = new Date().toISOString();
    for (const s of await this.deps.sessions.ofStation(stationId)) {
      await this.deps.sessionEvents
        .chargerConnection({ sessionId: s.sessionId, stationId, online, connectionEpoch, at })
        .catch((err) => this.deps.logger.error({ err, stationId, sessionId: s.sessionId }, 'could not forward the charger connection event'));
    }
  }
}
