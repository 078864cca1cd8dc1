import { randomUUID } from 'node:crypto';
import { chmod, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CryptoKey, JWK } from 'jose';
import { ConfigError } from './configError';
import * as jose from 'jose';

/** Which kind of private key a key file holds: the development token key (ES256) or the audit log key (EdDSA, Ed25519). */
export interface KeyKind {
  /** The JWS algorithm the key signs with. */
  alg: 'ES256' | 'EdDSA';
  /** What the key is called in messages, e.g. "development signing key". */
  label: string;
  /** What replacing the key costs, said when a broken key file must be deleted. */
  replacing: string;
}

/** A private key loaded from its file, with its public JWK (`kid` its RFC 7638 thumbprint, `alg`, `use`). */
export interface LoadedKey {
  kid: string;
  alg: KeyKind['alg'];
  privateKey: CryptoKey;
  publicJwk: JWK;
  /** Absolute path of the key file. */
  file: string;
}

const CURVES: Record<KeyKind['alg'], { kty: string; crv: string; members: string[] }> = {
  ES256: { kty: 'EC', crv: 'P-256', members: ['x', 'y'] },
  EdDSA: { kty: 'OKP', crv: 'Ed25519', members: ['x'] },
};

/** The public members of a JWK of this kind. */
const publicPart = (kind: KeyKind, jwk: JWK): JWK => {
  const { kty, crv, members } = CURVES[kind.alg];
  return Object.fromEntries([['kty', kty], ['crv', crv], ...members.map((member) => [member, jwk[member as keyof JWK]])]) as JWK;
};

const isPrivateJwk = (kind: KeyKind, value: unknown): value is JWK & { kid: string } => {
  if (typeof value !== 'object' || value === null) return false;
  const jwk = value as Record<string, unknown>;
  const { kty, crv, members } = CURVES[kind.alg];
  return jwk.kty === kty && jwk.crv === crv && [...members, 'd', 'kid'].every((member) => typeof jwk[member] === 'string' && jwk[member] !== '');
};

/** A key from a private JWK of this kind; undefined when the JWK is not one. */
export const keyFromJwk = async (kind: KeyKind, jwk: unknown, file: string): Promise<LoadedKey | undefined> => {
  if (!isPrivateJwk(kind, jwk)) return undefined;
  try {
    const privateKey = await jose.importJWK(jwk, kind.alg);
    if (privateKey instanceof Uint8Array) return undefined;
    const publicJwk: JWK = { ...publicPart(kind, jwk), kid: jwk.kid, alg: kind.alg, use: 'sig' };
    return { kid: jwk.kid, alg: kind.alg, privateKey, publicJwk, file };
  } catch {
    return undefined;
  }
};

/** A new private JWK of this kind, `kid` its public part's thumbprint. */
export const generatePrivateJwk = async (kind: KeyKind): Promise<JWK> => {
  const { privateKey } = await jose.generateKeyPair(kind.alg, { extractable: true, crv: CURVES[kind.alg].crv });
  const jwk = await jose.exportJWK(privateKey);
  const kid = await jose.calculateJwkThumbprint(publicPart(kind, jwk));
  return { ...jwk, kid, alg: kind.alg, use: 'sig' };
};

/**
 * Loads the key from `file`, creating it (mode 0600, directory included) when missing. Creation
 * is exclusive: processes racing here all end up with the one key that was linked into place first.
 */
export async function loadOrCreateKeyFile(kind: KeyKind, file: string): Promise<LoadedKey> {
  const existing = await readKeyFile(kind, file);
  if (existing) return existing;
  await mkdir(path.dirname(file), { recursive: true });
  await createKeyFileExclusively(file, await generatePrivateJwk(kind));
  const created = await readKeyFile(kind, file);
  if (!created) throw new ConfigError(`The ${kind.label} ${file} could not be created.`);
  return created;
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

/** The key in `file`; undefined when there is no file. A file that stays unreadable as such a key is a ConfigError. */
export async function readKeyFile(kind: KeyKind, file: string): Promise<LoadedKey | undefined> {
  for (let attempt = 0; ; attempt += 1) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw new ConfigError(`The ${kind.label} ${file} could not be read (${errorCode(error) ?? 'error'}).`, { cause: error });
    }
    const key = await keyFromJwk(kind, parseJson(text), file);
    if (key) return key;
    // Another process may be writing it right now (only without hard links); give it a moment.
    if (attempt >= 10) {
      throw new ConfigError(
        `The ${kind.label} ${file} is not a valid ${kind.alg} private JWK. ` +
          `Delete it and a new key will be made (${kind.replacing}).`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}
