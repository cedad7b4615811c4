/**
 * No Docker engine runs here, so the compose file is checked for consistency with
 * the code: the services exist, every variable given to a role is one the
 * configuration reads and is valid, ports match, and each role's command exists.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { configVariableNames, loadConfig } from '../../src/config/config';
import { projectRoot } from '../../src/paths';

const compose = parse(fs.readFileSync(path.join(projectRoot, 'docker-compose.yml'), 'utf8'), { merge: true });
const roles = ['api', 'gateway', 'worker'] as const;

describe('docker-compose.yml', () => {
  it('has PostgreSQL, Temporal backed by it, the Temporal UI and the three roles', () => {
    for (const name of ['postgres', 'temporal', 'temporal-ui', ...roles]) expect(compose.services[name]).toBeDefined();
    expect(compose.services.temporal.environment.DB).toMatch(/^postgres/);
    expect(compose.services.temporal.environment.POSTGRES_SEEDS).toBe('postgres');
    expect(compose.services['temporal-ui'].environment.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it.each(roles)('gives the %s role only variables the configuration reads, and valid ones', (role) => {
    const env: Record<string, string> = { ...compose.services[role].environment };
    for (const name of Object.keys(env)) expect(configVariableNames).toContain(name);
    // Compose interpolation (${OPERATOR_TOKEN:?...}) is filled in at `up`; use a stand-in of the right shape.
    for (const [k, v] of Object.entries(env)) if (String(v).startsWith('${')) env[k] = 'x'.repeat(32);
    const config = loadConfig(env);
    expect(config.DATABASE_URL).toContain('@postgres:5432/');
    expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('runs each role with its own built entry point from the Dockerfile', () => {
    const dockerfile = fs.readFileSync(path.join(projectRoot, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/npm run build/);
    for (const role of roles) {
      expect(compose.services[role].build).toBe('.');
      const command: string[] = compose.services[role].command;
      expect(command).toEqual(['node', `dist/src/main/${role}.js`]);
      expect(fs.existsSync(path.join(projectRoot, 'src', 'main', `${role}.ts`))).toBe(true);
    }
  });

  it('publishes the ports the roles listen on', () => {
    const api = loadConfig({ ...compose.services.api.environment, OPERATOR_TOKEN: 'x'.repeat(32) });
    const gateway = loadConfig(compose.services.gateway.environment);
    expect(compose.services.api.ports).toContain(`${api.API_PORT}:${api.API_PORT}`);
    expect(compose.services.gateway.ports).toContain(`${gateway.GATEWAY_PORT}:${gateway.GATEWAY_PORT}`);
    expect(compose.services.temporal.ports).toContain('7233:7233');
  });
});
