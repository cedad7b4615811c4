/**
 * Reservation profile, charge point side (OCPP 1.6 §5.13 Reserve Now, §5.1 Cancel Reservation):
 * the reservations the charger holds, which connector each keeps for which id tag, their expiry,
 * and the connector statuses that follow from them (StatusNotification Reserved / Available).
 *
 * A reservation on connector 0 (only with ReserveConnectorZeroSupported) keeps no particular
 * connector: "one connector remains available for the reserved idTag". So the free connectors
 * show Reserved, and refuse other tags, only once no more of them are free than there are
 * connector-0 reservations; until then they stay Available for anyone.
 */
import type { Logger } from '../logger';

export interface Reservation {
  reservationId: number;
  connectorId: number;
  idTag: string;
  parentIdTag?: string;
  expiryDate: string;
}

export type ReserveNowStatus = 'Accepted' | 'Faulted' | 'Occupied' | 'Rejected' | 'Unavailable';

/** A connector as the reservations see it. */
export interface ConnectorView {
  id: number;
  status: string;
  /** Operative itself and the charge point Operative (ChangeAvailability). */
  operative: boolean;
  /** A transaction runs, or an accepted remote start waits for the plug. */
  busy: boolean;
}

export interface ReservationHost {
  readonly logger: Logger;
  connectors(): ConnectorView[];
  /** ReserveConnectorZeroSupported (§9.3). */
  zeroSupported(): boolean;
  /** StatusNotification for a connector; resolves whether it was delivered (never throws). */
  report(connectorId: number, status: string): Promise<boolean>;
  /** Runs `task` after the current reply (the charger's background work). */
  later(task: () => Promise<unknown>): void;
  emit(event: string, value: unknown): boolean;
}

/** Longest setTimeout delay Node keeps (longer ones fire at once). */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class ReservationBook {
  private readonly byId = new Map<number, Reservation>();
  private readonly expiryTimers = new Map<number, NodeJS.Timeout>();
  private refreshing = false;
  private refreshAgain = false;
  /** Connectors whose Reserved / Available could not be reported (offline): sent again on reconnect. */
  private readonly unreported = new Set<number>();

  constructor(private readonly host: ReservationHost) {}

  /** The reservations held, oldest first (copies). */
  list(): Reservation[] {
    return [...this.byId.values()].map((r) => ({ ...r }));
  }

  /**
   * ReserveNow.req (§5.13). The same reservationId replaces that reservation (its own connector
   * counts as free for the replacement; a refused replacement keeps the old one). Otherwise:
   * Rejected for an unknown connector, connector 0 without ReserveConnectorZeroSupported, or an
   * expiryDate already past; Faulted / Unavailable / Occupied after the connector's state, where
   * Occupied also covers a pending remote start and another reservation on it (§5.13 "Also
   * returned when the Charge Point or connector has been reserved for the same or another idTag").
   */
  reserve(request: Reservation, now = Date.now()): ReserveNowStatus {
    if (!(Date.parse(request.expiryDate) > now)) return 'Rejected';
    const status = request.connectorId === 0 ? this.zeroStatus(request.reservationId) : this.connectorStatus(request.connectorId, request.reservationId);
    if (status !== 'Accepted') return status;
    this.remove(request.reservationId);
    const reservation: Reservation = {
      reservationId: request.reservationId,
      connectorId: request.connectorId,
      idTag: request.idTag,
      ...(request.parentIdTag !== undefined ? { parentIdTag: request.parentIdTag } : {}),
      expiryDate: request.expiryDate,
    };
    this.byId.set(reservation.reservationId, reservation);
    this.armExpiry(reservation);
    this.host.emit('reserved', { ...reservation });
    this.refreshStatuses();
    return 'Accepted';
  }

  /** CancelReservation.req (§5.1): true (Accepted) when the id is known; the connector becomes Available. */
  cancel(reservationId: number): boolean {
    const r = this.remove(reservationId);
    if (!r) return false;
    this.host.emit('reservationEnded', { ...r, reason: 'Cancelled' });
    this.refreshStatuses();
    return true;
  }

  /** A transaction started with this reservation: it ends (§5.13 termination 1; no Available, the connector is in use). */
  use(reservationId: number): void {
    const r = this.remove(reservationId);
    if (!r) return;
    this.host.emit('reservationEnded', { ...r, reason: 'Used' });
    this.refreshStatuses();
  }

  /**
   * The reservation an id tag may use at a connector: the connector's own reservation, else one on
   * connector 0; matching its idTag, or its parentIdTag with the tag's parent (§5.13).
   */
  match(connectorId: number, idTag: string, parentIdTag?: string): Reservation | undefined {
    const fits = (r: Reservation) => r.idTag === idTag || (r.parentIdTag !== undefined && r.parentIdTag === parentIdTag);
    const own = this.ownReservation(connectorId);
    if (own) return fits(own) ? own : undefined;
    return this.zeroReservations().find(fits);
  }

  /** Whether the connector refuses tags that match none of its reservations. */
  blocks(connectorId: number): boolean {
    if (this.ownReservation(connectorId)) return true;
    const c = this.host.connectors().find((x) => x.id === connectorId);
    return !!c && this.zeroBlocked(c);
  }

  /** Whether knowing the tag's parentIdTag could let it use a reservation at the connector. */
  wantsParent(connectorId: number, idTag: string): boolean {
    const own = this.ownReservation(connectorId);
    const relevant = own ? [own] : this.zeroReservations();
    return relevant.some((r) => r.parentIdTag !== undefined && r.idTag !== idTag);
  }

  /**
   * A connector's StatusNotification: Faulted or Unavailable ends its reservations, and connector 0
   * Faulted or Unavailable ends all of them (§5.13 termination 3). Any change may move the
   * connector-0 reservations, so the statuses are looked at again.
   */
  statusChanged(connectorId: number, status: string): void {
    if (status === 'Faulted' || status === 'Unavailable') {
      for (const r of this.list()) {
        if (connectorId !== 0 && r.connectorId !== connectorId) continue;
        this.remove(r.reservationId);
        this.host.emit('reservationEnded', { ...r, reason: status });
      }
    }
    this.refreshStatuses();
  }

  /**
   * The connection is back (no reboot): a connector whose status a reservation changed while offline
   * reports its current status (§4.9: "SHOULD send a StatusNotification.req PDU with its current
   * status if the status changed while the Charge Point was offline").
   */
  reconnected(): void {
    const ids = [...this.unreported];
    this.unreported.clear();
    if (ids.length === 0) return;
    this.host.later(async () => {
      for (const c of this.host.connectors()) {
        if (!ids.includes(c.id) || c.busy || (c.status !== 'Available' && c.status !== 'Reserved')) continue;
        if (!(await this.host.report(c.id, c.status))) this.unreported.add(c.id);
      }
    });
  }

  /** Stops the expiry timers (the simulator is closing; its pending background work is dropped too). */
  suspend(): void {
    for (const t of this.expiryTimers.values()) clearTimeout(t);
    this.expiryTimers.clear();
    this.refreshing = false;
  }

  /** Arms the expiry timers again (connecting, also after a close); reservations past expiry end at once. */
  resume(): void {
    this.unreported.clear(); // the boot that follows reports every connector
    for (const r of this.byId.values()) if (!this.expiryTimers.has(r.reservationId)) this.armExpiry(r);
  }

  // ---- internals ------------------------------------------------------------------------

  private ownReservation(connectorId: number, except?: number): Reservation | undefined {
    for (const r of this.byId.values()) if (r.connectorId === connectorId && connectorId !== 0 && r.reservationId !== except) return r;
    return undefined;
  }

  private zeroReservations(except?: number): Reservation[] {
    return [...this.byId.values()].filter((r) => r.connectorId === 0 && r.reservationId !== except);
  }

  /** Idle, usable and kept by no reservation of its own: what a connector-0 reservation can count on. */
  private free(c: ConnectorView, except?: number): boolean {
    return c.operative && !c.busy && (c.status === 'Available' || c.status === 'Reserved') && !this.ownReservation(c.id, except);
  }

  private zeroBlocked(c: ConnectorView, except?: number): boolean {
    const zero = this.zeroReservations(except).length;
    if (zero === 0 || !this.free(c, except)) return false;
    return this.host.connectors().filter((x) => this.free(x, except)).length <= zero;
  }

  private connectorStatus(connectorId: number, except: number): ReserveNowStatus {
    const c = this.host.connectors().find((x) => x.id === connectorId);
    if (!c) return 'Rejected';
    if (c.status === 'Faulted') return 'Faulted';
    if (c.busy || this.ownReservation(c.id, except) || this.zeroBlocked(c, except)) return 'Occupied';
    if (!c.operative || c.status === 'Unavailable') return 'Unavailable';
    if (c.status !== 'Available' && c.status !== 'Reserved') return 'Occupied'; // Preparing, Charging, Suspended*, Finishing
    return 'Accepted';
  }

  private zeroStatus(except: number): ReserveNowStatus {
    if (!this.host.zeroSupported()) return 'Rejected';
    const all = this.host.connectors();
    const free = all.filter((c) => this.free(c, except)).length;
    if (free > this.zeroReservations(except).length) return 'Accepted';
    if (all.every((c) => c.status === 'Faulted')) return 'Faulted';
    if (all.every((c) => c.status === 'Faulted' || c.status === 'Unavailable' || !c.operative)) return 'Unavailable';
    return 'Occupied';
  }

  private remove(reservationId: number): Reservation | undefined {
    const r = this.byId.get(reservationId);
    if (!r) return undefined;
    this.byId.delete(reservationId);
    const t = this.expiryTimers.get(reservationId);
    if (t) clearTimeout(t);
    this.expiryTimers.delete(reservationId);
    return r;
  }

  /** The charger ends the reservation itself at expiryDate (wall clock) and makes the connector Available. */
  private armExpiry(r: Reservation): void {
    const wait = Date.parse(r.expiryDate) - Date.now();
    const timer = setTimeout(
      () => {
        this.expiryTimers.delete(r.reservationId);
        if (this.byId.get(r.reservationId) !== r) return;
        if (Date.parse(r.expiryDate) > Date.now()) return this.armExpiry(r); // a wait longer than one timer
        this.remove(r.reservationId);
        this.host.logger.debug({ reservationId: r.reservationId, connectorId: r.connectorId }, 'reservation expired');
        this.host.emit('reservationEnded', { ...r, reason: 'Expired' });
        this.refreshStatuses();
      },
      Math.min(Math.max(0, wait), MAX_TIMER_MS),
    );
    timer.unref();
    this.expiryTimers.set(r.reservationId, timer);
  }

  /**
   * Reports Reserved / Available for every idle connector whose status no longer fits the
   * reservations (after the current reply; one pass at a time, repeated while changes come in).
   */
  private refreshStatuses(): void {
    if (this.refreshing) {
      this.refreshAgain = true;
      return;
    }
    this.refreshing = true;
    this.host.later(async () => {
      try {
        do {
          this.refreshAgain = false;
          for (const c of this.host.connectors()) {
            if (!c.operative || c.busy || (c.status !== 'Available' && c.status !== 'Reserved')) continue;
            const wanted = this.ownReservation(c.id) || this.zeroBlocked(c) ? 'Reserved' : 'Available';
            if (c.status === wanted) continue;
            if (await this.host.report(c.id, wanted)) this.unreported.delete(c.id);
            else this.unreported.add(c.id);
          }
        } while (this.refreshAgain);
      } finally {
        this.refreshing = false;
      }
    });
  }
}
