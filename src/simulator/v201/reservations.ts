/**
 * Reservations of OCPP 2.0.1 (H01 ReserveNow, H02 CancelReservation, H03 use, H04 expiry): an
 * EVSE reserved for an id token (or its group) reports Reserved and starts a transaction only for
 * that token, whose Started then carries the reservationId. At expiryDateTime the station removes
 * the reservation and sends ReservationStatusUpdate Expired; a reservation lost because its EVSE
 * became Faulted or Unavailable is reported Removed.
 */
import type { StationHost } from './features';
import { IdToken, tokenKey } from './local-list';

export interface Reservation201 {
  id: number;
  evseId?: number;
  idToken: IdToken;
  groupIdToken?: IdToken;
  expiresAt: number;
}

const sameToken = (a: IdToken, b: IdToken) => tokenKey(a) === tokenKey(b) || a.idToken.toLowerCase() === b.idToken.toLowerCase();

export class ReservationBook201 {
  private readonly reservations = new Map<number, Reservation201 & { timer: NodeJS.Timeout }>();

  constructor(private readonly host: StationHost) {
    host.handle('ReserveNow', (p) => this.reserveNow(p));
    host.handle('CancelReservation', (p) => this.cancel(Number(p.reservationId)));
  }

  list(): Reservation201[] {
    return [...this.reservations.values()].map(({ timer: _timer, ...r }) => r);
  }

  private reserveNow(p: Record<string, any>): { status: string } {
    const { host } = this;
    if (!host.deviceModel.flag('ReservationCtrlr.Enabled')) return { status: 'Rejected' };
    const expiresAt = Date.parse(p.expiryDateTime);
    if (!(expiresAt > Date.now())) return { status: 'Rejected' };
    if (p.connectorType !== undefined && p.connectorType !== 'cType2' && p.connectorType !== 'Unknown') return { status: 'Rejected' };
    const evseId = p.evseId as number | undefined;
    const others = [...this.reservations.values()].filter((r) => r.id !== p.id);
    if (evseId === undefined || evseId === 0) {
      // H01.FR.?: a reservation without EVSE needs ReservationCtrlr.NonEvseSpecific, and a free EVSE left for it.
      if (!host.deviceModel.flag('ReservationCtrlr.NonEvseSpecific')) return { status: 'Rejected' };
      const free = host.evseIds().filter((id) => this.freeFor(id, others));
      if (free.length <= others.filter((r) => r.evseId === undefined).length) return { status: 'Occupied' };
    } else {
      if (!host.evseIds().includes(evseId)) return { status: 'Rejected' };
      const state = host.evseState(evseId);
      if (state.faulted) return { status: 'Faulted' };
      if (!state.operative) return { status: 'Unavailable' };
      if (state.busy || others.some((r) => r.evseId === evseId)) return { status: 'Occupied' };
    }
    // H01.FR.02: the same id replaces the earlier reservation.
    const replaced = this.reservations.get(p.id);
    if (replaced) this.remove(replaced.id);
    const delayMs = Math.min(expiresAt - Date.now(), 2_147_483_647);
    const timer = setTimeout(() => this.host.later(0, () => this.expire(p.id)), delayMs);
    timer.unref();
    this.reservations.set(p.id, { id: p.id, evseId: evseId || undefined, idToken: p.idToken, groupIdToken: p.groupIdToken, expiresAt, timer });
    host.emit('reserved', { reservationId: p.id, evseId });
    if (evseId) host.later(0, () => host.reportStatus(evseId));
    if (replaced?.evseId && replaced.evseId !== evseId) host.later(0, () => host.reportStatus(replaced.evseId!));
    return { status: 'Accepted' };
  }

  private freeFor(evseId: number, reservations: Reservation201[]): boolean {
    const state = this.host.evseState(evseId);
    return state.operative && !state.faulted && !state.busy && !reservations.some((r) => r.evseId === evseId);
  }

  private cancel(reservationId: number): { status: string } {
    const r = this.reservations.get(reservationId);
    if (!r) return { status: 'Rejected' };
    this.remove(reservationId);
    this.host.emit('reservationEnded', { reservationId, reason: 'Cancelled' });
    if (r.evseId) this.host.later(0, () => this.host.reportStatus(r.evseId!));
    return { status: 'Accepted' };
  }

  private async expire(reservationId: number): Promise<void> {
    const r = this.reservations.get(reservationId);
    if (!r) return;
    this.remove(reservationId);
    this.host.emit('reservationEnded', { reservationId, reason: 'Expired' });
    await this.host.notify('ReservationStatusUpdate', { reservationId, reservationUpdateStatus: 'Expired' });
    if (r.evseId) await this.host.reportStatus(r.evseId);
  }

  /** The EVSE became Faulted or Unavailable: its reservation is gone (ReservationStatusUpdate Removed). */
  async evseLost(evseId: number): Promise<void> {
    for (const r of [...this.reservations.values()].filter((x) => x.evseId === evseId)) {
      this.remove(r.id);
      this.host.emit('reservationEnded', { reservationId: r.id, reason: 'Removed' });
      await this.host.notify('ReservationStatusUpdate', { reservationId: r.id, reservationUpdateStatus: 'Removed' });
    }
  }

  private remove(reservationId: number): void {
    const r = this.reservations.get(reservationId);
    if (r) clearTimeout(r.timer);
    this.reservations.delete(reservationId);
  }

  /** H03: the reservation this token may use here (its own, or one of its group); 'other' when the EVSE is reserved for someone else. */
  reservationFor(evseId: number, token: IdToken): Reservation201 | undefined | 'other' {
    const mine = (r: Reservation201) => sameToken(r.idToken, token) || (r.groupIdToken !== undefined && sameToken(r.groupIdToken, token));
    const onEvse = [...this.reservations.values()].filter((r) => r.evseId === evseId);
    const own = onEvse.find(mine) ?? [...this.reservations.values()].find((r) => r.evseId === undefined && mine(r));
    if (own) return own;
    if (onEvse.length > 0) return 'other';
    // Non-specific reservations of others keep enough EVSEs free.
    const free = this.host.evseIds().filter((id) => this.freeFor(id, [...this.reservations.values()]));
    const pending = [...this.reservations.values()].filter((r) => r.evseId === undefined).length;
    return pending > 0 && free.length <= pending ? 'other' : undefined;
  }

  used(reservationId: number): void {
    this.remove(reservationId);
    this.host.emit('reservationEnded', { reservationId, reason: 'Used' });
  }

  reserved(evseId: number): boolean {
    return [...this.reservations.values()].some((r) => r.evseId === evseId);
  }

  shutdown(): void {
    for (const r of this.reservations.values()) clearTimeout(r.timer);
  }
}
