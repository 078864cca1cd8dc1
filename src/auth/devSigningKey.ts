import { randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CryptoKey, JWK } from 'jose';
import { ConfigError } from './configError';
import * as jose from 'jose';

/** Issuer (`iss`) of development tokens. */
export const DEV_ISSUER = 'urn:authorization-code-clients:dev';

/** Audience (`aud`) of development tokens. */
export const DEV_AUDIENCE = 'authorization-code-clients';

/** File name of the development signing key inside the data directory. */
export const DEV_SIGNING_KEY_FILE = 'dev-signing-key.json';

/** Signing algorithm of the development key. */
export const DEV_SIGNING_ALGORITHM = 'ES256';

/** The development key pair: the private key signs dev tokens, the public JWK verifies them. */
export interface DevSigningKey {
  kid: string;
  alg: typeof DEV_SIGNING_ALGORITHM;
  privateKey: CryptoKey;
  /** Public part only, with `kid`, `alg` and `use`. */
  publicJwk: JWK;
  /** Absolute path of the key file. */
  file: string;
}

/** Absolute path of the development signing key for a data directory. */
export function devSigningKeyPath(dataDir: string): string {
  return path.join(path.resolve(dataDir), DEV_SIGNING_KEY_FILE);
}

/**
 * Loads the development signing key from `<dataDir>/dev-signing-key.json`, creating it (mode 0600,
 * directory included) when missing. Creation is exclusive: processes racing here all end up
 * with the one key that was linked into place first.
 */
export async function loadOrCreateDevSigningKey(dataDir: string): Promise<DevSigningKey> {
  const file = devSigningKeyPath(dataDir);
  const existing = await readKeyFile(file);
  if (existing) return existing;

  await mkdir(path.dirname(file), { recursive: true });
  await createKeyFileExclusively(file, await generatePrivateJwk());
  const created = await readKeyFile(file);
  if (!created) throw new ConfigError(`The development signing key ${file} could not be created.`);
  return created;
}

async function generatePrivateJwk(): Promise<JWK> {
  const { privateKey } = await jose.generateKeyPair(DEV_SIGNING_ALGORITHM, { extractable: true });
  const jwk = await jose.exportJWK(privateKey);
  const kid = await jose.calculateJwkThumbprint(publicPart(jwk));
  return { ...jwk, kid, alg: DEV_SIGNING_ALGORITHM, use: 'sig' };
}

async function createKeyFileExclusively(file: string, privateJwk: JWK): Promise<void> {
  const content = `${JSON.stringify(privateJwk, null, 2)}\n`;
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  await writeFile(temp, content, { mode: 0o600, flag: 'wx' });
  try {
    await chmod(temp, 0o600);
    await link(temp, file);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return;
    if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EXDEV'].includes(errorCode(error) ?? '')) throw error;
    // The file system cannot hard-link: fall back to an exclusive create of the file itself.
    await writeFile(file, content, { mode: 0o600, flag: 'wx' }).catch((fallbackError: unknown) => {
      if (errorCode(fallbackError) !== 'EEXIST') throw fallbackError;
    });
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function readKeyFile(file: string): Promise<DevSigningKey | undefined> {
  for (let attempt = 0; ; attempt += 1) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw new ConfigError(`The development signing key ${file} could not be read (${errorCode(error) ?? 'error'}).`, { cause: error });
    }
    const key = await parseKey(text, file);
    if (key) return key;
    // Another process may be writing it right now (only without hard links); give it a moment.
    if (attempt >= 10) {
      throw new ConfigError(
        `The development signing key ${file} is not a valid ${DEV_SIGNING_ALGORITHM} private JWK. ` +
          'Delete it and a new key will be made (tokens signed with the old key stop working).',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function parseKey(text: string, file: string): Promise<DevSigningKey | undefined> {
  let jwk: unknown;
  try {
    jwk = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isDevPrivateJwk(jwk)) return undefined;
  try {
    const privateKey = await jose.importJWK(jwk, DEV_SIGNING_ALGORITHM);
    if (privateKey instanceof Uint8Array) return undefined;
    const publicJwk: JWK = { ...publicPart(jwk), kid: jwk.kid, alg: DEV_SIGNING_ALGORITHM, use: 'sig' };
    return { kid: jwk.kid, alg: DEV_SIGNING_ALGORITHM, privateKey, publicJwk, file };
  } catch {
    return undefined;
  }
}

function isDevPrivateJwk(value: unknown): value is JWK & { kid: string } {
  if (typeof value !== 'object' || value === null) return false;
  const jwk = value as Record<string, unknown>;
  return (
    jwk.kty === 'EC' &&
    jwk.crv === 'P-256' &&
    ['x', 'y', 'd', 'kid'].every((member) => typeof jwk[member] === 'string' && jwk[member] !== '')
  );
}

function publicPart(jwk: JWK): JWK {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}
