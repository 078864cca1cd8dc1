import { DEFAULT_BATCH_SIZE } from '../projections/batchSize';

/**
 * Every environment variable the service reads, with its default ('' for none): the one table
 * the configuration, the auth settings and the README agree on.
 */
export const ENVIRONMENT_DEFAULTS = {
  PORT: '4000',
  HOST: '127.0.0.1',
  DATA_DIR: './data',
  NODE_ENV: '',
  LOG_LEVEL: 'info',
  EVENT_STORE: 'sqlite',
  EVENTSTORE_CONNECTION_STRING: '',
  EVENTSTORE_DEADLINE_MS: '5000',
  READ_YOUR_WRITES_TIMEOUT_MS: '5000',
  PROJECTION_BATCH_SIZE: String(DEFAULT_BATCH_SIZE),
  MAX_QUERY_DEPTH: '12',
  MAX_QUERY_COST: '50000',
  MAX_BODY_BYTES: '1048576',
  MAX_MUTATIONS_PER_OPERATION: '10',
  MAX_RESPONSE_BYTES: '8388608',
  RATE_LIMIT_PRINCIPAL_REQUEST_BURST: '1000',
  RATE_LIMIT_PRINCIPAL_REQUESTS_PER_SECOND: '50',
  RATE_LIMIT_PRINCIPAL_MUTATION_BURST: '500',
  RATE_LIMIT_PRINCIPAL_MUTATIONS_PER_SECOND: '25',
  RATE_LIMIT_TENANT_REQUEST_BURST: '3000',
  RATE_LIMIT_TENANT_REQUESTS_PER_SECOND: '150',
  RATE_LIMIT_TENANT_MUTATION_BURST: '1500',
  RATE_LIMIT_TENANT_MUTATIONS_PER_SECOND: '75',
  IDEMPOTENCY_KEY_TTL_SECONDS: '86400',
  AUTH_JWKS_URL: '',
  AUTH_PUBLIC_KEY_FILE: '',
  AUTH_ISSUER: '',
  AUTH_AUDIENCE: '',
  AUTH_MAX_TOKEN_LIFETIME_SECONDS: '86400',
  POSITION_KEY_FILE: '',
  AUDIT_SIGNING_KEY_FILE: '',
  CONSOLE_TOKEN_URL: '',
  CONSOLE_SIGN_IN_URL: '',
  METRICS_PORT: '',
  OPEN_REGISTRATION_TENANTS: '',
  OPEN_REGISTRATION_QUOTA: '100',
} as const;

/** The name of a variable the service reads. */
export type EnvironmentVariable = keyof typeof ENVIRONMENT_DEFAULTS;

/** A variable's value, trimmed; its default when unset or blank. */
export const readEnvironment = (env: NodeJS.ProcessEnv, name: EnvironmentVariable): string =>
  env[name]?.trim() || ENVIRONMENT_DEFAULTS[name];
