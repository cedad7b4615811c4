/**
 * Bearer tokens: 32 random bytes, shown once, stored only as their SHA-256.
 *
 * Why a plain fast hash and not scrypt/bcrypt: slow hashes protect low-entropy secrets
 * (passwords) against guessing. A token has 256 bits of entropy, so guessing it from its hash
 * is infeasible whatever the hash speed, and a fast hash lets every request be checked by an
 * indexed lookup instead of a deliberately slow comparison against every stored token.
 */
import { createHash, randomBytes } from 'node:crypto';

const tokenPrefix = 'csms_';

export function newApiToken(): string {
  return tokenPrefix + randomBytes(32).toString('base64url');
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
