import { spawnSync } from 'node:child_process';
import { projectRoot } from '../../src/paths';

const generator = ['-r', './bench/register.js', 'scripts/ocpp-types.ts'];

describe('OCPP payload types', () => {
  it('are what json-schema-to-typescript derives from the schemas ocpp-rpc validates against (run `npm run ocpp-types` when this fails)', () => {
    const check = spawnSync(process.execPath, [...generator, '--check'], { cwd: projectRoot, encoding: 'utf8' });
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });
});
