import fs from 'node:fs';
import path from 'node:path';
import { configVariableNames } from '../../src/config/config';
import { projectRoot } from '../../src/paths';

const readme = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');

describe('README', () => {
  it('documents every configuration variable the code reads', () => {
    const missing = configVariableNames.filter((name) => !readme.includes(`\`${name}\``));
    expect(missing).toEqual([]);
  });

  it('gives the run command and the test command that CI runs', () => {
    const ci = fs.readFileSync(path.join(projectRoot, '.ci', 'run'), 'utf8');
    const testCommand = /^npm install && npm test$/m;
    expect(ci).toMatch(testCommand);
    expect(readme).toMatch(testCommand);
    expect(readme).toMatch(/^npm install && npm start$/m);
  });
});
