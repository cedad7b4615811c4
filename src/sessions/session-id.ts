/** Session ids (`sess_` + 20 random base32 characters) double as workflow ids. Used by the API (app starts) and the gateway (charger starts). */
import { randomBytes } from 'node:crypto';

const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';

export function newSessionId(): string {
  const bytes = randomBytes(20);
  let id = 'sess_';
  for (const b of bytes) id += alphabet[b & 31];
  return id;
}

export const sessionIdPattern = /^sess_[a-z2-7]{20}$/;
