import { readingOf } from '../../../../src/gateway/handlers/meter-readings';
import { StationDataError } from '../../../../src/gateway/handlers/station-data-error';
import { resolveMeterSamples, scaledValue } from '../../../../src/gateway/handlers/v201/meter-samples';

describe('OCPP 2.0.1 meter samples', () => {
  it('applies the unitOfMeasure multiplier exactly: 154.2 Wh × 10^3 is stored as 154200 Wh, 0.1 kWh is read as 100 Wh', () => {
    const [group] = resolveMeterSamples([
      { timestamp: '2026-01-01T00:00:00Z', sampledValue: [{ value: 154.2, unitOfMeasure: { unit: 'Wh', multiplier: 3 } }] },
    ]);
    expect(group.samples).toEqual([
      { value: '154200', unit: 'Wh', format: 'Raw', measurand: 'Energy.Active.Import.Register', context: 'Sample.Periodic', phase: undefined, location: undefined },
    ]);
    expect(readingOf(group).energyWh).toBe('154200');
    const [kwh] = resolveMeterSamples([{ timestamp: 't', sampledValue: [{ value: 0.1, unitOfMeasure: { unit: 'kWh' } }] }]);
    expect(readingOf(kwh).energyWh).toBe('100');
  });

  it('keeps decimals a float multiplication would lose (0.1 × 10^-1 is 0.01, 156700.125 × 10^0 is itself)', () => {
    expect(scaledValue(0.1, -1)).toBe('0.01');
    expect(scaledValue(156700.125)).toBe('156700.125');
    expect(scaledValue(1.005, 2)).toBe('100.5');
    expect(scaledValue(-0, 3)).toBe('0');
    expect(scaledValue(1e21)).toBe('1000000000000000000000');
  });

  it('resolves the defaults by measurand: SoC in Percent, no context means Sample.Periodic, no unit on the register means Wh', () => {
    const [group] = resolveMeterSamples([
      { timestamp: 't', sampledValue: [{ value: 74, measurand: 'SoC', location: 'EV', context: 'Transaction.End' }, { value: 2500 }] },
    ]);
    expect(group.samples.map((s) => [s.measurand, s.unit, s.context, s.location])).toEqual([
      ['SoC', 'Percent', 'Transaction.End', 'EV'],
      ['Energy.Active.Import.Register', 'Wh', 'Sample.Periodic', undefined],
    ]);
    expect(readingOf(group)).toEqual({ timestamp: 't', socPercent: 74, energyWh: '2500', context: 'Transaction.End' });
  });

  it('stores a signed value as its number and, beside it, its signature as a SignedData sample', () => {
    const signed = { signedMeterData: 'b64', signingMethod: 'ECDSA-secp256r1-SHA256', encodingMethod: 'OCMF', publicKey: 'pk' };
    const [group] = resolveMeterSamples([{ timestamp: 't', sampledValue: [{ value: 5, signedMeterValue: signed }] }]);
    expect(group.samples.map((s) => [s.format, s.value])).toEqual([
      ['Raw', '5'],
      ['SignedData', JSON.stringify(signed)],
    ]);
    expect(readingOf(group).energyWh).toBe('5');
  });

  it('refuses a multiplier beyond the SI prefixes as the station data at fault', () => {
    expect(() => scaledValue(1, 31)).toThrow(StationDataError);
    expect(() => scaledValue(1, -1000000000)).toThrow(StationDataError);
    expect(scaledValue(1, -30)).toBe('0.' + '0'.repeat(29) + '1');
  });
});
