import {
  DEV_AUDIENCE,
  DEV_ISSUER,
  DEV_SIGNING_ALGORITHM,
  loadOrCreateDevSigningKey,
} from './devSigningKey';
import * as jose from 'jose';
import { tenantIdProblem } from './tenantId';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS } from './tokenLifetime';

/** Subject (`sub`) of development tokens when none is given: one stable developer identity. */
export const DEV_DEFAULT_SUBJECT = 'dev-user';

/** Lifetime of development tokens when none is given: 8 hours, a working day. */
export const DEV_TOKEN_DEFAULT_EXPIRES_IN_SECONDS = 8 * 60 * 60;

/** What a development token says. */
export interface MintDevTokenOptions {
  /** Data directory holding (or receiving) the development signing key. */
  dataDir: string;
  tenantId: string;
  /** Written as given; the command line restricts these to known roles, tests may not. */
  roles: readonly string[];
  /** Default {@link DEV_DEFAULT_SUBJECT}. */
  subject?: string;
  /** The `name` claim; omitted by default. */
  name?: string | null;
  /** Default {@link DEV_TOKEN_DEFAULT_EXPIRES_IN_SECONDS}. */
  expiresInSeconds?: number;
  /** Longest lifetime allowed, as the server's verifier allows it (default 24 hours). */
  maxLifetimeSeconds?: number;
  /** Issue time (default now); tests use it to make tokens that are already expired. */
  now?: Date;
}

/** Signs a development token with the key in the data directory (made if missing). */
export async function mintDevToken(options: MintDevTokenOptions): Promise<string> {
  const tenantId = options.tenantId.trim();
  const subject = (options.subject ?? DEV_DEFAULT_SUBJECT).trim();
  const expiresIn = options.expiresInSeconds ?? DEV_TOKEN_DEFAULT_EXPIRES_IN_SECONDS;
  if (tenantId === '') throw new TypeError('A development token needs a tenant id');
  const tenantProblem = tenantIdProblem(tenantId);
  if (tenantProblem !== null) throw new TypeError(`The tenant id ${tenantProblem}`);
  if (subject === '') throw new TypeError('A development token needs a non-empty subject');
  if (!Number.isSafeInteger(expiresIn) || expiresIn <= 0) {
    throw new RangeError('expiresInSeconds must be a positive whole number of seconds');
  }
  const maxLifetime = options.maxLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;
  if (expiresIn > maxLifetime) {
    throw new RangeError(`expiresInSeconds is ${expiresIn}, more than the longest lifetime the server accepts (${maxLifetime} seconds)`);
  }

  const key = await loadOrCreateDevSigningKey(options.dataDir);
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const name = options.name?.trim();
  return new jose.SignJWT({ tid: tenantId, roles: [...options.roles], ...(name ? { name } : {}) })
    .setProtectedHeader({ alg: DEV_SIGNING_ALGORITHM, kid: key.kid, typ: 'JWT' })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setSubject(subject)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + expiresIn)
    .sign(key.privateKey);
}
