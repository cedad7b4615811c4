/**
 * `npm start`: the whole system in one process tree — local Temporal dev server
 * (SQLite under data/, Web UI), embedded PostgreSQL, migrations, the session worker,
 * the OCPP gateway and the API.
 */
import { runRoles } from './run';

const DEV_OPERATOR_TOKEN = 'dev-operator-token-change-me';

void runRoles(['worker', 'gateway', 'api'], {
  embedded: true,
  env: { LOG_FORMAT: 'pretty', OPERATOR_TOKEN: DEV_OPERATOR_TOKEN, ...process.env },
  banner: ({ config, infra, running }) => {
    const url = (name: string) => running.find((r) => r.name === name)?.url ?? '?';
    const lines = [
      '',
      'EV charging backend is running',
      `  API:               ${url('api')}   (docs: ${url('api')}/docs)`,
      `  OCPP endpoint:     ${url('gateway')}/<chargePointId>   (subprotocol ocpp2.0.1 or ocpp1.6)`,
      `  Temporal Web UI:   ${infra.temporalUiUrl ?? '(external Temporal at ' + infra.temporalAddress + ')'}`,
      `  Operator token:    ${config.OPERATOR_TOKEN === DEV_OPERATOR_TOKEN ? DEV_OPERATOR_TOKEN + ' (dev default; set OPERATOR_TOKEN)' : '(from OPERATOR_TOKEN)'}`,
      `  Card payments:     ${infra.stripe ? (infra.stripe.host ? `localstripe emulator at ${infra.stripe.protocol}://${infra.stripe.host}:${infra.stripe.port}` : 'Stripe (STRIPE_SECRET_KEY)') : 'off'}`,
      `  Data:              ${config.DATA_DIR}/`,
      'Press Ctrl-C to stop.',
      '',
    ];
    process.stdout.write(lines.join('\n') + '\n');
  },
});
