/** Meter samples: a replayed frame is stored once, but samples that differ only in format or unit are all kept. */
import { createGatewayHarness, type GatewayHarness } from './support/gateway-harness';

describe('meter sample replay key', () => {
  let h: GatewayHarness;

  beforeAll(async () => {
    h = await createGatewayHarness();
    await h.start();
    await h.addIdTag('METER_TAG');
  });
  afterAll(() => h.close());

  const at = '2026-03-01T10:00:00.000Z';
  const sampledValue = [
    { value: '154200', measurand: 'Energy.Active.Import.Register', unit: 'Wh' },
    { value: '3045022100ab…', measurand: 'Energy.Active.Import.Register', unit: 'Wh', format: 'SignedData' },
    { value: '154.2', measurand: 'Energy.Active.Import.Register', unit: 'kWh' },
  ];
  const stored = (stationId: string) =>
    h.db.pool
      .query(`SELECT format, unit, value, transaction_id FROM meter_samples WHERE station_id = $1 ORDER BY id`, [stationId])
      .then((r) => r.rows.map((x) => `${x.format}/${x.unit}/${x.value}/${x.transaction_id ?? '-'}`));

  it('keeps a Raw and a SignedData sample (and another unit) of one measurand at one timestamp; a replay of the frame adds nothing', async () => {
    await h.addCharger('CP_METER_TX');
    const cp = h.chargePoint({ chargePointId: 'CP_METER_TX' });
    await cp.connect();
    const { transactionId } = await cp.startTransaction(1, 'METER_TAG');
    const frame = { connectorId: 1, transactionId, meterValue: [{ timestamp: at, sampledValue }] };
    await cp.call('MeterValues', frame);
    await cp.call('MeterValues', frame);
    expect(await stored('CP_METER_TX')).toEqual([
      `Raw/Wh/154200/${transactionId}`,
      `SignedData/Wh/3045022100ab…/${transactionId}`,
      `Raw/kWh/154.2/${transactionId}`,
    ]);
  });

  it('does the same for samples outside a transaction', async () => {
    await h.addCharger('CP_METER_CLOCK');
    const cp = h.chargePoint({ chargePointId: 'CP_METER_CLOCK' });
    await cp.connect();
    const frame = { connectorId: 1, meterValue: [{ timestamp: at, sampledValue }] };
    await cp.call('MeterValues', frame);
    await cp.call('MeterValues', frame);
    expect(await stored('CP_METER_CLOCK')).toEqual(['Raw/Wh/154200/-', 'SignedData/Wh/3045022100ab…/-', 'Raw/kWh/154.2/-']);
  });
});
