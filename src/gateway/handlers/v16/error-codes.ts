/**
 * The CALLERROR codes OCPP-J 1.6 §4.2.3 defines. ocpp-rpc also speaks OCPP 2.0.1 and puts some of
 * its names into replies on ocpp1.6 connections; each outgoing CALLERROR is rewritten to the 1.6
 * spelling (OccurenceConstraintViolation: one 'r', kept by the 1.6 errata §5).
 */
const ocpp16ErrorCodes = new Set([
  'NotImplemented',
  'NotSupported',
  'InternalError',
  'ProtocolError',
  'SecurityError',
  'FormationViolation',
  'PropertyConstraintViolation',
  'OccurenceConstraintViolation',
  'TypeConstraintViolation',
  'GenericError',
]);

/** Bad-frame error codes ocpp-rpc uses (OCPP 2.0.1 names) that OCPP 1.6 calls FormationViolation. */
const formationErrors = new Set(['RpcFrameworkError', 'MessageTypeNotSupported', 'FormatViolation']);

/** The OCPP 1.6 name for an error code ocpp-rpc may put in a CALLERROR. */
export function ocpp16ErrorCode(code: string): string {
  if (ocpp16ErrorCodes.has(code)) return code;
  // ocpp-rpc turns the 1.6 spelling into the OCPP 2.x one for ocpp1.6 connections.
  if (code === 'OccurrenceConstraintViolation') return 'OccurenceConstraintViolation';
  return formationErrors.has(code) ? 'FormationViolation' : 'GenericError';
}
