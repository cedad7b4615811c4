import { priceSession, priceUnusedReservation, reservationFeeLines, startUsage, type ReservationFee, type TariffSnapshot } from '../../src/billing';

const fee: ReservationFee = { currency: 'EUR', fixed: '0.50', perMinute: '0.125', chargeIfUnused: true };
const from = '2026-12-01T10:00:00.000Z';

describe('reservation fee', () => {
  it('is the fixed fee and each whole minute held, rounded down, as exact decimal strings', () => {
    expect(reservationFeeLines(fee, 3, from, '2026-12-01T10:12:59.999Z')).toEqual([
      { component: 'reservation_fee', description: 'Reservation 3', quantity: '1', unit: 'reservation', unitPrice: '0.5' },
      { component: 'reservation_time', description: 'Reservation 3: time held', quantity: '12', unit: 'min', unitPrice: '0.125' },
    ]);
    expect(reservationFeeLines(fee, 3, from, '2026-12-01T10:00:59.000Z')).toHaveLength(1);
    expect(reservationFeeLines({ currency: 'EUR', chargeIfUnused: true }, 3, from, '2026-12-01T11:00:00.000Z')).toEqual([]);
  });

  it('prices an unused reservation half-up per line (3 min × 0.125 = 0.375 → 0.38), or at nothing when the tariff says so', () => {
    expect(priceUnusedReservation(fee, 4, from, '2026-12-01T10:03:00.000Z')).toMatchObject({ total: '0.88', lines: [{ amount: '0.50' }, { amount: '0.38' }] });
    expect(priceUnusedReservation({ ...fee, chargeIfUnused: false }, 4, from, '2026-12-01T10:03:00.000Z')).toEqual({ currency: 'EUR', lines: [], total: '0.00' });
  });

  it('on a session receipt, the fee lines are priced with the session (before the tax): the reference session plus 0.50', () => {
    const tariff: TariffSnapshot = { tariffId: 't', version: 1, name: 'T', currency: 'EUR', energyPricePerKwh: '0.25', taxRate: '0.2' };
    const usage = { ...startUsage(tariff, 154200, from), meterLatestWh: '156700' };
    const priced = priceSession(tariff, usage, '2026-12-01T10:30:00.000Z', reservationFeeLines(fee, 5, from, '2026-12-01T10:00:30.000Z'));
    expect(priced.lines.map((l) => [l.component, l.amount])).toEqual([
      ['energy', '0.63'],
      ['reservation_fee', '0.50'],
    ]);
    expect([priced.subtotal, priced.tax, priced.total]).toEqual(['1.13', '0.23', '1.36']);
  });
});
