/**
 * OCPP's dateTime as its JSON schema wants it (format date-time: with seconds; here always UTC),
 * from any ISO 8601 form the API accepts; default now. The gateway validates every outgoing call
 * against that schema, so a form it refuses would look like the station's error.
 */
export const asOcppDateTime = (iso?: string): string => (iso === undefined ? new Date() : new Date(iso)).toISOString();
