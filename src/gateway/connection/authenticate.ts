/**
 * Station authentication at the WebSocket handshake (security profile 1: HTTP Basic; profile 2
 * when TLS is configured): the subprotocol, three rate limits, auto-registration of unknown
 * stations as Pending (when configured), and the password.
 */
import type { IHandshakeInterface } from 'ocpp-rpc/lib/server-client';
import type { Logger } from '../../logger';
import { hashPassword } from '../../security/password';
import { VerifiedPasswords } from '../../security/verified-passwords';
import { OCPP201 } from '../handlers/v201/validator';
import { meetsOcpp201PasswordRule } from '../rules/station-password-v201';
import type { ConnectionRoutes, StationRegistry } from '../storage/ports';
import { FailedAuthLimiter, type AuthRateLimitOptions } from './auth-rate-limit';
import type { AuthSession } from './station-client';

export interface AuthenticationDeps {
  gatewayId: string;
  subprotocols: readonly string[];
  autoRegister: boolean;
  stations: StationRegistry;
  routes: ConnectionRoutes;
  connectsPerAddress: FailedAuthLimiter;
  /** Failed-authentication limits (defaults: 5 per station id from one address, and 20 per address, in 60 s). */
  limits?: { perCharger?: AuthRateLimitOptions; perAddress?: AuthRateLimitOptions };
  logger: Logger;
}

export type Accept = (session?: AuthSession, protocol?: string | false) => void;
export type Reject = (code: number, message: string) => void;

/** ocpp-rpc's auth callback: accepts with the station's session and subprotocol, or rejects with an HTTP status. */
export function createAuthenticator(deps: AuthenticationDeps): (accept: Accept, reject: Reject, handshake: IHandshakeInterface) => Promise<void> {
  const { stations, connectsPerAddress } = deps;
  const perCharger = new FailedAuthLimiter(deps.limits?.perCharger ?? { maxFailures: 5, windowMs: 60_000 });
  const perAddress = new FailedAuthLimiter(deps.limits?.perAddress ?? { maxFailures: 20, windowMs: 60_000 });
  // A reconnect storm (every station back at once after a network blip) costs an HMAC each, not a scrypt run.
  const passwords = new VerifiedPasswords({ ttlMs: 15 * 60_000, maxEntries: 200_000 });

  return async (accept, reject, handshake) => {
    const stationId = handshake.identity;
    const remoteAddress = handshake.remoteAddress ?? 'unknown';
    const log = deps.logger.child({ stationId, remoteAddress });
    try {
      if (connectsPerAddress.isLimited([remoteAddress])) {
        log.warn('connection refused: too many connection attempts from this address');
        return reject(429, 'Too many connection attempts from this address');
      }
      connectsPerAddress.recordFailure([remoteAddress]);
      const subprotocol = deps.subprotocols.find((p) => handshake.protocols.has(p));
      if (!subprotocol) {
        log.info(`connection refused: the ${deps.subprotocols.join('/')} subprotocol was not offered`);
        return reject(400, `Sec-WebSocket-Protocol must offer ${deps.subprotocols.join(' or ')}`);
      }
      // Per station id *from this address*: guesses from elsewhere cannot lock the station itself out.
      const stationKey = [`${stationId} ${remoteAddress}`];
      const addressKey = [remoteAddress];
      if (perCharger.isLimited(stationKey) || perAddress.isLimited(addressKey)) {
        log.warn('connection refused: too many failed authentication attempts');
        return reject(429, 'Too many failed authentication attempts');
      }
      const password = handshake.password ? handshake.password.toString('utf8') : undefined;
      const fail = async (reason: string) => {
        perCharger.recordFailure(stationKey);
        perAddress.recordFailure(addressKey);
        log.warn({ reason }, 'charger authentication failed');
        reject(401, 'Unauthorized');
        await deps.routes
          .recordConnectionEvent({ stationId, gatewayId: deps.gatewayId, epoch: 0, event: 'auth_failed', reason, remoteAddress })
          .catch((err) => log.error({ err }, 'could not record auth failure'));
      };
      // Before auto-registration too: such a password never becomes a station's.
      if (password !== undefined && subprotocol === OCPP201 && !meetsOcpp201PasswordRule(password)) {
        return await fail('password outside the OCPP 2.0.1 rule (16-40 printable ASCII characters)');
      }
      let station = await stations.credentials(stationId);
      if (!station) {
        if (!deps.autoRegister) return await fail('unknown charger');
        if (!password) return await fail('no password (auto-registration needs one)');
        await stations.registerPending(stationId, await hashPassword(password));
        log.info('unknown charger auto-registered as Pending');
        station = await stations.credentials(stationId);
        if (!station) return await fail('auto-registration failed');
      }
      if (!password) return await fail('no password');
      if (!station.passwordHash || !(await passwords.verify(stationId, password, station.passwordHash))) return await fail('wrong password');
      accept({ stationId, remoteAddress, registrationStatus: station.registrationStatus }, subprotocol);
    } catch (err) {
      log.error({ err }, 'charger authentication error');
      reject(500, 'Internal error');
    }
  };
}
