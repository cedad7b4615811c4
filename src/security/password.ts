/**
 * Charger passwords (OCPP Security Profile 1/2: HTTP Basic auth), stored as scrypt hashes.
 * Format: scrypt$<N>$<r>$<p>$<salt base64>$<hash base64>, so the parameters can be raised later
 * without invalidating stored hashes.
 *
 * (Written by the API helper, which needs hashPassword to register chargers, because this
 * GATEWAY-owned file did not exist yet; the interface is the one in the team brief.)
 */
import { randomBytes, scrypt as scryptCallback, ScryptOptions, timingSafeEqual } from 'node:crypto';

const params = { N: 16384, r: 8, p: 1 } as const;
const keyLength = 32;

function scrypt(plain: string, salt: Buffer, options: ScryptOptions, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(plain, salt, length, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

export async function hashPassword(plain: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(plain, salt, params, keyLength);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

/** False for a wrong password and for a stored value that is not a hash this module wrote. */
export async function verifyPassword(plain: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0)) return false;
  const salt = Buffer.from(parts[4], 'base64');
  const expected = Buffer.from(parts[5], 'base64');
  if (expected.length === 0) return false;
  const actual = await scrypt(plain, salt, { N, r, p, maxmem: 128 * N * r * 2 }, expected.length);
  return timingSafeEqual(actual, expected);
}
