/**
 * The reservation activities on a real PostgreSQL: a start, a cancel and the expiry that race are
 * decided by the row (only a held reservation changes), and the fee is charged once, to the session
 * that claimed the reservation or on the reservation's own receipt.
 */
import { createReservationActivities } from '../../src/reservations/reservation-activities';
import { createTestDatabase, type TestDatabase } from '../support/database';

describe('reservation settlement (PostgreSQL decides)', () => {
  let db: TestDatabase;
  let activities: ReturnType<typeof createReservationActivities>;
  let next = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    activities = createReservationActivities({ pool: db.pool });
    await db.pool.query(`INSERT INTO chargers (id) VALUES ('CP_S'), ('CP_OTHER')`);
  });
  afterAll(async () => db?.drop());

  /** An accepted reservation on its own connector of CP_S, with a 0.50 fee and 0.10 a minute, held 10 minutes. */
  async function accepted(feeIfUnused = true): Promise<number> {
    const connectorId = ++next;
    const { rows } = await db.pool.query(
      `INSERT INTO reservations (station_id, connector_id, id_tag, expiry_date, requested_by, currency, fee_fixed, fee_per_minute, fee_if_unused, status, accepted_at)
       VALUES ('CP_S', $1, 'TAG', now() + interval '10 minutes', 'driver', 'EUR', 0.5, 0.1, $2, 'accepted', now()) RETURNING id`,
      [connectorId, feeIfUnused],
    );
    return rows[0].id;
  }
  async function session(reservationId: number | null): Promise<string> {
    const sessionId = `sess_settle_${++next}`;
    // Each on a connector of its own: one active session per connector.
    await db.pool.query(`INSERT INTO sessions (id, station_id, connector_id, id_tag, origin, status) VALUES ($1, 'CP_S', $2, 'TAG', 'charger', 'charging')`, [sessionId, next]);
    await db.pool.query(`INSERT INTO transactions (session_id, station_id, connector_id, id_tag, meter_start, start_timestamp, reservation_id) VALUES ($1, 'CP_S', $2::int, 'TAG', $2::bigint, now(), $3)`, [
      sessionId,
      next,
      reservationId,
    ]);
    return sessionId;
  }
  const receipts = async (id: number) => (await db.pool.query('SELECT body FROM reservation_receipts WHERE reservation_id = $1', [id])).rows.map((r) => r.body);
  const row = async (id: number) => (await db.pool.query('SELECT status, session_id FROM reservations WHERE id = $1', [id])).rows[0];

  it('expired unused: one receipt, however often the expiry is settled', async () => {
    const id = await accepted();
    expect(await activities.settleExpiredReservation(id)).toBe('expired');
    expect(await activities.settleExpiredReservation(id)).toBe('expired');
    const [receipt, ...more] = await receipts(id);
    expect(more).toEqual([]);
    expect(receipt.lines.map((l: any) => l.component)).toEqual(['reservation_fee', 'reservation_time']);
    expect(receipt.total).toBe('1.50'); // 0.50 + 10 × 0.10
  });

  it('expired unused under a tariff that does not charge for that: no receipt', async () => {
    const id = await accepted(false);
    expect(await activities.settleExpiredReservation(id)).toBe('expired');
    expect(await receipts(id)).toEqual([]);
  });

  it('a transaction that carries the reservation, whose signal never arrived, makes the expiry a use: no receipt, the session claims the fee', async () => {
    const id = await accepted();
    const sessionId = await session(id);
    expect(await activities.settleExpiredReservation(id)).toBe('used');
    expect(await row(id)).toEqual({ status: 'used', session_id: sessionId });
    expect(await receipts(id)).toEqual([]);
    const claim = await activities.claimReservationForSession({ reservationId: id, sessionId, stationId: 'CP_S', at: new Date().toISOString() });
    expect(claim).toMatchObject({ reservationId: id, fee: { currency: 'EUR', fixed: '0.5', perMinute: '0.1', chargeIfUnused: true } });
  });

  it('claimed first: the expiry, a cancel and a second session find it used and charge nothing more', async () => {
    const id = await accepted();
    const sessionId = await session(null);
    expect(await activities.claimReservationForSession({ reservationId: id, sessionId, stationId: 'CP_S', at: new Date().toISOString() })).not.toBeNull();
    // A retried claim by the same session gets the same answer.
    expect(await activities.claimReservationForSession({ reservationId: id, sessionId, stationId: 'CP_S', at: new Date().toISOString() })).not.toBeNull();
    expect(await activities.settleExpiredReservation(id)).toBe('used');
    expect(await activities.recordReservationCancelled({ reservationId: id, by: 'driver' })).toBe('used');
    const other = await session(null);
    expect(await activities.claimReservationForSession({ reservationId: id, sessionId: other, stationId: 'CP_S', at: new Date().toISOString() })).toBeNull();
    expect(await receipts(id)).toEqual([]);
  });

  it('expired or cancelled first: a late claim gets nothing; another station cannot claim it at all', async () => {
    const expired = await accepted();
    await activities.settleExpiredReservation(expired);
    const cancelled = await accepted();
    expect(await activities.recordReservationCancelled({ reservationId: cancelled, by: 'operator' })).toBe('cancelled');
    const held = await accepted();
    for (const [reservationId, stationId] of [[expired, 'CP_S'], [cancelled, 'CP_S'], [held, 'CP_OTHER']] as const) {
      expect(await activities.claimReservationForSession({ reservationId, sessionId: await session(null), stationId, at: new Date().toISOString() })).toBeNull();
    }
    expect(await row(held)).toEqual({ status: 'accepted', session_id: null });
  });

  it('a claim and the expiry at once: exactly one wins, and the fee is charged once', async () => {
    for (let i = 0; i < 5; i++) {
      const id = await accepted();
      const sessionId = await session(null);
      const [claim, settled] = await Promise.all([
        activities.claimReservationForSession({ reservationId: id, sessionId, stationId: 'CP_S', at: new Date().toISOString() }),
        activities.settleExpiredReservation(id),
      ]);
      const charged = (claim ? 1 : 0) + (await receipts(id)).length;
      expect([charged, settled]).toEqual([1, claim ? 'used' : 'expired']);
    }
  });
});
