import { Big, periodKeyAt, priceSession, recordConnectorStatus, recordReading, splitByPeriod, startUsage, type SessionUsage, type TariffSnapshot } from '../../src/billing';

const base: TariffSnapshot = { tariffId: 'standard', version: 1, name: 'Standard', currency: 'EUR', energyPricePerKwh: '0.25' };
const t0 = '2026-11-24T10:00:00.000Z';
const at = (minutes: number, from = t0): string => new Date(Date.parse(from) + minutes * 60_000).toISOString();

function session(tariff: TariffSnapshot, readings: Array<[number, number]>, meterStartWh = 154200, start = t0): SessionUsage {
  let usage = startUsage(tariff, meterStartWh, start);
  for (const [minute, wh] of readings) usage = recordReading(tariff, usage, { at: at(minute, start), energyWh: String(wh) });
  return usage;
}

describe('priceSession', () => {
  it('the reference session costs exactly 0.63 with a single energy line', () => {
    const priced = priceSession(base, session(base, [[30, 156700]]), at(30));
    expect(priced).toEqual({
      currency: 'EUR',
      energyKwh: '2.5',
      lines: [{ component: 'energy', description: 'Energy', quantity: '2.5', unit: 'kWh', unitPrice: '0.25', amount: '0.63' }],
      subtotal: '0.63',
      tax: '0.00',
      total: '0.63',
      pricesIncludeTax: false,
    });
  });

  it('rounding on the total keeps lines exact and adds a rounding line', () => {
    const tariff: TariffSnapshot = { ...base, rounding: 'total', sessionFee: '0.50' };
    const priced = priceSession(tariff, session(tariff, [[30, 156700]]), at(30));
    expect(priced.lines.map((l) => [l.component, l.amount])).toEqual([
      ['energy', '0.625'],
      ['session_fee', '0.5'],
      ['rounding', '0.005'],
    ]);
    expect(priced.total).toBe('1.13');
  });

  it('rounding per line can differ from rounding on the total', () => {
    // Two energy-like amounts of 0.005 each: per line 0.01 + 0.01, on the total 0.01.
    const tariff: TariffSnapshot = { ...base, energyPricePerKwh: '0.005', sessionFee: '0.005' };
    const usage = session(tariff, [[1, 155200]]);
    expect(priceSession(tariff, usage, at(1)).total).toBe('0.02');
    expect(priceSession({ ...tariff, rounding: 'total' }, usage, at(1)).total).toBe('0.01');
  });

  it('JPY has no decimals, KWD three', () => {
    const yen: TariffSnapshot = { ...base, currency: 'JPY', energyPricePerKwh: '45.5' };
    expect(priceSession(yen, session(yen, [[30, 156700]]), at(30)).total).toBe('114'); // 113.75 → 114
    const dinar: TariffSnapshot = { ...base, currency: 'KWD', energyPricePerKwh: '0.0305' };
    expect(priceSession(dinar, session(dinar, [[30, 156700]]), at(30)).total).toBe('0.076'); // 0.07625 → 0.076
  });

  it('net prices add tax; gross prices extract it', () => {
    const net: TariffSnapshot = { ...base, taxRate: '0.19' };
    const usage = session(net, [[30, 156700]]);
    expect(priceSession(net, usage, at(30))).toMatchObject({ subtotal: '0.63', tax: '0.12', total: '0.75' });
    const gross: TariffSnapshot = { ...base, taxRate: '0.19', pricesIncludeTax: true };
    // 0.63 gross: tax 0.63 × 0.19 / 1.19 = 0.1005… → 0.10; net 0.53.
    expect(priceSession(gross, usage, at(30))).toMatchObject({ subtotal: '0.53', tax: '0.10', total: '0.63', pricesIncludeTax: true });
  });

  it('a minimum price lifts and a maximum price caps the session', () => {
    const usage = session(base, [[30, 156700]]);
    const min = priceSession({ ...base, minPrice: '1' }, usage, at(30));
    expect(min.lines.map((l) => [l.component, l.amount])).toEqual([['energy', '0.63'], ['minimum_price', '0.37']]);
    expect(min.total).toBe('1.00');
    const max = priceSession({ ...base, maxPrice: '0.5' }, usage, at(30));
    expect(max.lines.map((l) => [l.component, l.amount])).toEqual([['energy', '0.63'], ['maximum_price', '-0.13']]);
    expect(max.total).toBe('0.50');
    expect(priceSession({ ...base, minPrice: '0.1', maxPrice: '5' }, usage, at(30)).lines).toHaveLength(1);
  });

  it('charging time is billed in whole minutes until charging finished', () => {
    const tariff: TariffSnapshot = { ...base, pricePerMinute: '0.02' };
    let usage = session(tariff, [[30, 156700]]);
    expect(priceSession(tariff, usage, at(45.9)).lines[1]).toMatchObject({ component: 'time', quantity: '45', amount: '0.90' });
    usage = recordConnectorStatus(tariff, usage, { at: at(40.5), status: 'SuspendedEV' });
    expect(priceSession(tariff, usage, at(90)).lines[1]).toMatchObject({ component: 'time', quantity: '40', amount: '0.80' });
  });

  it('the idle fee accrues only after charging finished and after the grace period', () => {
    const tariff: TariffSnapshot = { ...base, idleFeePerMinute: '0.10', idleGraceMinutes: 10 };
    let usage = session(tariff, [[30, 156700]]);
    // Still charging at minute 120: no idle fee.
    expect(priceSession(tariff, usage, at(120)).lines.map((l) => l.component)).toEqual(['energy']);
    usage = recordConnectorStatus(tariff, usage, { at: at(30), status: 'SuspendedEV' });
    // Within the grace period: nothing.
    expect(priceSession(tariff, usage, at(40)).lines.map((l) => l.component)).toEqual(['energy']);
    expect(priceSession(tariff, usage, at(55)).lines[1]).toMatchObject({ component: 'idle', quantity: '15', unitPrice: '0.1', amount: '1.50' });
    // A repeated SuspendedEV does not restart the idle time; unplugging ends it.
    usage = recordConnectorStatus(tariff, usage, { at: at(50), status: 'SuspendedEV' });
    usage = recordConnectorStatus(tariff, usage, { at: at(60), status: 'Available' });
    expect(priceSession(tariff, usage, at(500)).lines[1]).toMatchObject({ quantity: '20', amount: '2.00' });
  });

  it('Charging after SuspendedEV cancels the idle time (the car was pausing)', () => {
    const tariff: TariffSnapshot = { ...base, idleFeePerMinute: '0.10' };
    let usage = session(tariff, [[30, 156700]]);
    usage = recordConnectorStatus(tariff, usage, { at: at(10), status: 'SuspendedEV' });
    usage = recordConnectorStatus(tariff, usage, { at: at(20), status: 'Charging' });
    expect(priceSession(tariff, usage, at(30)).lines.map((l) => l.component)).toEqual(['energy']);
    usage = recordConnectorStatus(tariff, usage, { at: at(30), status: 'Finishing' });
    expect(priceSession(tariff, usage, at(35)).lines[1]).toMatchObject({ component: 'idle', quantity: '5' });
  });

  describe('time of use', () => {
    const tou: TariffSnapshot = {
      ...base,
      energyPricePerKwh: '0.20',
      timeZone: 'Europe/Berlin',
      timeOfUse: [{ name: 'Peak', from: '07:00', to: '22:00', energyPricePerKwh: '0.40' }],
    };
    // 2026-11-24 is winter: Berlin = UTC+1, so 22:00 local = 21:00Z.
    const start = '2026-11-24T20:30:00.000Z';

    it('energy between two readings straddling the boundary is split by linear interpolation', () => {
      // 3000 Wh from 20:30Z to 21:30Z: half before 21:00Z (peak), half after (off-peak).
      const usage = session(tou, [[60, 103000]], 100000, start);
      expect(usage.energyWhByPeriod).toEqual({ '0': '1500', base: '1500' });
      const priced = priceSession(tou, usage, at(60, start));
      expect(priced.lines.map((l) => [l.description, l.quantity, l.unitPrice, l.amount])).toEqual([
        ['Energy', '1.5', '0.2', '0.30'],
        ['Energy (Peak) 07:00–22:00', '1.5', '0.4', '0.60'],
      ]);
      expect(priced.total).toBe('0.90');
    });

    it('an uneven split is exact to 0.001 Wh and the parts sum to the delivered energy', () => {
      // 1000 Wh over 21 minutes, boundary after 7 of them: 333.333… → 333.333 Wh peak.
      const usage = session(tou, [[21, 101000]], 100000, '2026-11-24T20:53:00.000Z');
      expect(usage.energyWhByPeriod).toEqual({ '0': '333.333', base: '666.667' });
    });

    it('days restrict a period; readings on both sides of a day change are split', () => {
      const weekend: TariffSnapshot = { ...base, timeZone: 'UTC', timeOfUse: [{ days: ['sat', 'sun'], from: '00:00', to: '24:00', energyPricePerKwh: '0.10' }] };
      // Friday 2026-11-27 23:00Z → Saturday 01:00Z, 2000 Wh.
      const usage = session(weekend, [[120, 2000]], 0, '2026-11-27T23:00:00.000Z');
      expect(usage.energyWhByPeriod).toEqual({ base: '1000', '0': '1000' });
    });
  });
});

// ── Properties over seeded random tariffs and sessions ──────────────────────
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('priceSession properties (seeded)', () => {
  const exactDecimal = /^-?\d+(\.\d+)?$/;
  const currencies = ['EUR', 'JPY', 'KWD', 'THB'];

  for (let seed = 1; seed <= 300; seed++) {
    it(`seed ${seed}: lines sum exactly, subtotal + tax = total, never negative, minor unit respected`, () => {
      const rnd = mulberry32(seed);
      const int = (n: number): number => Math.floor(rnd() * n);
      const price = (): string => new Big(int(1_000_000)).div(10 ** (1 + int(6))).toFixed();
      const maybe = <T>(v: () => T): T | undefined => (rnd() < 0.5 ? v() : undefined);
      const currency = currencies[int(currencies.length)];
      const minPrice = maybe(price);
      const maxPrice = maybe(() => new Big(minPrice ?? '0').plus(price()).toFixed());
      const tariff: TariffSnapshot = {
        tariffId: 't',
        version: 1,
        name: 'random',
        currency,
        energyPricePerKwh: price(),
        pricePerMinute: maybe(price),
        sessionFee: maybe(price),
        idleFeePerMinute: maybe(price),
        idleGraceMinutes: maybe(() => int(30)),
        minPrice,
        maxPrice,
        taxRate: maybe(() => new Big(int(300)).div(1000).toFixed()),
        pricesIncludeTax: rnd() < 0.5,
        rounding: rnd() < 0.5 ? 'per_line' : 'total',
        timeZone: ['UTC', 'Europe/Berlin', 'Asia/Tokyo', 'America/New_York'][int(4)],
        timeOfUse: maybe(() => [
          { from: '07:00', to: '22:00', energyPricePerKwh: price() },
          { days: ['sat', 'sun'] as const, from: '00:00', to: '24:00', energyPricePerKwh: price() },
        ].map((p) => ({ ...p, days: p.days ? [...p.days] : undefined }))),
      };
      const start = new Date(Date.UTC(2026, int(12), 1 + int(28), int(24), int(60), int(60))).toISOString();
      let usage = startUsage(tariff, int(1_000_000), start);
      let now = Date.parse(start);
      let wh = Number(usage.meterStartWh);
      const readings = int(40);
      for (let i = 0; i < readings; i++) {
        now += int(3_600_000);
        wh += rnd() < 0.1 ? -int(100) : int(20_000);
        usage = recordReading(tariff, usage, { at: new Date(now).toISOString(), energyWh: String(wh) });
        if (rnd() < 0.1) usage = recordConnectorStatus(tariff, usage, { at: new Date(now).toISOString(), status: ['SuspendedEV', 'Charging', 'Finishing', 'Available'][int(4)] });
      }
      usage = JSON.parse(JSON.stringify(usage)); // survives continue-as-new
      const end = new Date(now + int(7_200_000)).toISOString();
      const priced = priceSession(tariff, usage, end);
      const dp = currency === 'JPY' ? 0 : currency === 'KWD' ? 3 : 2;

      for (const s of [priced.subtotal, priced.tax, priced.total, ...priced.lines.flatMap((l) => [l.amount, l.quantity, l.unitPrice]), priced.energyKwh]) {
        expect(s).toMatch(exactDecimal);
      }
      for (const s of [priced.subtotal, priced.tax, priced.total]) expect(s.split('.')[1]?.length ?? 0).toBe(dp);
      if ((tariff.rounding ?? 'per_line') === 'per_line') for (const l of priced.lines) expect(l.amount.split('.')[1]?.length ?? 0).toBe(dp);
      const linesSum = priced.lines.reduce((acc, l) => acc.plus(l.amount), new Big(0));
      expect(linesSum.eq(priced.pricesIncludeTax ? priced.total : priced.subtotal)).toBe(true);
      expect(new Big(priced.subtotal).plus(priced.tax).eq(priced.total)).toBe(true);
      for (const s of [priced.subtotal, priced.tax, priced.total]) expect(new Big(s).gte(0)).toBe(true);
      for (const l of priced.lines) if (!['maximum_price', 'rounding'].includes(l.component)) expect(new Big(l.amount).gte(0)).toBe(true);
      const lineTotal = new Big(priced.pricesIncludeTax ? priced.total : priced.subtotal);
      if (tariff.minPrice) expect(lineTotal.gte(new Big(tariff.minPrice).round(dp, Big.roundHalfUp))).toBe(true);
      if (tariff.maxPrice) expect(lineTotal.lte(new Big(tariff.maxPrice).round(dp, Big.roundHalfUp))).toBe(true);
      // Energy lines account for exactly the delivered energy.
      const energy = priced.lines.filter((l) => l.component === 'energy').reduce((acc, l) => acc.plus(l.quantity), new Big(0));
      expect(energy.eq(priced.energyKwh)).toBe(true);
      // Idle only after charging finished.
      if (!usage.chargingEndedAt) expect(priced.lines.some((l) => l.component === 'idle')).toBe(false);
    });
  }
});

describe('splitByPeriod', () => {
  const bruteForce = (tariff: TariffSnapshot, from: number, to: number) => {
    const pieces: Array<{ from: number; to: number; key: string }> = [];
    let key = periodKeyAt(tariff, from);
    let start = from;
    for (let mark = Math.floor(from / 60_000) * 60_000 + 60_000; mark < to; mark += 60_000) {
      const next = periodKeyAt(tariff, mark);
      if (next !== key) {
        pieces.push({ from: start, to: mark, key });
        start = mark;
        key = next;
      }
    }
    pieces.push({ from: start, to, key });
    return pieces;
  };

  it('jumping between edges finds exactly the boundaries minute-by-minute stepping finds, across DST changes', () => {
    const rnd = mulberry32(42);
    const zones = ['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'UTC'];
    // Days around the 2026 DST changes in Europe and the US, and an ordinary day.
    const days = ['2026-03-08', '2026-03-29', '2026-04-05', '2026-10-04', '2026-10-25', '2026-11-01', '2026-07-15'];
    for (let i = 0; i < 60; i++) {
      const tariff: TariffSnapshot = {
        ...base,
        timeZone: zones[i % zones.length],
        timeOfUse: [
          { from: '01:30', to: '02:30', energyPricePerKwh: '0.1' },
          { days: ['sun'], from: '00:00', to: '24:00', energyPricePerKwh: '0.2' },
          { from: '07:00', to: '22:00', energyPricePerKwh: '0.3' },
        ],
      };
      const from = Date.parse(`${days[Math.floor(rnd() * days.length)]}T00:00:00Z`) - 86_400_000 + Math.floor(rnd() * 86_400_000);
      const to = from + Math.floor(rnd() * 3 * 86_400_000);
      expect(splitByPeriod(tariff, from, to)).toEqual(bruteForce(tariff, from, to));
    }
  });

  it('a reading months after the previous one is split quickly', () => {
    const tariff: TariffSnapshot = { ...base, timeZone: 'Europe/Berlin', timeOfUse: [{ from: '07:00', to: '22:00', energyPricePerKwh: '0.3' }] };
    const t = Date.now();
    const pieces = splitByPeriod(tariff, Date.parse('2026-01-01T00:00:00Z'), Date.parse('2027-01-01T00:00:00Z'));
    expect(pieces).toHaveLength(365 * 2 + 1);
    expect(Date.now() - t).toBeLessThan(2000);
  });
});
