/**
 * Serves a protocol version's handler table on one station connection: the registration gate
 * before every handler, and the one mapping of a handler's failure to a CALLERROR (the station's
 * data at fault: PropertyConstraintViolation; anything else: InternalError, so it retries).
 */
import { createRPCError } from 'ocpp-rpc';
import { admits, type RegistrationStatus } from '../rules/registration';
import type { StationClient } from '../connection/station-client';
import type { HandlerContext } from './handler';
import type { ProtocolVersion } from './protocol-version';
import { StationDataError } from './station-data-error';

export function serveMessages(client: StationClient, ctx: HandlerContext, version: ProtocolVersion, storedRegistration: () => Promise<RegistrationStatus | null>): void {
  const { logger: log, registration } = ctx;
  for (const [action, handler] of Object.entries(version.handlers)) {
    client.handle(action, async ({ params }) => {
      // What a Pending or Rejected station may send: src/gateway/rules/registration.ts.
      if (!(await admits(registration, (status) => version.stationMaySend(status, action), storedRegistration))) {
        log.info({ action, registrationStatus: registration.status }, 'OCPP message refused: the charger is not Accepted');
        throw createRPCError('SecurityError', `${action} is not accepted from a charge point whose registration is ${registration.status}`, {});
      }
      try {
        return await handler(ctx, params ?? {});
      } catch (err) {
        if (isUnstorableValue(err)) {
          // Valid by the OCPP schema, but not storable (NUL in a string, an integer beyond 32 bits, a
          // connector id below 0): the station's data is at fault, so retrying the message cannot help.
          log.warn({ err, action }, 'OCPP message with a value the central system cannot store');
          throw createRPCError('PropertyConstraintViolation', 'A value in the message is outside what the central system accepts', {});
        }
        log.error({ err, action }, 'OCPP message could not be processed');
        throw createRPCError('InternalError', 'The central system could not process the message', {});
      }
    });
  }
  for (const action of version.centralSystemActions) {
    client.handle(action, () => {
      throw createRPCError('NotSupported', `${action} is sent by the central system, not by a charge point`, {});
    });
  }
}

/**
 * PostgreSQL refused a value itself, not the operation: data exceptions (SQLSTATE class 22: out of
 * range, invalid byte sequence, bad datetime) and check constraints (23514); or a handler's own
 * StationDataError.
 */
function isUnstorableValue(err: unknown): boolean {
  if (err instanceof StationDataError) return true;
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('22') || code === '23514');
}
