import { ampsToWatts, wattsToAmps } from '../../src/ocpp/charging-rate';

describe('watts and amps for smart charging', () => {
  const threePhase = { phases: 3 as const, voltageV: 230 };
  const onePhase = { phases: 1 as const, voltageV: 230 };

  it('16 A on three phases at 230 V is 11,040 W; on one phase 3,680 W', () => {
    expect(ampsToWatts(16, threePhase)).toBe(11_040);
    expect(ampsToWatts(16, onePhase)).toBe(3_680);
  });

  it('a watt limit becomes the largest tenth of an amp that stays within it', () => {
    expect(wattsToAmps(11_040, threePhase)).toBe(16);
    expect(wattsToAmps(11_039, threePhase)).toBe(15.9);
    expect(wattsToAmps(7_400, onePhase)).toBe(32.1);
  });

  it('converting back and forth never allows more than the original limit', () => {
    for (let w = 0; w <= 50_000; w += 37) expect(ampsToWatts(wattsToAmps(w, threePhase), threePhase)).toBeLessThanOrEqual(w);
    for (let a = 0; a <= 63; a += 0.1) expect(wattsToAmps(ampsToWatts(a, onePhase), onePhase)).toBeLessThanOrEqual(Math.round(a * 10) / 10);
  });
});
