/**
 * A connector's reported status, whatever the version: stored (the station view and the
 * availability rules read it), and told to the session active on the connector (EV full,
 * unplugged, faulted). Connector 0 is the station itself: no session to tell.
 */
import type { ConnectorStatusReport } from '../storage/ports';
import type { HandlerContext } from './handler';

export async function recordConnectorStatus(ctx: HandlerContext, report: ConnectorStatusReport): Promise<void> {
  await ctx.storage.stations.recordConnectorStatus(ctx.stationId, report);
  if (report.connectorId === 0) return;
  const sessionId = await ctx.storage.sessions.onConnector(ctx.stationId, report.connectorId);
  if (sessionId) {
    await ctx.sessionEvents.connectorStatus({
      sessionId,
      stationId: ctx.stationId,
      connectorId: report.connectorId,
      status: report.status,
      errorCode: report.errorCode,
      at: report.timestamp ?? new Date().toISOString(),
    });
  }
}
