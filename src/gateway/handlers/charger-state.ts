/** Messages about the charger itself: BootNotification, Heartbeat, StatusNotification, Diagnostics/FirmwareStatusNotification, DataTransfer. */
import type { BootInfo, StatusReport } from '../gateway-store';
import type { OcppHandler } from './context';

export const bootNotification: OcppHandler = async (ctx, params: BootInfo) => {
  const registration = await ctx.store.recordBoot(ctx.stationId, params);
  ctx.registration.status = registration;
  // Pending/Rejected: `interval` is when to send BootNotification again.
  return { status: registration, currentTime: new Date().toISOString(), interval: ctx.config.GATEWAY_HEARTBEAT_INTERVAL_S };
};

/**
 * Answered even when the database is down: a heartbeat carries nothing to lose, and the charger
 * uses the answer to keep its clock and to know the central system is there.
 */
export const heartbeat: OcppHandler = async (ctx) => {
  const registration = await ctx.store.recordHeartbeat(ctx.stationId).catch((err) => ctx.logger.warn({ err }, 'could not record the heartbeat'));
  if (registration) ctx.registration.status = registration;
  return { currentTime: new Date().toISOString() };
};

export const statusNotification: OcppHandler = async (ctx, params: StatusReport) => {
  await ctx.store.recordStatus(ctx.stationId, params);
  if (params.connectorId > 0) {
    const sessionId = await ctx.store.activeSessionOn(ctx.stationId, params.connectorId);
    if (sessionId) {
      await ctx.sessionEvents.connectorStatus({
        sessionId,
        stationId: ctx.stationId,
        connectorId: params.connectorId,
        status: params.status,
        errorCode: params.errorCode,
        at: params.timestamp ?? new Date().toISOString(),
      });
    }
  }
  return {};
};

export const diagnosticsStatusNotification: OcppHandler = async (ctx, params: { status: string }) => {
  await ctx.store.recordDiagnosticsStatus(ctx.stationId, params.status);
  return {};
};

export const firmwareStatusNotification: OcppHandler = async (ctx, params: { status: string }) => {
  await ctx.store.recordFirmwareStatus(ctx.stationId, params.status);
  return {};
};

export const dataTransfer: OcppHandler = async (ctx, params: { vendorId: string; messageId?: string; data?: string }) => {
  const answer = await ctx.dataTransfers.handle({ stationId: ctx.stationId, ...params });
  await ctx.store.recordDataTransfer(ctx.stationId, { ...params, status: answer.status });
  return answer.data === undefined ? { status: answer.status } : { status: answer.status, data: answer.data };
};
