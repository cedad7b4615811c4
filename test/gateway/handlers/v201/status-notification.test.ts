import { notifyEvent } from '../../../../src/gateway/handlers/v201/notify-event';
import { statusNotification } from '../../../../src/gateway/handlers/v201/status-notification';
import { handlerWorld } from '../../support/handler-context';

describe('StatusNotification (OCPP 2.0.1)', () => {
  it('tells the session on the EVSE its connector status in 2.0.1 words: Available (unplugged) ends idle time, Faulted flags it', async () => {
    const { ctx, storage, events } = handlerWorld();
    storage.addAppSession({ sessionId: 'sess-1', stationId: 'CP_UNIT', connectorId: 2, idTag: 'TAG' });
    for (const connectorStatus of ['Occupied', 'Faulted', 'Available'] as const) {
      expect(await statusNotification(ctx, { timestamp: '2026-12-02T10:00:00.000Z', connectorStatus, evseId: 2, connectorId: 1 })).toEqual({});
    }
    expect(storage.connectorStatuses.map((s) => [s.connectorId, s.evseConnectorId, s.status, s.errorCode])).toEqual([
      [2, 1, 'Occupied', 'NoError'],
      [2, 1, 'Faulted', 'OtherError'],
      [2, 1, 'Available', 'NoError'],
    ]);
    expect(events.of('connectorStatus').map((e) => [e.sessionId, e.connectorId, e.status, e.at])).toEqual([
      ['sess-1', 2, 'Occupied', '2026-12-02T10:00:00.000Z'],
      ['sess-1', 2, 'Faulted', '2026-12-02T10:00:00.000Z'],
      ['sess-1', 2, 'Available', '2026-12-02T10:00:00.000Z'],
    ]);
  });

  it('NotifyEvent: only a Connector AvailabilityState with an EVSE and a connector status value is a status; other events are only stored', async () => {
    const { ctx, storage } = handlerWorld();
    const base = { eventId: 1, timestamp: '2026-12-02T10:00:00.000Z', trigger: 'Delta' as const, eventNotificationType: 'HardWiredNotification' as const };
    await notifyEvent(ctx, {
      generatedAt: base.timestamp,
      seqNo: 0,
      eventData: [
        { ...base, component: { name: 'Connector', evse: { id: 1, connectorId: 1 } }, variable: { name: 'AvailabilityState' }, actualValue: 'Reserved' },
        { ...base, eventId: 2, component: { name: 'Connector' }, variable: { name: 'AvailabilityState' }, actualValue: 'Occupied' },
        { ...base, eventId: 3, component: { name: 'Connector', evse: { id: 2 } }, variable: { name: 'AvailabilityState' }, actualValue: 'Broken' },
        { ...base, eventId: 4, component: { name: 'EVSE', evse: { id: 3 } }, variable: { name: 'Problem' }, actualValue: 'true' },
      ],
    });
    expect(storage.stationEvents.map((e) => e.event.eventId)).toEqual([1, 2, 3, 4]);
    expect(storage.connectorStatuses.map((s) => [s.connectorId, s.status])).toEqual([[1, 'Reserved']]);
  });
});
