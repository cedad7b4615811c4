import { hashPassword, verifyPassword } from '../../src/security/password';
import { VerifiedPasswords } from '../../src/security/verified-passwords';

describe('remembered charger password verifications', () => {
  let clock = 0;
  let scryptRuns = 0;
  let stored: string;
  const cacheOf = (maxEntries = 10) =>
    new VerifiedPasswords({ ttlMs: 60_000, maxEntries, now: () => clock, verifySlowly: (password, hash) => (scryptRuns++, verifyPassword(password, hash)) });

  beforeAll(async () => {
    stored = await hashPassword('right-password');
  });
  beforeEach(() => {
    clock = 1_000_000;
    scryptRuns = 0;
  });

  it('answers a password scrypt accepted from memory, without running scrypt again', async () => {
    const cache = cacheOf();
    expect(await cache.verify('CP_1', 'right-password', stored)).toBe(true);
    expect(await cache.verify('CP_1', 'right-password', stored)).toBe(true);
    expect(scryptRuns).toBe(1);
  });

  it('never remembers a refusal, and a wrong password is refused even right after the right one', async () => {
    const cache = cacheOf();
    expect(await cache.verify('CP_1', 'wrong', stored)).toBe(false);
    expect(await cache.verify('CP_1', 'right-password', stored)).toBe(true);
    expect(await cache.verify('CP_1', 'wrong', stored)).toBe(false);
    expect(await cache.verify('CP_1', 'right-password ', stored)).toBe(false);
    // Every refusal went through scrypt (and so through the caller's failed-login limits).
    expect(scryptRuns).toBe(4);
  });

  it('is per charger and per stored hash: another charger, or a changed password, goes back to scrypt', async () => {
    const cache = cacheOf();
    expect(await cache.verify('CP_1', 'right-password', stored)).toBe(true);
    const newHash = await hashPassword('new-password');
    expect(await cache.verify('CP_1', 'right-password', newHash)).toBe(false);
    expect(await cache.verify('CP_2', 'right-password', stored)).toBe(true);
    expect(await cache.verify('CP_1', 'new-password', newHash)).toBe(true);
    expect(scryptRuns).toBe(4);
  });

  it('forgets after its time to live and keeps at most maxEntries chargers', async () => {
    const cache = cacheOf(2);
    await cache.verify('CP_1', 'right-password', stored);
    clock += 60_001;
    await cache.verify('CP_1', 'right-password', stored);
    expect(scryptRuns).toBe(2);

    await cache.verify('CP_2', 'right-password', stored);
    await cache.verify('CP_3', 'right-password', stored); // CP_1 is the oldest: forgotten
    scryptRuns = 0;
    await cache.verify('CP_3', 'right-password', stored);
    expect(scryptRuns).toBe(0);
    await cache.verify('CP_1', 'right-password', stored);
    expect(scryptRuns).toBe(1);
  });
});
