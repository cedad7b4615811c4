import { readingOf as readingOfResolved } from '../../src/gateway/handlers/meter-readings';
import { resolveMeterValues, type MeterValue } from '../../src/gateway/handlers/v16/meter-readings';

/** The readings of one meterValue element as the station sent it. */
const readingOf = (mv: MeterValue) => readingOfResolved(resolveMeterValues([mv])[0]);

describe('meter readings for the session layer', () => {
  it('normalises a kWh energy register to Wh exactly, as a decimal string', () => {
    const r = readingOf({ timestamp: 't', sampledValue: [{ value: '154.2', unit: 'kWh', measurand: 'Energy.Active.Import.Register' }] });
    expect(r.energyWh).toBe('154200');
    expect(readingOf({ timestamp: 't', sampledValue: [{ value: '0.1', unit: 'kWh' }] }).energyWh).toBe('100');
    expect(readingOf({ timestamp: 't', sampledValue: [{ value: '156700.125', unit: 'Wh' }] }).energyWh).toBe('156700.125');
  });

  it('applies the spec defaults: no measurand means the energy register, no unit means Wh, no context means Sample.Periodic', () => {
    expect(readingOf({ timestamp: 't', sampledValue: [{ value: '42' }] })).toEqual({ timestamp: 't', energyWh: '42', context: 'Sample.Periodic' });
  });

  it('reads SoC and power (kW to W), and ignores per-phase, SignedData and unparsable values', () => {
    const r = readingOf({
      timestamp: 't',
      sampledValue: [
        { value: 'deadbeef', format: 'SignedData', measurand: 'Energy.Active.Import.Register' },
        { value: '3.1', measurand: 'Power.Active.Import', unit: 'kW', phase: 'L1' },
        { value: '11', measurand: 'Power.Active.Import', unit: 'kW', context: 'Sample.Clock' },
        { value: 'n/a', measurand: 'SoC', unit: 'Percent' },
        { value: '74', measurand: 'SoC', unit: 'Percent' },
      ],
    });
    expect(r).toEqual({ timestamp: 't', powerW: 11000, socPercent: 74, context: 'Sample.Clock' });
  });
});
