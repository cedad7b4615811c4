/**
 * What a connection reports about frames, below the handlers: CALLERROR codes rewritten to the
 * protocol version's spelling on their way out, the OCPP message metrics, and log lines for
 * socket errors and schema violations.
 */
import type { Logger } from '../../logger';
import { ocppMessages } from '../../metrics';
import type { ProtocolVersion } from '../handlers/protocol-version';
import type { StationClient } from './station-client';

export function watchFrames(client: StationClient, version: ProtocolVersion, log: Logger, maxFrameBytes: number): void {
  /** Metric label: unknown action names are not used as labels (a station could send any string). */
  const actionLabel = (method: string) => (Object.hasOwn(version.handlers, method) ? method : 'unknown');

  client.on('error', (err) => log.warn({ err }, 'charger connection error'));
  client.on('socketError', (err) => {
    // ws closes the connection with 1009 after a frame above GATEWAY_MAX_FRAME_BYTES.
    if (err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
      log.warn({ maxFrameBytes }, 'charger sent a frame above GATEWAY_MAX_FRAME_BYTES: connection closed (1009)');
    } else log.info({ err }, 'charger socket error');
  });
  client.on('callResult', ({ method }) => ocppMessages.inc({ action: actionLabel(method), result: 'ok' }));
  client.on('callError', ({ method, error }) => ocppMessages.inc({ action: actionLabel(method), result: error?.rpcErrorCode ?? 'GenericError' }));
  client.on('badMessage', ({ error, response }) => {
    // A frame that is not JSON or not a well-formed message (OCPP 1.6-J: FormationViolation).
    if (response) response[2] = version.errorCode(String(response[2]));
    ocppMessages.inc({ action: 'invalid_frame', result: response ? String(response[2]) : 'ignored' });
    log.info({ err: error }, 'malformed frame from charger');
  });
  // Replies to well-formed CALLs can carry ocpp-rpc's own codes too (a second CALL with the id of one
  // still being processed is answered RpcFrameworkError): the payload is rewritten before it is sent.
  client.on('response', ({ outbound, payload }) => {
    if (outbound && payload[0] === 4) payload[2] = version.errorCode(String(payload[2]));
  });
  client.on('strictValidationFailure', (e) => {
    if (e.outbound) log.error({ method: e.method, err: e.error }, 'gateway message failed OCPP schema validation');
    else log.info({ method: e.method, err: e.error }, 'charger message failed OCPP schema validation');
  });
}
