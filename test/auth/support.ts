import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CryptoKey, JWK, JWTPayload } from 'jose';
import * as jose from 'jose';

export const ISSUER = 'https://idp.example.test/';
export const AUDIENCE = 'https://api.example.test/clients';

/** A key pair for tests, with its public JWK (kid set) and SPKI PEM. */
export interface TestKey {
  alg: string;
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
  publicPem: string;
}

export async function makeKey(alg = 'ES256', kid = `kid-${alg}-${Math.random().toString(36).slice(2)}`): Promise<TestKey> {
  const { privateKey, publicKey } = await jose.generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await jose.exportJWK(publicKey)), kid, alg };
  return { alg, kid, privateKey, publicJwk, publicPem: await jose.exportSPKI(publicKey) };
}

/** Claims of a valid token for the test issuer/audience; override any of them. */
export function claims(overrides: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'user-1',
    tid: 'tenant-1',
    roles: ['Tenant Administrator'],
    iat: now,
    exp: now + 300,
    ...overrides,
  };
}

/** Signs exactly the given claims (undefined values are dropped) with the key. */
export async function sign(
  key: TestKey,
  payload: JWTPayload = claims(),
  header: Record<string, unknown> = {},
): Promise<string> {
  const defined = Object.fromEntries(Object.entries(payload).filter(([, value]) => value !== undefined));
  return new jose.SignJWT(defined)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header })
    .sign(key.privateKey);
}

export function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A temporary directory, removed by the returned cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'auth-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function writeTextFile(dir: string, name: string, content: string): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, content);
  return file;
}

/** Awaits a promise that must reject and returns its error, for assertions on fields. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}
