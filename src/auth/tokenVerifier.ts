import type { JWTPayload } from 'jose';
import { UnauthenticatedError } from '../errors';
import { type AuthConfig } from './authConfig';
import * as jose from 'jose';
import { type Principal } from './principal';
import { tenantIdProblem } from './tenantId';
import { DEFAULT_MAX_TOKEN_LIFETIME_SECONDS, tokenTimeProblem } from './tokenLifetime';
import {
  ACCEPTED_ALGORITHMS,
  type JwksOptions,
  ForeignDevKeyError,
  KeysUnavailableError,
  loadVerificationKeys,
} from './verificationKeys';

/** A verified token: who it names, and when it stops being valid (its `exp`). */
export interface VerifiedToken {
  principal: Principal;
  expiresAt: Date;
}

/** Turns an `Authorization` header into a Principal, or refuses with UnauthenticatedError. */
export interface TokenVerifier {
  /** Verifies `Bearer <jwt>`; every refusal is an UnauthenticatedError with a safe message. */
  verify(authorizationHeader: string | undefined): Promise<Principal>;
  /** The same verification, also answering the expiry: for connections that outlive one request (subscriptions). */
  verifyToken(authorizationHeader: string | undefined): Promise<VerifiedToken>;
}

/** Tuning for {@link createTokenVerifier}; the defaults suit production. */
export interface TokenVerifierOptions {
  /** Allowed clock skew for `exp` and `nbf`, in seconds (default 30). */
  clockToleranceSeconds?: number;
  /** Remote JWKS cache timing (only for a JWKS URL). */
  jwks?: JwksOptions;
  /** Longest lifetime accepted (`exp - iat`, or `exp - now` without `iat`), in seconds (default 24 hours). */
  maxTokenLifetimeSeconds?: number;
}

const MAX_TOKEN_LENGTH = 16 * 1024;
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Creates the verifier for a configuration: signature against the configured keys (asymmetric
 * algorithms only), issuer, audience, required `exp`, `nbf`, then the `sub`, `tid` and `roles`
 * claims. Loads a key file or the dev key now, so a bad one fails at startup with ConfigError.
 */
export async function createTokenVerifier(
  config: AuthConfig,
  options: TokenVerifierOptions = {},
): Promise<TokenVerifier> {
  const getKey = await loadVerificationKeys(config, options.jwks);
  const verifyOptions = {
    algorithms: [...ACCEPTED_ALGORITHMS],
    issuer: config.issuer,
    audience: config.audience,
    requiredClaims: ['exp'],
    clockTolerance: options.clockToleranceSeconds ?? 30,
  };
  const maxLifetimeSeconds = options.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS;

  const verifyToken = async (authorizationHeader: string | undefined): Promise<VerifiedToken> => {
    const token = bearerToken(authorizationHeader);
    let payload: JWTPayload;
    try {
      ({ payload } = await jose.jwtVerify(token, getKey, verifyOptions));
    } catch (error) {
      throw refusal(error);
    }
    // `exp` is a required claim, checked as a NumericDate by jwtVerify (and `iat` when present).
    const timeProblem = tokenTimeProblem(
      { iat: payload.iat, exp: payload.exp! },
      { nowSeconds: Math.floor(Date.now() / 1000), clockToleranceSeconds: verifyOptions.clockTolerance, maxLifetimeSeconds },
    );
    if (timeProblem !== null) throw new UnauthenticatedError(timeProblem);
    return { principal: principalFrom(payload), expiresAt: new Date(payload.exp! * 1000) };
  };
  return {
    verifyToken,
    verify: async (authorizationHeader) => (await verifyToken(authorizationHeader)).principal,
  };
}

function bearerToken(header: string | undefined): string {
  const value = header?.trim() ?? '';
  if (value === '') throw new UnauthenticatedError('Missing bearer token');
  const [, scheme = '', rest = ''] = /^(\S+)\s*([\s\S]*)$/.exec(value) ?? [];
  if (scheme.toLowerCase() !== 'bearer') {
    throw new UnauthenticatedError('Authorization header must use the Bearer scheme');
  }
  if (rest === '') throw new UnauthenticatedError('Missing bearer token');
  if (rest.length > MAX_TOKEN_LENGTH) throw new UnauthenticatedError('Token is too large');
  if (!JWT_SHAPE.test(rest)) throw new UnauthenticatedError('Token is malformed (expected a JWT)');
  return rest;
}

function refusal(error: unknown): UnauthenticatedError {
  if (error instanceof KeysUnavailableError) {
    return new UnauthenticatedError('Token signing keys could not be fetched', {}, { cause: error.cause });
  }
  if (error instanceof ForeignDevKeyError) {
    return new UnauthenticatedError(
      "Token was signed by another data directory's development key: make it with `npm run token` and the DATA_DIR this server was started with (its start banner prints the command)",
    );
  }
  const { code, claim, reason } = (error ?? {}) as { code?: unknown; claim?: unknown; reason?: unknown };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return new UnauthenticatedError('Token expired');
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new UnauthenticatedError('Token signature is not valid');
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return new UnauthenticatedError('Token algorithm is not accepted (unsigned and symmetric tokens are refused)');
    case 'ERR_JOSE_NOT_SUPPORTED':
      return new UnauthenticatedError('Token algorithm is not supported');
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return new UnauthenticatedError('Token signing key is not known');
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return new UnauthenticatedError('Token does not name its signing key (kid)');
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return new UnauthenticatedError('Token is malformed');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return claimRefusal(claim, reason);
    default:
      return new UnauthenticatedError('Token could not be verified', {}, { cause: error });
  }
}

function claimRefusal(claim: unknown, reason: unknown): UnauthenticatedError {
  switch (claim) {
    case 'iss':
      return new UnauthenticatedError('Token issuer is not accepted');
    case 'aud':
      return new UnauthenticatedError('Token audience is not accepted');
    case 'nbf':
      return new UnauthenticatedError('Token is not valid yet (nbf claim)');
    case 'exp':
      return new UnauthenticatedError(
        reason === 'missing' ? 'Token has no expiry (exp claim)' : 'Token expiry (exp claim) is not valid',
      );
    case 'iat':
      return new UnauthenticatedError('Token issue time (iat claim) is not valid');
    default:
      return new UnauthenticatedError('Token claims are not valid');
  }
}

function principalFrom(payload: JWTPayload): Principal {
  const { sub, tid, roles } = payload;
  if (!nonEmptyString(sub)) throw new UnauthenticatedError('Token has no subject (sub claim)');
  if (!nonEmptyString(tid)) throw new UnauthenticatedError('Token has no tenant (tid claim)');
  const tenantProblem = tenantIdProblem(tid);
  if (tenantProblem !== null) throw new UnauthenticatedError(`Token tenant (tid claim) ${tenantProblem}`);
  if (roles !== undefined && !isStringArray(roles)) {
    throw new UnauthenticatedError('Token roles claim must be an array of strings');
  }
  const name = [payload.name, payload.preferred_username].find(nonEmptyString) ?? null;
  return { id: sub, name, tenantId: tid, roles: roles ? [...roles] : [] };
}

function nonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
