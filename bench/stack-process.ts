/**
 * Child process: the three production roles (session worker, gateway with its command worker,
 * API) started by the same code as `npm start`, on the bench's PostgreSQL and Temporal server.
 * Env: the usual configuration variables (DATABASE_URL, TEMPORAL_ADDRESS, ...), set by the bench.
 */
import { runRoles } from '../src/main/run';
import { memoryAfterGc } from './support/children';

void runRoles(['worker', 'gateway', 'api'], {
  embedded: false,
  env: process.env,
  banner: ({ running }) => {
    const url = (name: string) => running.find((r) => r.name === name)?.url;
    process.on('message', (m: { id: number; type: string }) => {
      if (m.type === 'memory') process.send!({ id: m.id, result: memoryAfterGc() });
      else process.send!({ id: m.id, error: `unknown request ${m.type}` });
    });
    // runRoles owns SIGTERM (orderly stop, then exit); a vanished parent gets the same.
    process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
    process.send!({ type: 'ready', result: { apiUrl: url('api'), gatewayUrl: url('gateway') } });
  },
});
