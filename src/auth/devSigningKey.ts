import path from 'node:path';
import { type KeyKind, type LoadedKey, loadOrCreateKeyFile } from './keyFile';

/** Issuer (`iss`) of development tokens. */
export const DEV_ISSUER = 'urn:authorization-code-clients:dev';

/** Audience (`aud`) of development tokens. */
export const DEV_AUDIENCE = 'authorization-code-clients';

/** File name of the development signing key inside the data directory. */
export const DEV_SIGNING_KEY_FILE = 'dev-signing-key.json';

/** Signing algorithm of the development key. */
export const DEV_SIGNING_ALGORITHM = 'ES256';

const DEV_KEY: KeyKind = {
  alg: DEV_SIGNING_ALGORITHM,
  label: 'development signing key',
  replacing: 'tokens signed with the old key stop working',
};

/** The development key pair: the private key signs dev tokens, the public JWK verifies them. */
export type DevSigningKey = LoadedKey & { alg: typeof DEV_SIGNING_ALGORITHM };

/** Absolute path of the development signing key for a data directory. */
export function devSigningKeyPath(dataDir: string): string {
  return path.join(path.resolve(dataDir), DEV_SIGNING_KEY_FILE);
}

/**
 * Loads the development signing key from `<dataDir>/dev-signing-key.json`, creating it (mode 0600,
 * directory included) when missing; processes racing here all end up with one key.
 */
export async function loadOrCreateDevSigningKey(dataDir: string): Promise<DevSigningKey> {
  return (await loadOrCreateKeyFile(DEV_KEY, devSigningKeyPath(dataDir))) as DevSigningKey;
}
