/**
 * Runs the benchmark straight from the TypeScript sources: `node -r ./bench/register.js bench/run.ts`.
 * Strips types with @swc/core (already a dev dependency, used by Jest), so a type error elsewhere in
 * a working tree does not stop a measurement, and there is no build step to wait for.
 */
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTypeScript(module, filename) {
  const { code } = transformSync(fs.readFileSync(filename, 'utf8'), {
    filename,
    sourceMaps: 'inline',
    module: { type: 'commonjs' },
    jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
  });
  module._compile(code, filename);
};
