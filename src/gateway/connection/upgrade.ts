/**
 * Which HTTP upgrades reach the WebSocket server: only `${prefix}/<stationId>` while the gateway
 * runs, and only with credentials. A request without them is challenged (security profile 1,
 * OCPP-J 1.6 §7: HTTP Basic), not counted as a failed login; it is still a connection attempt
 * from its address.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FailedAuthLimiter } from './auth-rate-limit';

/** OCPP-J: the station id is the last path segment, printable ASCII, at most 64 characters (CiString). */
const stationIdPattern = /^[\x21-\x7e]{1,64}$/;

export function rejectUpgrade(socket: Duplex, code: number, message: string, headers: Record<string, string> = {}): void {
  if (socket.writable) {
    const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
    socket.write(
      `HTTP/1.1 ${code} ${STATUS_CODES[code]}\r\nConnection: close\r\n${extra}Content-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(message)}\r\n\r\n${message}`,
    );
  }
  socket.destroy();
}

/** The station id from `${prefix}/<id>`, or undefined for any other path. */
export function stationIdFromPath(rawUrl: string | undefined, prefix: string): string | undefined {
  try {
    const { pathname } = new URL('http://localhost' + (rawUrl || '/'));
    const base = prefix.replace(/\/+$/, '');
    if (!pathname.startsWith(base + '/')) return undefined;
    const rest = pathname.slice(base.length + 1);
    if (rest.includes('/')) return undefined;
    const id = decodeURIComponent(rest);
    return stationIdPattern.test(id) && !id.includes('/') ? id : undefined;
  } catch {
    return undefined;
  }
}

export interface UpgradeGate {
  pathPrefix: string;
  /** Every connection attempt counts here, successful or not: a connection flood from one address. */
  connectsPerAddress: FailedAuthLimiter;
  closing(): boolean;
}

/** Answers the upgrade itself and returns false, or returns true to hand it to the WebSocket server. */
export function admitUpgrade(gate: UpgradeGate, req: IncomingMessage, socket: Duplex): boolean {
  if (gate.closing()) return rejectUpgrade(socket, 503, 'Gateway shutting down'), false;
  if (!stationIdFromPath(req.url, gate.pathPrefix)) {
    return rejectUpgrade(socket, 404, `Not found: connect to ${gate.pathPrefix.replace(/\/+$/, '')}/<chargePointId>`), false;
  }
  if (req.headers.authorization) return true;
  const address = req.socket.remoteAddress ?? 'unknown';
  if (gate.connectsPerAddress.isLimited([address])) return rejectUpgrade(socket, 429, 'Too many connection attempts from this address'), false;
  gate.connectsPerAddress.recordFailure([address]);
  rejectUpgrade(socket, 401, 'Unauthorized', { 'WWW-Authenticate': 'Basic realm="ocpp"' });
  return false;
}
