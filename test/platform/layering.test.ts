/**
 * Imports run down the layers, never back up: the pure layers (configuration, billing, the OCPP
 * command contract, the workflows and their contract) reach no adapter (gateway, API, database,
 * session services, worker), and the adapters do not reach into each other. Every import is read
 * with the TypeScript compiler's own pre-processor, `import type` and `export … from` included.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { projectRoot } from '../../src/paths';

interface Rule {
  /** A folder (or file) of the project, relative to its root. */
  from: string;
  /** When given: the only project paths its files may import (besides their own folder). */
  only?: string[];
  /** Project paths its files must not import. */
  never?: string[];
  /** When given: the only packages its files may import. */
  packages?: string[];
}

const rules: Rule[] = [
  { from: 'src/config', only: ['src/config'] },
  { from: 'src/billing', only: ['src/billing'] },
  { from: 'src/ocpp', only: ['src/ocpp'] },
  // Workflow code is bundled into Temporal's deterministic sandbox: pure modules only.
  { from: 'workflows', only: ['workflows', 'src/billing', 'src/ocpp', 'src/load-management', 'src/temporal/search-attributes.ts'], packages: ['@temporalio/workflow'] },
  // The allocation policy and its rounds: pure, read by the site workflow.
  { from: 'src/load-management', only: ['src/ocpp', 'src/billing'], packages: [] },
  { from: 'src/sites', never: ['src/gateway', 'src/api', 'src/worker'] },
  { from: 'src/gateway', never: ['activities', 'src/api', 'src/worker', 'src/main', 'src/sessions/session-service.ts'] },
  { from: 'src/api', never: ['src/gateway', 'src/worker', 'src/db/migrations'] },
  { from: 'src/worker', never: ['src/gateway', 'src/api'] },
  { from: 'src/tariffs', never: ['src/gateway', 'src/api'] },
  { from: 'src/sessions', never: ['src/gateway'] },
  { from: 'src/stations', never: ['src/gateway', 'src/api', 'src/worker'] },
  { from: 'src/reservations', never: ['src/gateway', 'src/api', 'src/worker'] },
];

function sourceFiles(dir: string): string[] {
  const abs = path.join(projectRoot, dir);
  if (fs.statSync(abs).isFile()) return [dir];
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
    const rel = path.posix.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(rel);
    return e.name.endsWith('.ts') ? [rel] : [];
  });
}

/** Every module specifier in the file, resolved to a project path (relative ones) or kept as a package name. */
function importsOf(file: string): { target: string; kind: 'project' | 'package' }[] {
  const text = fs.readFileSync(path.join(projectRoot, file), 'utf8');
  return ts.preProcessFile(text, true, true).importedFiles.map(({ fileName }) => {
    if (!fileName.startsWith('.')) {
      const parts = fileName.split('/');
      return { target: fileName.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0], kind: 'package' as const };
    }
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), fileName));
    const asFile = fs.existsSync(path.join(projectRoot, resolved + '.ts')) ? resolved + '.ts' : resolved;
    return { target: asFile, kind: 'project' as const };
  });
}

const within = (target: string, prefix: string) => target === prefix || target === prefix.replace(/\.ts$/, '') || target.startsWith(prefix + '/');

/** The forbidden edges of one rule, as "importer -> imported". */
function violations(rule: Rule): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(rule.from)) {
    for (const { target, kind } of importsOf(file)) {
      const bad =
        kind === 'package'
          ? rule.packages !== undefined && !rule.packages.includes(target)
          : (rule.only !== undefined && !within(target, rule.from) && !rule.only.some((p) => within(target, p))) ||
            (rule.never ?? []).some((p) => within(target, p));
      if (bad) found.push(`${file} -> ${target}`);
    }
  }
  return found;
}

describe('layering', () => {
  it.each(rules.map((r) => [r.from, r] as const))('%s imports nothing from a layer above it', (_from, rule) => {
    expect(violations(rule)).toEqual([]);
  });
});
