/**
 * Custom search attributes, so operators can filter sessions in the Temporal Web UI
 * by station, driver and status. Registered by the dev server at start, and by
 * `temporal operator search-attribute create` in production (see README).
 */
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';

export const StationIdKey = defineSearchAttributeKey('StationId', SearchAttributeType.KEYWORD);
export const DriverIdKey = defineSearchAttributeKey('DriverId', SearchAttributeType.KEYWORD);
export const SessionStatusKey = defineSearchAttributeKey('SessionStatus', SearchAttributeType.KEYWORD);

export const sessionSearchAttributes = [StationIdKey, DriverIdKey, SessionStatusKey];

/** The attributes a session workflow starts with (driver omitted for anonymous RFID starts). */
export function sessionStartAttributes(session: { stationId: string; driverId: string | null }, status: string): SearchAttributePair[] {
  const pairs: SearchAttributePair[] = [
    { key: StationIdKey, value: session.stationId },
    { key: SessionStatusKey, value: status },
  ];
  if (session.driverId) pairs.push({ key: DriverIdKey, value: session.driverId });
  return pairs;
}
