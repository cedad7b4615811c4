/**
 * Availability (OCPP 1.6 §5.2 ChangeAvailability, §4.9 StatusNotification) as the operator sees it,
 * and what it means for starting a session. Pure: the API's station view and the session service
 * read the same rules.
 *
 * - Requested: what the operator asked and the station took (Accepted or Scheduled). Connector 0
 *   is the whole station: Inoperative there makes every connector unavailable.
 * - Scheduled: the station answered Scheduled (a transaction runs); the change waits for its end.
 * - Effective: what the station reports with StatusNotification: `Unavailable` is Inoperative,
 *   any other status Operative, `Unknown` (never reported, or offline) unknown.
 */
export type AvailabilityType = 'Operative' | 'Inoperative';
export type EffectiveAvailability = AvailabilityType | 'Unknown';

/** A ChangeAvailability the station took, as stored (connector_availability). */
export interface AvailabilityRequest {
  requested: AvailabilityType;
  /** The station answered Scheduled. */
  scheduled: boolean;
  requestedAt: string;
}

export interface AvailabilityView {
  requested: AvailabilityType | null;
  requestedAt: string | null;
  /** Answered Scheduled, and the station has not reported the change yet. */
  scheduled: boolean;
  effective: EffectiveAvailability;
}

/** What a StatusNotification status (ChargePointStatus) says about availability. */
export function effectiveAvailability(status: string | null | undefined): EffectiveAvailability {
  if (!status || status === 'Unknown') return 'Unknown';
  return status === 'Unavailable' ? 'Inoperative' : 'Operative';
}

export function availabilityView(request: AvailabilityRequest | null, status: string | null | undefined): AvailabilityView {
  return viewOf(request, effectiveAvailability(status));
}

/**
 * The whole station: connector 0's own report when it sent one; else its connectors' (not every
 * station reports connector 0): all Unavailable is Inoperative, any other report Operative.
 */
export function stationAvailabilityView(request: AvailabilityRequest | null, stationStatus: string | null | undefined, connectorStatuses: readonly string[]): AvailabilityView {
  const own = effectiveAvailability(stationStatus);
  if (own !== 'Unknown') return viewOf(request, own);
  const reported = connectorStatuses.map(effectiveAvailability).filter((e) => e !== 'Unknown');
  const effective = reported.length === 0 ? 'Unknown' : reported.length === connectorStatuses.length && reported.every((e) => e === 'Inoperative') ? 'Inoperative' : 'Operative';
  return viewOf(request, effective);
}

function viewOf(request: AvailabilityRequest | null, effective: EffectiveAvailability): AvailabilityView {
  return {
    requested: request?.requested ?? null,
    requestedAt: request?.requestedAt ?? null,
    scheduled: !!request?.scheduled && effective !== request.requested,
    effective,
  };
}

/**
 * Statuses on which a connector cannot start a transaction: §4.9 "Unavailable: … not available
 * for a new transaction", "Faulted: … not available for energy delivery". A station's own
 * Unavailable counts as much as one the operator asked for.
 */
const statusesRefusingStart = new Set(['Unavailable', 'Faulted']);

export interface ConnectorStartState {
  stationId: string;
  connectorId: number;
  /** The connector's stored request and reported status. */
  connector: { request: AvailabilityRequest | null; status: string | null };
  /** Connector 0: the station as a whole. */
  station: { request: AvailabilityRequest | null; status: string | null };
}

/**
 * Why a new session cannot start on the connector, or null when it may. An Inoperative request
 * refuses even while it is only scheduled: the running transaction ends, and no new one begins.
 */
export function startRefusal(s: ConnectorStartState): string | null {
  const where = `connector ${s.connectorId} of station ${s.stationId}`;
  if (s.station.request?.requested === 'Inoperative') return `station ${s.stationId} was made Inoperative (ChangeAvailability on connector 0)`;
  if (s.connector.request?.requested === 'Inoperative') return `${where} was made Inoperative (ChangeAvailability)`;
  if (s.station.status === 'Unavailable') return `station ${s.stationId} reports itself Unavailable`;
  if (s.connector.status && statusesRefusingStart.has(s.connector.status)) return `${where} reports ${s.connector.status}`;
  return null;
}
