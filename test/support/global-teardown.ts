import fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const handle = (globalThis as any).__csmsTestPostgres;
  if (!handle) return;
  await handle.pg.stop();
  fs.rmSync(handle.dataDir, { recursive: true, force: true });
}
