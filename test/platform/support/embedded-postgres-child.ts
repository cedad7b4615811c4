/**
 * Starts the embedded PostgreSQL in a process of its own (Jest's sandbox cannot load the
 * package's ES module): options as JSON in argv[2]; prints one JSON line, `{ url }` or
 * `{ error, configError }`; stops the server on SIGTERM.
 */
import { ConfigError } from '../../../src/config/config';
import { startEmbeddedPostgres, type EmbeddedPostgresOptions } from '../../../src/db/embedded-postgres';

const options = JSON.parse(process.argv[2]) as EmbeddedPostgresOptions;
startEmbeddedPostgres(options).then(
  (pg) => {
    process.stdout.write(JSON.stringify({ url: pg.url }) + '\n');
    process.once('SIGTERM', () => void pg.stop().then(() => process.exit(0)));
  },
  (err: Error) => {
    process.stdout.write(JSON.stringify({ error: err.message, configError: err instanceof ConfigError }) + '\n');
    process.exit(0);
  },
);
