/**
 * The three production roles (session worker, gateway, API) in one child process on the bench's
 * PostgreSQL and Temporal, configured as production would be but for loopback ports and a
 * connection-rate limit every simulated charger (all from 127.0.0.1) would hit.
 */
import path from 'node:path';
import { startChild } from './children';

export const benchOperatorToken = 'bench-operator-token-0123456789';

export interface StackTarget {
  databaseUrl: string;
  temporalAddress: string;
  namespace: string;
}

export function startStack(target: StackTarget, options: { name: string; cpuProf?: string; env?: Record<string, string> }) {
  return startChild<{ apiUrl: string; gatewayUrl: string }>(path.join(__dirname, '..', `stack-process${path.extname(__filename)}`), {
    env: {
      DATABASE_URL: target.databaseUrl,
      TEMPORAL_ADDRESS: target.temporalAddress,
      TEMPORAL_NAMESPACE: target.namespace,
      // Queues of this stack only: a shared Temporal cluster may have other workers on others.
      TEMPORAL_TASK_QUEUE: `bench-sessions-${options.name}`,
      GATEWAY_ID: `bench-stack-${options.name}`,
      API_HOST: '127.0.0.1',
      API_PORT: '0',
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_PORT: '0',
      GATEWAY_CONNECTS_PER_ADDRESS_PER_MINUTE: '10000000',
      OPERATOR_TOKEN: benchOperatorToken,
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      NODE_ENV: 'production',
      ...options.env,
    },
    execArgv: options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProf}`] : [],
    readyTimeoutMs: 120_000,
  });
}
