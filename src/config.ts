import path from 'node:path';
import { MAX_BATCH_SIZE, MIN_BATCH_SIZE } from '../projections/batchSize';
import { type AuditKeyConfig, auditKeyConfigOf } from './audit/auditKey';
import { type AuthConfig, ConfigError, isProduction, resolveAuthConfig } from './auth';
import { tenantIdProblem } from './auth/tenantId';
import { type EnvironmentVariable, readEnvironment } from './environment';
import { type BucketRate, type RateLimits } from './http/rateLimiter';
import { isLoopbackHost } from './jsutils';
import { type PositionKeyConfig } from './positions';

/** Everything the service reads from its environment, checked. */
export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  production: boolean;
  logLevel: string;
  eventStore: EventStoreConfig;
  auth: AuthConfig;
  /** Longest bearer token lifetime accepted, in seconds (AUTH_MAX_TOKEN_LIFETIME_SECONDS). */
  maxTokenLifetimeSeconds: number;
  /** The key sealing the positions tenants see: POSITION_KEY_FILE, shared by instances, else one made in DATA_DIR. */
  positionKey: PositionKeyConfig;
  /** The key that signs the audit log's tree heads (AUDIT_SIGNING_KEY_FILE; a DATA_DIR key in development). */
  auditKey: AuditKeyConfig;
  /** Bound on how long a mutation waits for this instance's projections (read-your-writes). */
  readYourWritesTimeoutMs: number;
  /** Most events the running server's projections apply in one transaction. */
  projectionBatchSize: number;
  maxQueryDepth: number;
  maxQueryCost: number;
  maxBodyBytes: number;
  /** Most mutation fields one operation may hold: each is a command, run one after another. */
  maxMutationsPerOperation: number;
  /** Largest answer sent, in bytes; a larger one is replaced by LIMIT_EXCEEDED. */
  maxResponseBytes: number;
  /** Token buckets per principal and per tenant, for every request and for each mutation. */
  rateLimits: RateLimits;
  /** How long the answer to a mutation sent with an Idempotency-Key is kept for its retries (IDEMPOTENCY_KEY_TTL_SECONDS). */
  idempotencyKeyTtlSeconds: number;
  /** The admin console's sign-in through the platform; null URLs mean a pasted token. */
  console: ConsoleConfig;
  /** Where `GET /metrics` is served (METRICS_PORT). */
  metrics: MetricsConfig;
  /** Tenants whose open registration (`POST /tenants/{tenantId}/register`, no token) is on (OPEN_REGISTRATION_TENANTS). */
  openRegistrationTenants: string[];
  /** How many live clients registered without a token a tenant may have (OPEN_REGISTRATION_QUOTA). */
  openRegistrationQuota: number;
}

/** Reads and checks OPEN_REGISTRATION_TENANTS: comma-separated tenant ids; unset: open registration is off everywhere. */
export const openRegistrationTenantsOf = (env: NodeJS.ProcessEnv): string[] => {
  const text = readEnvironment(env, 'OPEN_REGISTRATION_TENANTS');
  if (text === '') return [];
  return text.split(',').map((item) => {
    const tenantId = item.trim();
    const problem = tenantIdProblem(tenantId);
    if (problem !== null) throw new ConfigError(`OPEN_REGISTRATION_TENANTS holds a tenant id that ${problem}: "${item}"`);
    return tenantId;
  });
};

/** `GET /metrics`: on the main port (operator token required), on a port of its own on HOST (no token), or not at all. */
export type MetricsConfig = { serve: 'main' } | { serve: 'port'; port: number } | { serve: 'off' };

/** Reads and checks METRICS_PORT: unset for the main port, `off`, or a port number (0: any free port). */
export const metricsConfigOf = (env: NodeJS.ProcessEnv): MetricsConfig => {
  const text = readEnvironment(env, 'METRICS_PORT');
  if (text === '') return { serve: 'main' };
  if (text.toLowerCase() === 'off') return { serve: 'off' };
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    throw new ConfigError(`METRICS_PORT must be "off" or a port number from 0 to 65535 (unset: /metrics on the main port); it is "${text}"`);
  }
  return { serve: 'port', port };
};

/** Where the admin console gets its bearer token when the platform signs administrators in. */
export interface ConsoleConfig {
  /** The platform's endpoint answering the signed-in administrator's access token (CONSOLE_TOKEN_URL). */
  tokenUrl: string | null;
  /** The platform's sign-in page, linked when nobody is signed in (CONSOLE_SIGN_IN_URL). */
  signInUrl: string | null;
}

/** Which event store holds the events: the embedded SQLite file in DATA_DIR, or EventStoreDB. */
export type EventStoreConfig =
  | { kind: 'sqlite' }
  | {
      kind: 'eventstoredb';
      connectionString: string;
      /** Longest an append or read waits for the server before the command fails as unavailable. */
      deadlineMs: number;
    };

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

const integer = (env: NodeJS.ProcessEnv, name: EnvironmentVariable, min: number, max: number): number => {
  const text = readEnvironment(env, name);
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}; it is "${text}"`);
  }
  return value;
};

/** The data directory: DATA_DIR (default ./data) resolved against `cwd`, as the server and the CLI find it. */
export const dataDirOf = (env: NodeJS.ProcessEnv, cwd: string = process.cwd()): string => path.resolve(cwd, readEnvironment(env, 'DATA_DIR'));

const CONNECTION_STRING = /^esdb(\+discover)?:\/\/[^\s/?#]+/i;

/** Reads and checks which event store to use (EVENT_STORE and, for EventStoreDB, its connection). */
export const eventStoreConfigOf = (env: NodeJS.ProcessEnv): EventStoreConfig => {
  const kind = readEnvironment(env, 'EVENT_STORE');
  if (kind === 'sqlite') return { kind };
  if (kind !== 'eventstoredb') throw new ConfigError(`EVENT_STORE must be "sqlite" or "eventstoredb"; it is "${kind}"`);
  const connectionString = readEnvironment(env, 'EVENTSTORE_CONNECTION_STRING');
  if (!CONNECTION_STRING.test(connectionString)) {
    throw new ConfigError(
      connectionString === ''
        ? 'EVENT_STORE=eventstoredb needs EVENTSTORE_CONNECTION_STRING, e.g. esdb://localhost:2113?tls=false'
        : 'EVENTSTORE_CONNECTION_STRING must be an EventStoreDB connection string starting with esdb:// or esdb+discover://',
    );
  }
  return { kind, connectionString, deadlineMs: integer(env, 'EVENTSTORE_DEADLINE_MS', 100, 600_000) };
};

/** An absolute https URL (http only on a loopback host), or null when the variable is unset. */
const platformUrl = (env: NodeJS.ProcessEnv, name: 'CONSOLE_TOKEN_URL' | 'CONSOLE_SIGN_IN_URL'): string | null => {
  const text = readEnvironment(env, name);
  if (text === '') return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`${name} must be an absolute URL, such as https://id.example.com/...; it is "${text}"`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new ConfigError(`${name} must use https (http only on localhost, 127.0.0.1 or [::1]); it is "${text}"`);
  }
  if (url.username !== '' || url.password !== '') throw new ConfigError(`${name} must not carry a user name or password`);
  return url.href;
};

/** Reads and checks the admin console's platform sign-in (CONSOLE_TOKEN_URL, CONSOLE_SIGN_IN_URL). */
export const consoleConfigOf = (env: NodeJS.ProcessEnv): ConsoleConfig => {
  const tokenUrl = platformUrl(env, 'CONSOLE_TOKEN_URL');
  const signInUrl = platformUrl(env, 'CONSOLE_SIGN_IN_URL');
  if (signInUrl !== null && tokenUrl === null) {
    throw new ConfigError(
      'CONSOLE_SIGN_IN_URL needs CONSOLE_TOKEN_URL: the console learns who signed in only from the platform’s token endpoint',
    );
  }
  return { tokenUrl, signInUrl };
};

/** A token bucket from its RATE_LIMIT_<WHO>_<WHAT>_BURST and ..._PER_SECOND variables; 0 a second turns it off. */
const bucketRate = (env: NodeJS.ProcessEnv, who: 'PRINCIPAL' | 'TENANT', what: 'REQUEST' | 'MUTATION'): BucketRate => ({
  burst: integer(env, `RATE_LIMIT_${who}_${what}_BURST`, 1, 10_000_000),
  perSecond: integer(env, `RATE_LIMIT_${who}_${what}S_PER_SECOND`, 0, 1_000_000),
});

/** Reads and checks the rate limits (RATE_LIMIT_*). */
export const rateLimitsOf = (env: NodeJS.ProcessEnv): RateLimits => ({
  principalRequests: bucketRate(env, 'PRINCIPAL', 'REQUEST'),
  principalMutations: bucketRate(env, 'PRINCIPAL', 'MUTATION'),
  tenantRequests: bucketRate(env, 'TENANT', 'REQUEST'),
  tenantMutations: bucketRate(env, 'TENANT', 'MUTATION'),
});
/** The longest bearer token lifetime accepted (AUTH_MAX_TOKEN_LIFETIME_SECONDS): by the server, and by `npm run token`. */
export const maxTokenLifetimeOf = (env: NodeJS.ProcessEnv): number => integer(env, 'AUTH_MAX_TOKEN_LIFETIME_SECONDS', 60, 31_536_000);

/** Reads and checks the configuration; a ConfigError says which variable is wrong and why. */
export const loadConfig = (env: NodeJS.ProcessEnv, cwd: string = process.cwd()): AppConfig => {
  const dataDir = dataDirOf(env, cwd);
  const eventStore = eventStoreConfigOf(env);
  const logLevel = readEnvironment(env, 'LOG_LEVEL');
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; it is "${logLevel}"`);
  return {
    port: integer(env, 'PORT', 0, 65535),
    host: readEnvironment(env, 'HOST'),
    dataDir,
    production: isProduction(env),
    logLevel,
    eventStore,
    auth: resolveAuthConfig(env, dataDir),
    maxTokenLifetimeSeconds: maxTokenLifetimeOf(env),
    positionKey: readEnvironment(env, 'POSITION_KEY_FILE')
      ? { kind: 'file', file: path.resolve(cwd, readEnvironment(env, 'POSITION_KEY_FILE')) }
      : { kind: 'dataDir', dataDir },
    auditKey: auditKeyConfigOf(readEnvironment(env, 'AUDIT_SIGNING_KEY_FILE'), dataDir, isProduction(env)),
    readYourWritesTimeoutMs: integer(env, 'READ_YOUR_WRITES_TIMEOUT_MS', 0, 60_000),
    projectionBatchSize: integer(env, 'PROJECTION_BATCH_SIZE', MIN_BATCH_SIZE, MAX_BATCH_SIZE),
    maxQueryDepth: integer(env, 'MAX_QUERY_DEPTH', 2, 100),
    maxQueryCost: integer(env, 'MAX_QUERY_COST', 10, 10_000_000),
    maxBodyBytes: integer(env, 'MAX_BODY_BYTES', 1024, 100 * 1024 * 1024),
    maxMutationsPerOperation: integer(env, 'MAX_MUTATIONS_PER_OPERATION', 1, 1000),
    maxResponseBytes: integer(env, 'MAX_RESPONSE_BYTES', 1024, 1024 * 1024 * 1024),
    rateLimits: rateLimitsOf(env),
    idempotencyKeyTtlSeconds: integer(env, 'IDEMPOTENCY_KEY_TTL_SECONDS', 60, 30 * 24 * 60 * 60),
    console: consoleConfigOf(env),
    metrics: metricsConfigOf(env),
    openRegistrationTenants: openRegistrationTenantsOf(env),
    openRegistrationQuota: integer(env, 'OPEN_REGISTRATION_QUOTA', 1, 1_000_000),
  };
};
