import { statusNotification } from '../../../../src/gateway/handlers/v16/status-notification';
import { handlerWorld } from '../../support/handler-context';

describe('StatusNotification (OCPP 1.6)', () => {
  it('stores the status and tells the active session on that connector, stamped with the station time', async () => {
    const { ctx, storage, events } = handlerWorld();
    storage.addAppSession({ sessionId: 'sess-1', stationId: 'CP_UNIT', connectorId: 2, idTag: 'TAG' });
    const report = { connectorId: 2, status: 'SuspendedEV' as const, errorCode: 'NoError' as const, timestamp: '2026-11-24T10:20:00.000Z' };
    expect(await statusNotification(ctx, report)).toEqual({});
    expect(storage.connectorStatuses).toEqual([{ stationId: 'CP_UNIT', ...report }]);
    expect(events.of('connectorStatus')).toEqual([{ sessionId: 'sess-1', stationId: 'CP_UNIT', connectorId: 2, status: 'SuspendedEV', errorCode: 'NoError', at: report.timestamp }]);
  });

  it('tells no session about connector 0 (the station itself) or a connector without a session', async () => {
    const { ctx, storage, events } = handlerWorld();
    storage.addAppSession({ sessionId: 'sess-1', stationId: 'CP_UNIT', connectorId: 1, idTag: 'TAG' });
    await statusNotification(ctx, { connectorId: 0, status: 'Faulted', errorCode: 'PowerMeterFailure' });
    await statusNotification(ctx, { connectorId: 2, status: 'Available', errorCode: 'NoError' });
    expect(storage.connectorStatuses).toHaveLength(2);
    expect(events.events).toEqual([]);
  });
});
