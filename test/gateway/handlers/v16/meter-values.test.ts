import { meterValues } from '../../../../src/gateway/handlers/v16/meter-values';
import { startTransaction } from '../../../../src/gateway/handlers/v16/start-transaction';
import { handlerWorld } from '../../support/handler-context';

const sample = (value: string, extra: object = {}) => ({ timestamp: '2026-11-24T10:05:00.000Z', sampledValue: [{ value, unit: 'kWh' as const, ...extra }] });

describe('MeterValues (OCPP 1.6)', () => {
  it('stores the samples with the spec defaults resolved and forwards the readings to the transaction session', async () => {
    const { ctx, storage, events, delivered } = handlerWorld();
    storage.addIdTag('TAG');
    const { transactionId } = await startTransaction(ctx, { connectorId: 1, idTag: 'TAG', meterStart: 154200, timestamp: '2026-11-24T10:00:00.000Z' });
    expect(await meterValues(ctx, { connectorId: 1, transactionId, meterValue: [sample('155.1')] })).toEqual({});
    expect(storage.samples).toEqual([
      expect.objectContaining({ transactionId, measurand: 'Energy.Active.Import.Register', context: 'Sample.Periodic', format: 'Raw', unit: 'kWh', value: '155.1' }),
    ]);
    await delivered();
    expect(storage.outboxEntries).toEqual([]); // delivered, so gone
    const [forwarded] = events.of('meterValues');
    expect(forwarded).toMatchObject({ stationId: 'CP_UNIT', transactionId, readings: [{ timestamp: '2026-11-24T10:05:00.000Z', energyWh: '155100', context: 'Sample.Periodic' }] });
  });

  it('keeps samples claiming another station’s transaction without the transaction id, and forwards nothing', async () => {
    const { ctx: victim, storage, events, delivered } = handlerWorld({ stationId: 'CP_VICTIM' });
    storage.addStation('CP_INTRUDER').addIdTag('TAG');
    const { transactionId } = await startTransaction(victim, { connectorId: 1, idTag: 'TAG', meterStart: 0, timestamp: '2026-11-24T10:00:00.000Z' });
    const intruder = { ...victim, stationId: 'CP_INTRUDER' };
    await meterValues(intruder, { connectorId: 1, transactionId, meterValue: [sample('999')] });
    expect(storage.samples).toEqual([expect.objectContaining({ stationId: 'CP_INTRUDER', transactionId: null, value: '999' })]);
    await delivered();
    expect(storage.outboxEntries).toEqual([]);
    expect(events.of('meterValues')).toEqual([]);
  });

  it('stores samples without a transaction id and tells no session', async () => {
    const { ctx, storage, events } = handlerWorld();
    await meterValues(ctx, { connectorId: 1, meterValue: [sample('1', { measurand: 'Voltage', unit: 'V' })] });
    expect(storage.samples).toEqual([expect.objectContaining({ transactionId: null, measurand: 'Voltage' })]);
    expect(events.events).toEqual([]);
  });

  it('answers without waiting for the session layer: the readings stay in the outbox until it takes them, then go once, in order', async () => {
    const { ctx, storage, events, delivered } = handlerWorld();
    storage.addIdTag('TAG');
    const { transactionId } = await startTransaction(ctx, { connectorId: 1, idTag: 'TAG', meterStart: 154200, timestamp: '2026-11-24T10:00:00.000Z' });
    events.failing.add('meterValues');
    expect(await meterValues(ctx, { connectorId: 1, transactionId, meterValue: [sample('155.1')] })).toEqual({});
    expect(await meterValues(ctx, { connectorId: 1, transactionId, meterValue: [{ ...sample('155.6'), timestamp: '2026-11-24T10:06:00.000Z' }] })).toEqual({});
    await delivered();
    expect(events.of('meterValues')).toEqual([]);
    expect(storage.outboxEntries.map((e) => e.event.readings[0].energyWh)).toEqual(['155100', '155600']);

    events.failing.delete('meterValues');
    await ctx.sessionOutbox.flush(storage.transactionRows[0].sessionId);
    expect(events.of('meterValues').map((e) => e.readings[0].energyWh)).toEqual(['155100', '155600']);
    expect(storage.outboxEntries).toEqual([]);
  });
});
