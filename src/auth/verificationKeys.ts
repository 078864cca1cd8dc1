import { readFile } from 'node:fs/promises';
import type {
  CryptoKey,
  JSONWebKeySet,
  JWK,
  JWTVerifyGetKey,
} from 'jose';
import { isJsonObject } from '../jsutils';
import { type AuthConfig } from './authConfig';
import { ConfigError } from './configError';
import { DEV_ISSUER, type DevSigningKey, loadOrCreateDevSigningKey } from './devSigningKey';
import * as jose from 'jose';

/** The only signature algorithms accepted: asymmetric ones. `none` and HMAC (HS*) are refused. */
export const ACCEPTED_ALGORITHMS = [
  'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519',
] as const;

/** Timing of the remote JWKS cache; defaults are jose's. */
export interface JwksOptions {
  /** Abort a JWKS request after this many ms (default 5000). */
  timeoutMs?: number;
  /** After a fetch, an unknown `kid` triggers another fetch only after this many ms (default 30000). */
  cooldownMs?: number;
  /** Refetch keys older than this many ms (default 600000). */
  cacheMaxAgeMs?: number;
}

/** The keys could not be obtained from their source (network, HTTP status, bad JWKS). */
export class KeysUnavailableError extends Error {
  constructor(cause: unknown) {
    super('Signing keys could not be fetched', { cause });
    this.name = 'KeysUnavailableError';
  }
}

/** A development token signed by another data directory's development key (another `kid`). */
export class ForeignDevKeyError extends Error {
  constructor() {
    super("Token was signed by another data directory's development key");
    this.name = 'ForeignDevKeyError';
  }
}

/** No configured key fits the token's algorithm. */
class NoMatchingKeyError extends Error {
  readonly code = 'ERR_JWKS_NO_MATCHING_KEY';
}

const KEY_SELECTION_ERRORS = new Set([
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  'ERR_JOSE_NOT_SUPPORTED',
]);

/** Builds the key resolver for a configuration; a bad key file or dev key raises ConfigError. */
export async function loadVerificationKeys(config: AuthConfig, jwks: JwksOptions = {}): Promise<JWTVerifyGetKey> {
  switch (config.mode) {
    case 'jwks':
      return remoteKeys(config.jwksUrl, jwks);
    case 'publicKeyFile':
      return keysFromFile(config.publicKeyFile);
    case 'dev': {
      return devKeys(await loadOrCreateDevSigningKey(config.dataDir));
    }
  }
}

/** The development key; a development token naming another key was made for another DATA_DIR, and says so. */
function devKeys(devKey: DevSigningKey): JWTVerifyGetKey {
  const local = jose.createLocalJWKSet({ keys: [devKey.publicJwk] });
  return async (header, token) => {
    if (header.kid !== undefined && header.kid !== devKey.kid && issuerOf(token) === DEV_ISSUER) throw new ForeignDevKeyError();
    return local(header, token);
  };
}

function issuerOf(token: { payload: string | Uint8Array }): unknown {
  try {
    const payload = typeof token.payload === 'string' ? Buffer.from(token.payload, 'base64url') : Buffer.from(token.payload);
    return (JSON.parse(payload.toString('utf8')) as { iss?: unknown }).iss;
  } catch {
    return undefined;
  }
}

function remoteKeys(url: string, options: JwksOptions): JWTVerifyGetKey {
  const remote = jose.createRemoteJWKSet(new URL(url), {
    timeoutDuration: options.timeoutMs,
    cooldownDuration: options.cooldownMs,
    cacheMaxAge: options.cacheMaxAgeMs,
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      if (KEY_SELECTION_ERRORS.has(codeOf(error))) throw error;
      throw new KeysUnavailableError(error);
    }
  };
}

async function keysFromFile(file: string): Promise<JWTVerifyGetKey> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`AUTH_PUBLIC_KEY_FILE ${file} could not be read (${codeOf(error) || 'error'}).`, {
      cause: error,
    });
  }
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN')) return singleKey(await importPem(trimmed, file));

  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    throw new ConfigError(`AUTH_PUBLIC_KEY_FILE ${file} is neither a PEM public key nor JSON (a JWK or JWKS).`);
  }
  if (isJsonObject(json) && Array.isArray(json.keys)) {
    const keys: unknown[] = json.keys;
    if (keys.length === 0) throw new ConfigError(`AUTH_PUBLIC_KEY_FILE ${file} is a JWKS without keys.`);
    keys.forEach((key) => checkPublicJwk(key, file));
    return jose.createLocalJWKSet(json as unknown as JSONWebKeySet);
  }
  if (isJsonObject(json) && typeof json.kty === 'string') {
    const jwk = checkPublicJwk(json, file);
    return singleKey(await importForEachAlgorithm(file, (alg) => jose.importJWK(jwk, alg), jwk.alg));
  }
  throw new ConfigError(`AUTH_PUBLIC_KEY_FILE ${file} is JSON but neither a JWK (kty) nor a JWKS (keys).`);
}

async function importPem(pem: string, file: string): Promise<Map<string, CryptoKey>> {
  if (pem.includes('PRIVATE KEY')) {
    throw new ConfigError(`AUTH_PUBLIC_KEY_FILE ${file} holds a private key; give it the public key only.`);
  }
  if (pem.startsWith('-----BEGIN CERTIFICATE-----')) {
    return importForEachAlgorithm(file, (alg) => jose.importX509(pem, alg));
  }
  if (pem.startsWith('-----BEGIN PUBLIC KEY-----')) {
    return importForEachAlgorithm(file, (alg) => jose.importSPKI(pem, alg));
  }
  throw new ConfigError(
    `AUTH_PUBLIC_KEY_FILE ${file} must be a PEM "PUBLIC KEY" (SPKI) or "CERTIFICATE"; ` +
      'convert other forms with: openssl pkey -pubin -in <key> -out <file>.',
  );
}

/** Imports the key once for every accepted algorithm it can serve (an RSA key: RS* and PS*). */
async function importForEachAlgorithm(
  file: string,
  importFor: (alg: string) => Promise<CryptoKey | Uint8Array>,
  onlyAlg?: string,
): Promise<Map<string, CryptoKey>> {
  const algorithms: readonly string[] = onlyAlg ? [onlyAlg] : ACCEPTED_ALGORITHMS;
  const keys = new Map<string, CryptoKey>();
  for (const alg of algorithms) {
    if (!(ACCEPTED_ALGORITHMS as readonly string[]).includes(alg)) continue;
    const key = await importFor(alg).catch(() => undefined);
    if (key && !(key instanceof Uint8Array)) keys.set(alg, key);
  }
  if (keys.size === 0) {
    throw new ConfigError(
      `AUTH_PUBLIC_KEY_FILE ${file} holds no public key usable for ${ACCEPTED_ALGORITHMS.join(', ')}.`,
    );
  }
  return keys;
}

function singleKey(keysByAlgorithm: Map<string, CryptoKey>): JWTVerifyGetKey {
  return (header) => {
    const key = keysByAlgorithm.get(header.alg ?? '');
    if (!key) throw new NoMatchingKeyError('No configured key fits the token algorithm');
    return key;
  };
}

function checkPublicJwk(value: unknown, file: string): JWK {
  if (!isJsonObject(value) || typeof value.kty !== 'string') {
    throw new ConfigError(`AUTH_PUBLIC_KEY_FILE ${file} holds a JWK without kty.`);
  }
  if (value.kty === 'oct') {
    throw new ConfigError(`AUTH_PUBLIC_KEY_FILE ${file} holds a symmetric key (kty oct); only public keys are accepted.`);
  }
  if ('d' in value) {
    throw new ConfigError(`AUTH_PUBLIC_KEY_FILE ${file} holds a private key; give it the public key only.`);
  }
  return value;
}

function codeOf(error: unknown): string {
  const code: unknown = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : '';
}
