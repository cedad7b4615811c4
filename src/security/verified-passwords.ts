/**
 * A short-lived memory of charger passwords already verified against their stored scrypt hash,
 * so a reconnect storm (10,000 chargers back at once after a network blip) is not 10,000 scrypt
 * runs of ~30 ms CPU each. It holds no password: only an HMAC of (charger id, stored hash,
 * password) under a key made per process and never written anywhere, compared in constant
 * time. It only ever says yes to exactly what scrypt said yes to: a changed stored hash (a new
 * password) misses, a wrong password misses and goes through scrypt and the failed-login limits
 * as before, and an entry is forgotten after its time to live.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { verifyPassword } from './password';

interface Entry {
  mac: Buffer;
  expiresAt: number;
}

export class VerifiedPasswords {
  private readonly key = randomBytes(32);
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly options: {
      ttlMs: number;
      maxEntries: number;
      now?: () => number;
      /** The slow check it stands in front of (scrypt). */
      verifySlowly?: (password: string, storedHash: string) => Promise<boolean>;
    },
  ) {}

  private mac(stationId: string, storedHash: string, password: string): Buffer {
    // Lengths first, so no two different triples share an input.
    return createHmac('sha256', this.key).update(`${stationId.length}:${stationId}${storedHash.length}:${storedHash}`).update(password, 'utf8').digest();
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  /** The stored hash's verdict on `password`: from memory when it said yes within the time to live, else from scrypt. */
  async verify(stationId: string, password: string, storedHash: string): Promise<boolean> {
    const mac = this.mac(stationId, storedHash, password);
    const entry = this.entries.get(stationId);
    if (entry && entry.expiresAt > this.now() && timingSafeEqual(entry.mac, mac)) return true;
    const verified = await (this.options.verifySlowly ?? verifyPassword)(password, storedHash);
    if (verified) this.remember(stationId, mac);
    return verified;
  }

  private remember(stationId: string, mac: Buffer): void {
    this.entries.delete(stationId);
    // Bounded: the oldest entry goes first (a Map iterates in insertion order).
    if (this.entries.size >= this.options.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(stationId, { mac, expiresAt: this.now() + this.options.ttlMs });
  }
}
