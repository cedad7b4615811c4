import fs from 'node:fs';
import path from 'node:path';

/** The project root (the folder with package.json), whether running from src/ or dist/. */
export const projectRoot: string = (() => {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`package.json not found above ${__dirname}`);
    dir = parent;
  }
  return dir;
})();

export const migrationsDir = path.join(projectRoot, 'src', 'db', 'migrations');
/** The workflow entry the worker bundles: compiled JS when running from dist/, else the TypeScript source. */
export const workflowsPath = __filename.endsWith('.js')
  ? path.join(projectRoot, 'dist', 'workflows', 'index.js')
  : path.join(projectRoot, 'workflows', 'index.ts');
