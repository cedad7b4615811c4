import pino from 'pino';
import { reservationStatusUpdate } from '../../../../src/gateway/handlers/v201/reservation-status-update';
import { handlerWorld } from '../../support/handler-context';

describe('ReservationStatusUpdate (OCPP 2.0.1 H04)', () => {
  it('is acknowledged with {} and logged with the station, the reservation and its status; nothing reaches a workflow (the reservation ends by its own timer)', async () => {
    const lines: any[] = [];
    const { ctx, events, stationEvents, storage } = handlerWorld();
    ctx.logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
    expect(await reservationStatusUpdate(ctx, { reservationId: 12, reservationUpdateStatus: 'Expired' })).toEqual({});
    expect(await reservationStatusUpdate(ctx, { reservationId: 13, reservationUpdateStatus: 'Removed' })).toEqual({});
    expect(lines.map(({ stationId, reservationId, reservationUpdateStatus }) => ({ stationId, reservationId, reservationUpdateStatus }))).toEqual([
      { stationId: 'CP_UNIT', reservationId: 12, reservationUpdateStatus: 'Expired' },
      { stationId: 'CP_UNIT', reservationId: 13, reservationUpdateStatus: 'Removed' },
    ]);
    expect(events.events).toEqual([]);
    expect(stationEvents.events).toEqual([]);
    expect(storage.outboxEntries).toEqual([]);
  });
});
