/**
 * All configuration, parsed and validated once at start into one typed object.
 * Nothing else in the code base reads process.env.
 */
import { z } from 'zod';

const duration = (defaultMs: number) => z.coerce.number().int().nonnegative().default(defaultMs);
const port = (defaultPort: number) => z.coerce.number().int().min(0).max(65535).default(defaultPort);
const bool = (defaultValue: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'])
    .default(defaultValue ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** `pretty` for people, `json` for log collectors. */
  LOG_FORMAT: z.enum(['json', 'pretty']).default('json'),
  DATA_DIR: z.string().min(1).default('data'),

  /** Empty: the embedded PostgreSQL under DATA_DIR (dev only). */
  DATABASE_URL: z.string().url().optional(),
  EMBEDDED_POSTGRES_PORT: port(54329),
  /**
   * As root, PostgreSQL runs as user `postgres`: where its binaries are mirrored and its cluster
   * kept when the checkout or DATA_DIR lies under a directory that user cannot traverse.
   */
  EMBEDDED_POSTGRES_RUNTIME_DIR: z.string().min(1).default('/var/lib/durable-csms'),

  /** Empty: the dev entry point starts a local Temporal dev server. */
  TEMPORAL_ADDRESS: z.string().min(1).optional(),
  TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
  TEMPORAL_TASK_QUEUE: z.string().min(1).default('charging-sessions'),
  TEMPORAL_DEV_SERVER_PORT: port(7233),
  TEMPORAL_UI_PORT: port(8233),
  TEMPORAL_CLI_PATH: z.string().min(1).optional(),
  TEMPORAL_TEST_SERVER_PATH: z.string().min(1).optional(),

  API_HOST: z.string().min(1).default('0.0.0.0'),
  API_PORT: port(3000),
  API_BODY_LIMIT: z.string().default('64kb'),
  /** Operator bootstrap token (stored hashed at start); empty means none is created. */
  OPERATOR_TOKEN: z.string().min(16).optional(),
  API_START_WAIT_MS: duration(15_000),
  API_STOP_WAIT_MS: duration(15_000),

  GATEWAY_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - only')
    .default('gw1'),
  GATEWAY_HOST: z.string().min(1).default('0.0.0.0'),
  GATEWAY_PORT: port(9000),
  GATEWAY_PATH_PREFIX: z.string().regex(/^\/[^?#]*$/, 'must start with /').default('/ocpp'),
  GATEWAY_TLS_CERT_FILE: z.string().optional(),
  GATEWAY_TLS_KEY_FILE: z.string().optional(),
  GATEWAY_AUTO_REGISTER: bool(false),
  GATEWAY_HEARTBEAT_INTERVAL_S: z.coerce.number().int().positive().default(300),
  /** Connection attempts (any outcome) one remote address may make per minute: a flood is refused with 429. */
  GATEWAY_CONNECTS_PER_ADDRESS_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /**
   * Largest OCPP frame accepted (a larger one closes the connection, 1009). 1 MiB: a long
   * transaction's StopTransaction transactionData, or signed meter values, exceed 64 KiB, and a
   * charger retries a refused StopTransaction again and again.
   */
  GATEWAY_MAX_FRAME_BYTES: z.coerce.number().int().positive().default(1_048_576),
  GATEWAY_COMMAND_TIMEOUT_MS: duration(30_000),

  SESSION_PLUG_IN_TIMEOUT_MS: duration(120_000),
  SESSION_COMMAND_TIMEOUT_MS: duration(30_000),
  SESSION_COMMAND_MAX_ATTEMPTS: z.coerce.number().int().positive().default(5),
  SESSION_OFFLINE_GRACE_MS: duration(15 * 60_000),
  SESSION_STOP_CONFIRM_TIMEOUT_MS: duration(120_000),

  /**
   * Network defaults every station's configuration is reconciled to (unless the operator declares
   * otherwise): live cost needs MeterValues during the session (a charger with 0 sends none), and
   * the bill wants the energy register in StopTransaction's transactionData.
   */
  STATION_METER_VALUE_SAMPLE_INTERVAL_S: z.coerce.number().int().positive().default(60),
  STATION_STOP_TXN_SAMPLED_DATA: z
    .string()
    .regex(/^[A-Za-z.]+(,[A-Za-z.]+)*$/, 'a comma-separated list of OCPP measurands')
    .default('Energy.Active.Import.Register'),

  /**
   * The API's address as chargers reach it (the diagnostics upload URL is built on it).
   * Empty: http://127.0.0.1:<API_PORT>, right only when chargers run on this machine.
   */
  API_PUBLIC_URL: z.string().url().regex(/^https?:\/\//, 'must be an http(s) URL').optional(),
  /** A firmware update with no FirmwareStatusNotification (or, after Installed, no boot) for this long ends timed_out. */
  FIRMWARE_STATUS_TIMEOUT_MS: duration(30 * 60_000),
  /** A diagnostics request with no DiagnosticsStatusNotification or upload for this long ends timed_out. */
  DIAGNOSTICS_STATUS_TIMEOUT_MS: duration(30 * 60_000),
  /** How long a diagnostics upload URL (its one-time token) stays valid. */
  DIAGNOSTICS_UPLOAD_TTL_MS: duration(60 * 60_000),
  /** The furthest ahead a reservation may expire (the operator's limit); a later expiryDate is refused (400). */
  RESERVATION_MAX_MINUTES: z.coerce.number().int().positive().max(10_080).default(60),
  /** Between CancelReservation attempts to a charger that is offline (until the reservation's expiry). */
  RESERVATION_CANCEL_RETRY_MS: duration(30_000),
  /** Largest diagnostics file accepted (413 above). */
  DIAGNOSTICS_UPLOAD_MAX_BYTES: z.coerce.number().int().positive().default(50 * 1024 * 1024),
  /** A station's local-list sync reads the database at least this often with no wake-up (what a lost signal costs at most). */
  LOCAL_LIST_SYNC_POLL_MS: duration(5 * 60_000),
  /** First retry after a station answered Failed / Rejected / a CALLERROR; doubles up to LOCAL_LIST_SYNC_POLL_MS. */
  LOCAL_LIST_SYNC_RETRY_MS: duration(10_000),

  /** Site load management: how often a site with charging sessions reads their latest power and its stations' state. */
  SITE_POLL_INTERVAL_MS: duration(5_000),
  /** How long an offline charger's last allocation stays reserved for it before the site frees it. */
  SITE_OFFLINE_GRACE_MS: duration(15 * 60_000),
  /** When a charger that rejected or did not answer its allocation (counted at its maximum meanwhile) is tried again. */
  SITE_RETRY_FAILED_MS: duration(5 * 60_000),
  /** Per attempt (two attempts) of a site's SetChargingProfile. */
  SITE_COMMAND_TIMEOUT_MS: duration(15_000),

  /**
   * Card payments (Stripe). Empty: `npm start` and the tests run localstripe (the emulator in
   * .tools/localstripe) and point the SDK at it; production without a key takes no card payments.
   */
  STRIPE_SECRET_KEY: z.string().regex(/^(sk|rk)_(test|live)_\S+$/, 'a Stripe secret key (sk_test_…, sk_live_…)').optional(),
  /** Where the Stripe API is (default Stripe's own, api.stripe.com:443 over https); the emulator is reached through these. */
  STRIPE_API_HOST: z.string().min(1).optional(),
  STRIPE_API_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  STRIPE_API_PROTOCOL: z.enum(['http', 'https']).optional(),
  /** The endpoint secret (whsec_…) Stripe signs webhooks to POST /v1/payments/webhook with; empty: webhooks are refused. */
  STRIPE_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** A localstripe executable instead of the pinned one in .tools/localstripe. */
  LOCALSTRIPE_PATH: z.string().min(1).optional(),
  /** The currency card payments are taken in; a card driver's session on a tariff in another currency does not start. */
  PAYMENT_CURRENCY: z
    .string()
    .regex(/^[A-Z]{3}$/, 'an ISO 4217 code (EUR)')
    .default('EUR'),
  /** The hold placed on a card before the charger starts, in PAYMENT_CURRENCY; the session stops before its cost passes it. */
  PAYMENT_PREAUTHORIZATION_AMOUNT: z
    .string()
    .regex(/^\d{1,6}(\.\d{1,3})?$/, 'a decimal amount (50.00)')
    .refine((v) => Number(v) > 0, 'must be above zero')
    .default('50.00'),
  /** How long a start waits for the provider to answer the hold (then 503, nothing sent to the charger). */
  PAYMENT_HOLD_TIMEOUT_MS: duration(10_000),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment (defaults to process.env); the error names every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const config = parsed.data;
  if (Boolean(config.GATEWAY_TLS_CERT_FILE) !== Boolean(config.GATEWAY_TLS_KEY_FILE)) {
    throw new ConfigError(['GATEWAY_TLS_CERT_FILE / GATEWAY_TLS_KEY_FILE: set both or neither']);
  }
  return config;
}

/** The variable names the code reads, for the docker-compose consistency test. */
export const configVariableNames = Object.keys(configSchema.shape);
