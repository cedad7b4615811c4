/**
 * The CALLERROR codes OCPP-J 2.0.1 §4.3 defines. ocpp-rpc mostly speaks them already; a 1.6-only
 * spelling that reaches a reply on an ocpp2.0.1 connection is rewritten to its 2.0.1 name.
 */
const ocpp201ErrorCodes = new Set([
  'FormatViolation',
  'GenericError',
  'InternalError',
  'MessageTypeNotSupported',
  'NotImplemented',
  'NotSupported',
  'OccurrenceConstraintViolation',
  'PropertyConstraintViolation',
  'ProtocolError',
  'RpcFrameworkError',
  'SecurityError',
  'TypeConstraintViolation',
]);

const renamed: Record<string, string> = {
  FormationViolation: 'FormatViolation',
  OccurenceConstraintViolation: 'OccurrenceConstraintViolation',
};

/** The OCPP 2.0.1 name for an error code that may end up in a CALLERROR. */
export function ocpp201ErrorCode(code: string): string {
  if (ocpp201ErrorCodes.has(code)) return code;
  return renamed[code] ?? 'GenericError';
}
